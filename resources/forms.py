from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from resources.models import ResourceKind, Theme
from resources.sectors import SECTORS, sector_label
from resources.signals import tag_choices
from resources.uploads import ACCEPT, MAX_UPLOAD_BYTES, check_captions, check_upload, file_type_of

TEXT_FIELDS = ("title", "description", "body", "captions_note", "transcript")


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *ResourceKind.choices])
    module = forms.ChoiceField(label=_("Module"), required=False,
                               choices=[("", _("All modules")), *Theme.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    source = forms.ChoiceField(label=_("From"), required=False, choices=[
        ("", _("Shared library and our network")), ("shared", _("Shared library")),
        ("own", _("Our network's own"))])

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (slug, sector_label(slug)) for slug in sectors]

    def filters(self):
        """The chosen filters as keyword arguments for resources.selectors.library."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"kind": data.get("kind", ""), "theme": data.get("module", ""),
                "language": data.get("language", ""), "sector": data.get("sector", ""),
                "text": data.get("q", ""), "source": data.get("source", "")}


class ResourceForm(forms.Form):
    """A network's own resource: texts in one or more languages, a link or a file."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    language = forms.ChoiceField(label=_("Language of the material"), choices=settings.LANGUAGES)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=32767, required=False, initial=0,
        help_text=_("How long it takes to watch, listen or read; 0 if it does not matter."))
    modules = forms.MultipleChoiceField(label=_("Modules"), choices=Theme.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False)
    sectors = forms.MultipleChoiceField(label=_("Sectors"), choices=list(SECTORS.items()),
                                        widget=forms.CheckboxSelectMultiple, required=False)
    dimension_tags = forms.MultipleChoiceField(
        label=_("Dimensions and capabilities it helps with"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("After an assessment, leaders and groups are shown the resources for "
                    "their largest gaps."))
    url = forms.URLField(label=_("Link"), required=False, max_length=200,
                         help_text=_("A web address; YouTube and Vimeo videos play on the page."))
    file = forms.FileField(
        label=_("File"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, PowerPoint, Word, MP3, MP4, PNG or JPEG, at most %(size)d MB.")
        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    captions = forms.FileField(
        label=_("Captions (WebVTT)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
        help_text=_("A .vtt file of captions for the uploaded video or sound file, in the "
                    "language of the material."))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "kind": instance.kind, "language": instance.language,
                "duration_minutes": instance.duration_minutes, "modules": instance.modules,
                "sectors": instance.sectors, "dimension_tags": instance.dimension_tags,
                "url": instance.url, "file": instance.file,
                "captions": instance.captions,
                **{f"{name}_{code}": getattr(instance, name).get(code, "")
                   for name in TEXT_FIELDS for code, _label in settings.LANGUAGES}})
        super().__init__(*args, **kwargs)
        self.fields["dimension_tags"].choices = tag_choices(ResourceForm)
        labels = {"title": _("Title"), "description": _("Short description"),
                  "body": _("Text"), "captions_note": _("About captions"),
                  "transcript": _("Transcript")}
        help_texts = {
            "captions_note": _("For a video or podcast: whether it has captions and how to "
                               "turn them on, e.g. “Norwegian subtitles: press CC in the "
                               "player.”"),
            "transcript": _("For a video or podcast: everything that is said, for those who "
                            "cannot or will not listen. Shown under the player.")}
        for code, _language in settings.LANGUAGES:
            for name in TEXT_FIELDS:
                field = (forms.CharField(max_length=200) if name == "title"
                         else forms.CharField(widget=forms.Textarea(attrs={"rows": 4})))
                field.required = False
                field.label = labels[name]  # the fieldset's legend names the language
                field.help_text = help_texts.get(name, "")
                self.fields[f"{name}_{code}"] = field

    def language_fieldsets(self):
        """[(language name, [bound fields])] for the form's per-language parts."""
        return [(language, [self[f"{name}_{code}"] for name in TEXT_FIELDS])
                for code, language in settings.LANGUAGES]

    def general_fields(self):
        return [self[name] for name in ("kind", "language", "duration_minutes", "modules",
                                        "sectors", "dimension_tags", "url", "file",
                                        "captions")]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            check_upload(upload)
        return upload

    def clean_captions(self):
        upload = self.cleaned_data.get("captions")
        if isinstance(upload, UploadedFile):
            check_captions(upload)
        return upload

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            data[name] = {code: data.get(f"{name}_{code}", "").strip()
                          for code, _language in settings.LANGUAGES
                          if data.get(f"{name}_{code}", "").strip()}
        if not data["title"]:
            self.add_error("title_" + settings.LANGUAGES[0][0],
                           _("Give the resource a title in at least one language."))
        upload = data.get("file")
        if not isinstance(upload, UploadedFile):
            # None: keep the stored file (if any); False: the admin chose to remove it.
            data["file"] = upload = False if upload is False else None
        keeps_file = upload is None and self.instance is not None and bool(self.instance.file)
        has_file = upload or keeps_file
        if not (data.get("url") or has_file or data["body"]) and "file" not in self.errors:
            raise forms.ValidationError(
                _("Give a link, upload a file or write a text, so there is something to open."))
        data["duration_minutes"] = data.get("duration_minutes") or 0
        self._clean_captions(data, upload if upload else (
            self.instance.file if keeps_file else None))
        return data

    def _clean_captions(self, data, media_file):
        """Captions go with a video or sound file uploaded here; a YouTube or Vimeo video has
        its captions in its player, which the captions note can say."""
        captions = data.get("captions")
        if not isinstance(captions, UploadedFile):
            data["captions"] = captions = False if captions is False else None
        keeps_captions = (captions is None and self.instance is not None
                          and bool(self.instance.captions))
        file_type = file_type_of(media_file.name) if media_file else None
        plays_here = file_type is not None and file_type.shown_as in ("video", "audio")
        if (captions or keeps_captions) and not plays_here and "captions" not in self.errors:
            if captions:
                self.add_error("captions", _(
                    "Captions go with a video or sound file uploaded here. For a video on "
                    "YouTube or Vimeo, say in “About captions” how to turn its captions on."))
            else:  # the media file was removed or replaced by another kind: drop the captions
                data["captions"] = False
