"""config/urls.py: Django tries the patterns in order, and the gathering day's pages come
first; every named address still leads to its own view, so no pattern shadows another."""

from django.urls import get_resolver, resolve, reverse

SAMPLES = {"int": "7", "slug": "some-slug", "str": "some-text", "path": "some/path"}


def test_every_named_address_resolves_to_its_own_name():
    checked = 0
    for name, entries in get_resolver().reverse_dict.lists():
        if not isinstance(name, str):
            continue
        for possibilities, _pattern, _defaults, converters in entries:
            for _format, params in possibilities:
                kwargs = {param: SAMPLES.get(type(converters.get(param)).__name__
                                             .removesuffix("Converter").lower(), "x")
                          for param in params}
                address = reverse(name, kwargs=kwargs)
                assert resolve(address).url_name == name, (name, address)
                checked += 1
    assert checked > 100  # every app's addresses were tried
