"""{{ text|prose }}: programme and library texts as paragraphs and bullet lists.

The content files write plain text: blank lines between paragraphs, lines starting with "- "
for lists. Everything is escaped; nothing in the text can become markup."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _block(lines):
    items, paragraph, html = [], [], []

    def flush_paragraph():
        if paragraph:
            html.append("<p>" + "<br>".join(escape(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_items():
        if items:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in lines:
        if line.startswith(("- ", "* ")):
            flush_paragraph()
            items.append(line[2:].strip())
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            flush_items()
            paragraph.append(line.strip())
    flush_paragraph()
    flush_items()
    return "".join(html)


@register.filter
def prose(text):
    if not text:
        return ""
    blocks, current = [], []
    for line in str(text).replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return mark_safe("".join(_block(lines) for lines in blocks))  # noqa: S308 (escaped above)
