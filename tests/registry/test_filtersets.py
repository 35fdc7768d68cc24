"""The registry's search forms: plain django-filter FilterSets; each request filters by its
own values and the drop-down lists follow the reference data."""

import re

from django.http import QueryDict
from django.urls import reverse

from registry.filters.institutions import InstitutionFilter
from registry.filters.organisations import OrganisationFilter
from registry.models import County, Domain, Institution, Organisation
from registry.selectors.institutions import institution_list_rows
from registry.services.domains import domain_update


def test_two_searches_at_once_each_filter_by_their_own_words(db, county):
    """A method filter (the text search) calls the filterset it belongs to: a search
    made while another is open gets its own words, and the shared class keeps none."""
    Institution.objects.create(name="Primăria Cluj", kind="city_hall", level="local")
    Institution.objects.create(name="Primăria Iași", kind="city_hall", level="local")
    cluj = InstitutionFilter(QueryDict("q=cluj"), queryset=institution_list_rows())
    iasi = InstitutionFilter(QueryDict("q=iasi"), queryset=institution_list_rows())
    assert [i.name for i in iasi.qs] == ["Primăria Iași"]
    assert [i.name for i in cluj.qs] == ["Primăria Cluj"]


def test_a_bad_value_is_refused_in_its_own_form_only(db):
    bad = OrganisationFilter(QueryDict("county=XX"), queryset=Organisation.objects.all())
    good = OrganisationFilter(QueryDict(""), queryset=Organisation.objects.all())
    assert not bad.is_valid() and "county" in bad.form.errors
    assert good.is_valid() and not good.form.errors


def _option(html: str, value: str) -> str:
    return re.search(rf'<option value="{re.escape(value)}"[^>]*>[^<]*</option>', html).group(0)


def test_each_request_marks_its_own_choice_in_its_own_language(client, county):
    """A drop-down list marks the choice of its own request, with the labels of its
    language."""
    url = reverse("registry:organisation-list")
    cluj = client.get(url, {"county": "RO113"}, HTTP_ACCEPT_LANGUAGE="en").text
    ilfov = client.get(url, {"county": "RO321"}, HTTP_ACCEPT_LANGUAGE="en").text
    none = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "selected" in _option(cluj, "RO113") and "selected" not in _option(cluj, "RO321")
    assert "selected" in _option(ilfov, "RO321") and "selected" not in _option(ilfov, "RO113")
    assert "selected" in _option(none, "") and "selected" not in _option(none, "RO113")
    assert ">association<" in _option(none, "association")
    romanian = client.get(url, {"legal_form": "association"}, HTTP_ACCEPT_LANGUAGE="ro").text
    chosen = '<option value="association" selected>asociație</option>'
    assert _option(romanian, "association") == chosen


def test_a_domain_made_inactive_leaves_the_options_at_once(
    client, coordinator, django_capture_on_commit_callbacks
):
    """The options follow the reference data: a domain a coordinator makes inactive is no
    longer offered, though the filter form was a cached fragment."""
    url = reverse("registry:structure-list")
    assert 'value="health"' in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    health = Domain.objects.get(slug="health")
    with django_capture_on_commit_callbacks(execute=True):
        domain_update(domain=health, actor=coordinator, is_active=False)
    assert 'value="health"' not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text


def test_a_region_keeps_the_organisations_of_its_counties(organisation, county):
    """?region= keeps the organisations of the region's counties, ?county= those of the
    county, ?domain= (a slug) those of the domain; each by its code, as the API takes it."""
    health = Domain.objects.get(slug="health")
    here = organisation
    here.domains.set([health])
    Organisation.objects.create(
        name="Asociația Altundeva",
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code="14186770",
        county=County.objects.exclude(region=county.region).first(),
    )
    elsewhere = Organisation.objects.exclude(county__region=county.region).values_list(
        "pk", flat=True
    )
    found = OrganisationFilter(
        QueryDict(f"region={county.region.code}"), queryset=Organisation.objects.all()
    ).qs
    assert here in found and not set(elsewhere) & {o.pk for o in found}
    by_county = OrganisationFilter(
        QueryDict(f"county={county.code}&domain=health"), queryset=Organisation.objects.all()
    ).qs
    assert list(by_county) == [here]


def test_the_search_form_is_drawn_by_django_with_its_labels_and_choices(client, county):
    html = client.get(reverse("registry:organisation-list"), HTTP_ACCEPT_LANGUAGE="en").text
    form = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert '<label class="form-label" for="id_county">County</label>' in form
    assert re.search(r'<select name="county" class="form-select" id="id_county">', form)
    assert '<option value="" selected>All counties</option>' in form
    assert f'<option value="{county.code}">{county.name}</option>' in form
    assert '<input type="text" name="q" class="form-control" id="id_q">' in form
