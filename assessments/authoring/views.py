"""Platform staff publish instrument versions on pages, not files: upload, check (errors
name the line), preview in every language, publish. Old rounds keep their version."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.authoring import selectors, services
from assessments.instruments_io import (
    InstrumentFileError,
    InstrumentVersionConflict,
    parse_instrument,
)
from assessments.models import Instrument
from tenancy.access import platform_staff_only

MAX_FILE_BYTES = 2 * 1024 * 1024


class InstrumentFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Instrument file (TOML)"),
        help_text=gettext_lazy(
            "A file in the instrument format; a new version needs a higher "
            "version number. Nothing is published before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload.read()


def _checked(request, raw):
    """The parsed file, or None with the error on the page's context."""
    try:
        name = getattr(request.FILES.get("file"), "name", "")
        return parse_instrument(raw, source_name=name), None
    except InstrumentFileError as error:
        return None, error


@platform_staff_only
@require_http_methods(["GET", "POST"])
def instruments(request):
    """Every stored version; upload a file to check and preview it, then publish it."""
    context = {"instruments": selectors.instruments_by_slug(), "form": InstrumentFileForm()}
    if request.method == "POST" and request.POST.get("action") == "publish":
        parsed, error = _checked(request, request.POST.get("source", ""))
        if parsed is not None:
            try:
                result = services.publish_instrument(parsed)
            except InstrumentVersionConflict:
                error = _(
                    "This version is published already with other content. Give the "
                    "file a higher version number."
                )
            else:
                messages.success(
                    request,
                    _("Version %(version)s is published.") % {"version": result.instrument.version},
                )
                return redirect("staff_instrument", instrument_id=result.instrument.pk)
        context["error"] = error
    elif request.method == "POST":
        form = InstrumentFileForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            parsed, error = _checked(request, form.cleaned_data["file"])
            context["error"] = error
            if parsed is not None:
                context.update(
                    parsed=parsed,
                    previews=selectors.preview_of(parsed.document),
                    change=selectors.change_from_stored(parsed.document),
                )
    return render(request, "assessments/authoring/instruments.html", context)


@platform_staff_only
def instrument_preview(request, instrument_id):
    """One stored version as leaders read it, in every language."""
    instrument = get_object_or_404(Instrument, pk=instrument_id)
    return render(
        request,
        "assessments/authoring/instrument.html",
        {"instrument": instrument, "previews": selectors.preview_of(instrument.definition)},
    )
