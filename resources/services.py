"""Writes on a network's own resources (the shared library comes from the programme file)."""

from django.db import transaction
from django.utils.text import slugify

from resources.models import Resource
from tenancy.translated import translated

FIELDS = ("kind", "language", "duration_minutes", "url", "modules", "sectors",
          "dimension_tags", "title", "description", "body", "captions_note", "transcript")
# Uploaded files: an uploaded file replaces the stored one, False removes it, None keeps it.
FILE_FIELDS = ("file", "captions")


def _unique_slug(network, title):
    base = slugify(translated(title))[:40] or "resource"
    taken = set(Resource.objects.of_network(network)
                .filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _delete_file_after_commit(file):
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


def create_resource(network, data):
    resource = Resource(network=network, slug=_unique_slug(network, data["title"]),
                        **{name: data[name] for name in FIELDS})
    for name in FILE_FIELDS:
        if data.get(name):
            setattr(resource, name, data[name])
    resource.save()
    return resource


def update_resource(resource, data):
    """Save the changes; a replaced or removed file is deleted once the change is stored."""
    for name in FIELDS:
        setattr(resource, name, data[name])
    for name in FILE_FIELDS:
        upload = data.get(name)
        if upload is not None:
            _delete_file_after_commit(getattr(resource, name))
            setattr(resource, name, upload or "")
    resource.save()
    return resource


def delete_resource(resource):
    for name in FILE_FIELDS:
        _delete_file_after_commit(getattr(resource, name))
    resource.delete()
