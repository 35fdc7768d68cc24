"""Labels are in the reader's language, whichever language the module that defines them
was imported in: sort orders, the import list's dry-run badge, the map's attribution."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conect.core.filters import LocalisedOrderingFilter
from registry.geography import ATTRIBUTION
from registry.models import ImportJob


def _options(html: str, name: str = "ordering") -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def _page(client, url: str, language: str) -> str:
    cache.clear()  # the filter forms are cached fragments (keyed by language too)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "consultations:list",
        "registry:organisation-list",
        "registry:institution-list",
        "registry:official-list",
        "registry:structure-list",
    ],
)
def test_sort_labels_follow_the_page_language(client, db, url_name):
    """Every sort order of a list reads Romanian on a Romanian page and English on an
    English one, whichever page was shown first: no "(descending)" on Romanian pages,
    no "(descrescător)" on English pages."""
    url = reverse(url_name)
    for first, second in (("en", "ro"), ("ro", "en")):
        pages = {first: _page(client, url, first), second: _page(client, url, second)}
        english, romanian = _options(pages["en"]), _options(pages["ro"])
        assert any(label.endswith("(descending)") for label in english)
        assert not any("descrescător" in label for label in english)
        assert any(label.endswith("(descrescător)") for label in romanian)
        assert not any("descending" in label for label in romanian)
        assert english != romanian


def test_descending_labels_are_translated_when_shown():
    """The filter keeps its labels lazy: the same choices read in either language."""
    ordering = LocalisedOrderingFilter(
        fields=(("name", "name"),), field_labels={"name": translation.gettext_lazy("name")}
    )
    labels = [label for _value, label in ordering.extra["choices"]]
    with translation.override("ro"):
        assert [str(label) for label in labels] == ["nume", "nume (descrescător)"]
    with translation.override("en"):
        assert [str(label) for label in labels] == ["name", "name (descending)"]


def test_the_dry_run_badge_of_the_import_list_is_translated(client, coordinator):
    """A coordinator reading in Romanian sees "simulare", in English "dry run"."""
    job = ImportJob(original_name="registru.csv", size=10, created_by=coordinator, dry_run=True)
    job.source_file.save("test.csv", ContentFile(b"Denumire;CIF\r\n"), save=False)
    job.save()
    badges = {}
    for language in ("ro", "en"):
        coordinator.preferred_language = language
        coordinator.save(update_fields=["preferred_language"])
        client.force_login(coordinator)
        html = client.get(reverse("registry:import-list")).content.decode()
        badges[language] = re.findall(r'<span class="badge text-bg-secondary">([^<]*)</span>', html)
    assert badges == {"ro": ["simulare"], "en": ["dry run"]}


def test_the_map_attribution_is_in_the_page_language(client, db):
    """The map's attribution is translated for each page and each data answer, never
    frozen in the shared cache in the language of the first visitor."""
    msgid = "Source: Eurostat / GISCO. © EuroGeographics for the administrative boundaries."
    assert str(ATTRIBUTION) == gettext(msgid)
    for language in ("ro", "en", "ro"):
        with translation.override(language):
            expected = gettext(msgid)
        response = client.get(reverse("map:map"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.context["map_config"]["attribution"] == expected
        for data_url in (reverse("map:map-data"), reverse("map:map-boundaries")):
            data = client.get(data_url, HTTP_ACCEPT_LANGUAGE=language).json()
            assert data["attribution"] == expected
    assert "attribution" not in cache.get("map:boundaries:v1", {})
