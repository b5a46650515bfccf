"""Forms for the staff's programme pages: one field per language Bro offers for each text."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resources.signals import tag_choices


def dimension_tags_field():
    return forms.MultipleChoiceField(
        label=_("Dimensions and capabilities it helps with"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("After an assessment, leaders and groups are shown the exercises for "
                    "their largest gaps."))


def dimension_tag_choices(sender, tags):
    """The instruments' dimensions as choices, plus the row's tags that no instrument offers
    any more (the programme file may name them), so saving the form does not drop them."""
    choices = tag_choices(sender)
    known = {value for _group, options in choices for value, _label in options}
    return choices + [(tag, tag) for tag in tags if tag not in known]


class TranslatedTextsForm(forms.Form):
    """`texts` lists (name, label, widget, required); the form gets a field per language
    (`<name>_<code>`) and gives back {name: {code: text}} in `values()`. Languages the
    row holds beyond the configured ones are kept as they are."""

    texts = ()
    lists = ()  # texts written one entry per line ({code: [entries]})

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        for name, label, multiline, required in self.texts:
            stored = getattr(row, name) or {}
            for code, language in settings.LANGUAGES:
                value = stored.get(code, "")
                if name in self.lists:
                    value = "\n".join(value or [])
                widget = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{label} ({language})",
                    initial=value,
                    required=required,
                    widget=widget,
                    strip=True,
                )

    def values(self):
        result = {}
        for name, _label, _multiline, _required in self.texts:
            texts = dict(getattr(self.row, name) or {})
            for code, _language in settings.LANGUAGES:
                value = self.cleaned_data[f"{name}_{code}"]
                if name in self.lists:
                    value = [line.strip() for line in value.splitlines() if line.strip()]
                texts[code] = value
            result[name] = texts
        return result


class ModuleTextsForm(TranslatedTextsForm):
    texts = (("title", _("Title"), False, True), ("introduction", _("Introduction"), True, False))


class PhaseTextsForm(TranslatedTextsForm):
    texts = (("introduction", _("Introduction"), True, False),)


class ActivityTextsForm(TranslatedTextsForm):
    texts = (
        ("title", _("Title"), False, True),
        ("instructions", _("Instructions"), True, False),
        ("questions", _("Reflection questions, one per line"), True, False),
    )
    lists = ("questions",)

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, row=row, **kwargs)
        self.fields["duration_minutes"] = forms.IntegerField(
            label=_("Duration (minutes)"),
            min_value=0,
            max_value=32767,
            initial=row.duration_minutes,
        )
        self.fields["dimension_tags"] = dimension_tags_field()
        self.fields["dimension_tags"].choices = dimension_tag_choices(
            ActivityTextsForm, row.dimension_tags)
        self.fields["dimension_tags"].initial = row.dimension_tags

    def values(self):
        return {**super().values(), "duration_minutes": self.cleaned_data["duration_minutes"],
                "dimension_tags": self.cleaned_data["dimension_tags"]}
