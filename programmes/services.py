"""Staff edit the standard programme's texts on pages (programmes/views.py). Each change is
written with its audit event; the programme file (loader.py) loaded again would write the
file's texts back, so edits made here are the ones to keep in the file too (README)."""

from django.db import transaction

from tenancy import audit


@transaction.atomic
def update_texts(row, **values):
    """Save the changed fields of a module, phase or activity and record which changed."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    audit.record(
        audit.EventKind.PROGRAMME_CHANGED,
        target=row,
        part=row._meta.model_name,
        slug=getattr(row, "slug", "") or getattr(row, "kind", ""),
        fields=changed,
    )
    return changed
