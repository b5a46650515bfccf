"""A network's privacy notice: the template every network starts from, in each language, and
the notice as people read it.

The template names what Bro processes and why, the network's fill-ins (controller, contact,
processors; fields on Network, which the network admin fills in) and the retention period. A
network admin may replace the text of one language with their own wording
(PrivacyNoticeText) and go back to the template at any time.

The text is plain: blank lines between paragraphs, "# " before a heading, "- " before a list
item. Everything is escaped; nothing in the text can become markup.
"""

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tenancy.models import Country, PrivacyNoticeText

DATA_PROTECTION_AUTHORITIES = {
    Country.NORWAY: "https://www.datatilsynet.no",
    Country.DENMARK: "https://www.datatilsynet.dk",
}


def _filled(value):
    return value.strip() or _("[not filled in yet]")


def _retention_paragraph(network):
    kept = _("Your personal data is erased %(months)s months after the last cohort you took "
             "part in at %(network)s has ended (the network sets this period), or earlier "
             "when you ask for it.") % {"network": network.name,
                                        "months": network.retention_months}
    return kept + " " + _(
        "Results that have been released for a group of at least as many people as the "
        "anonymity threshold are kept: they say nothing about any one person.")


def template_text(network, language):
    """The privacy notice written from the template, in `language`."""
    with translation.override(language):
        processors = [
            _("Hosting: %(provider)s") % {"provider": _filled(network.hosting_provider)},
            _("Email: %(provider)s") % {"provider": _filled(network.email_provider)},
            *[line.strip() for line in network.other_processors.splitlines() if line.strip()],
        ]
        sections = [
            _("%(network)s uses Bro for its leadership development programme: leader "
              "groups assess themselves, work through modules and meet at gatherings. This "
              "notice says which personal data Bro holds about you, why, who handles it for "
              "us and for how long.") % {"network": network.name},
            "# " + _("Who is responsible"),
            _("The data controller is %(controller)s. Questions about your personal data: "
              "%(contact)s.") % {"controller": _filled(network.privacy_controller),
                                 "contact": _filled(network.privacy_contact)},
            "# " + _("What we process and why"),
            "\n".join("- " + item for item in (
                _("Your name, email address, job title and language, and your roles in the "
                  "network (organisation, leader group): to invite you, let you sign in and "
                  "show you your group's work."),
                _("Your answers to assessments: to show results for your group and the "
                  "network. A result is shown only when at least %(k)s people are in it, and "
                  "written answers are never shown in reports.") % {
                    "k": network.anonymity_threshold},
                _("What your group writes in modules: ambitions, initiatives and "
                  "reflections."),
                _("Sign-ins and security-relevant actions (an audit trail): to keep the "
                  "service secure."),
            )),
            _("The legal basis is the public task of the member organisations to develop "
              "their management (GDPR article 6(1)(e))."),
            "# " + _("Who handles the data for us"),
            _("These processors handle personal data on the network's behalf, under a data "
              "processing agreement:"),
            "\n".join("- " + processor for processor in processors),
            "# " + _("How long we keep it"),
            _retention_paragraph(network),
            "# " + _("Your rights"),
            _("You may see the personal data Bro holds about you and get a copy of it, have "
              "it corrected, and ask for it to be erased. Write to the contact above. If you "
              "think we process your data wrongly, you may complain to the data protection "
              "authority, Datatilsynet (%(address)s).") % {
                "address": DATA_PROTECTION_AUTHORITIES.get(network.country, "")},
        ]
    return "\n\n".join(sections)


def notice_text(network, language):
    """The notice people read in `language`: the network's own wording, else the template."""
    own = PrivacyNoticeText.objects.for_network(network).filter(language=language).first()
    return own.text if own is not None else template_text(network, language)


def own_wordings(network):
    """{language: PrivacyNoticeText} of the languages the network admin has reworded."""
    return {text.language: text for text in PrivacyNoticeText.objects.for_network(network)}


def notice_html(text):
    """The notice's plain text as headings (h2), paragraphs and lists, all escaped."""
    html = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("# "):
            html.append(f"<h2>{escape(lines[0][2:].strip())}</h2>")
            lines = lines[1:]
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        if lines and len(items) == len(lines):
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
        elif lines:
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 (every piece escaped above)
