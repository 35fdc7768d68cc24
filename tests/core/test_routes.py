"""The registry's routes nested by their first segment (conect.core.routes): every address
reaches the same view under the same name, and reverses to the same address."""

import re

import pytest
from django.urls import path, resolve, reverse

from conect.core.routes import by_first_segment
from registry.urls_import import urlpatterns as import_urls
from registry.urls_institutions import urlpatterns as institution_urls
from registry.urls_organisations import urlpatterns as organisation_urls

FLAT = [*organisation_urls, *institution_urls, *import_urls]
SAMPLES = {"int": "42", "str": "a-token", "slug": "organisation"}
CONVERTER = re.compile(r"<(\w+):(\w+)>")


def _sample(route: str) -> tuple[str, dict]:
    kwargs = {name: SAMPLES[kind] for kind, name in CONVERTER.findall(route)}
    return CONVERTER.sub(lambda match: SAMPLES[match.group(1)], route), kwargs


@pytest.mark.parametrize("pattern", FLAT, ids=[pattern.name for pattern in FLAT])
def test_every_route_reaches_its_view_by_its_name(pattern):
    address, kwargs = _sample(str(pattern.pattern))
    found = resolve(f"/registry/{address}")
    assert found.func == pattern.callback
    assert found.view_name == f"registry:{pattern.name}"
    assert found.kwargs == {name: int(v) if v.isdigit() else v for name, v in kwargs.items()}
    assert reverse(f"registry:{pattern.name}", kwargs=found.kwargs) == f"/registry/{address}"


def test_routes_are_nested_by_their_first_segment():
    nested = by_first_segment(FLAT)
    assert len(nested) < len(FLAT) / 4
    prefixes = [str(item.pattern) for item in nested]
    assert len(prefixes) == len(set(prefixes))  # one entry per first segment


def test_a_list_with_a_route_starting_with_a_converter_is_left_as_it_is():
    """`<slug:s>/y/` could match what a later `a/y/` matches: the order decides, so the
    list is not regrouped."""
    view = lambda request: None  # noqa: E731
    patterns = [path("a/x/", view), path("<slug:s>/y/", view), path("a/y/", view)]
    assert by_first_segment(patterns) == patterns
