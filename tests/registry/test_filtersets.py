"""RegistryFilterSet: the registry's search forms, made once per class and shared by
requests without leaking one request's values into another's."""

import re

from django.http import QueryDict
from django.urls import reverse

from registry.filters import OrganisationFilter
from registry.filters_institutions import InstitutionFilter, OfficialFilter
from registry.models import Domain, Institution, Organisation, RelationshipOfficial
from registry.selectors.institutions import institution_list_rows


def test_the_form_class_is_made_once_and_each_form_has_its_own_fields(db):
    first = InstitutionFilter(QueryDict("q=cluj"), queryset=institution_list_rows())
    second = InstitutionFilter(QueryDict("q=iasi"), queryset=institution_list_rows())
    assert type(first.form) is type(second.form)
    assert first.form.fields["q"] is not second.form.fields["q"]
    assert first.form["q"].value() == "cluj" and second.form["q"].value() == "iasi"


def test_two_searches_at_once_each_filter_by_their_own_words(db, county):
    """A method filter (the text search) calls the filterset it belongs to: a search
    made while another is open gets its own words, and the shared class keeps none."""
    Institution.objects.create(name="Primăria Cluj", kind="city_hall", level="local")
    Institution.objects.create(name="Primăria Iași", kind="city_hall", level="local")
    cluj = InstitutionFilter(QueryDict("q=cluj"), queryset=institution_list_rows())
    iasi = InstitutionFilter(QueryDict("q=iasi"), queryset=institution_list_rows())
    assert [i.name for i in iasi.qs] == ["Primăria Iași"]
    assert [i.name for i in cluj.qs] == ["Primăria Cluj"]
    for filter_ in InstitutionFilter.base_filters.values():
        assert not hasattr(filter_, "parent")


def test_a_bad_value_is_refused_in_its_own_form_only(db):
    bad = OrganisationFilter(QueryDict("county=XX"), queryset=Organisation.objects.all())
    good = OrganisationFilter(QueryDict(""), queryset=Organisation.objects.all())
    assert not bad.is_valid() and "county" in bad.form.errors
    assert good.is_valid() and not good.form.errors


def _option(html: str, value: str) -> str:
    return re.search(rf'<option value="{re.escape(value)}"[^>]*>[^<]*</option>', html).group(0)


def test_the_options_are_kept_per_language_and_each_request_marks_its_own(client, county):
    """A drop-down list's options are written once per form, field and language (kept
    with the reference snapshot): each request still marks its own choice, and each
    language gets its own labels."""
    url = reverse("registry:institution-list")
    cluj = client.get(url, {"county": "RO113"}, HTTP_ACCEPT_LANGUAGE="en").text
    ilfov = client.get(url, {"county": "RO321"}, HTTP_ACCEPT_LANGUAGE="en").text
    none = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "selected" in _option(cluj, "RO113") and "selected" not in _option(cluj, "RO321")
    assert "selected" in _option(ilfov, "RO321") and "selected" not in _option(ilfov, "RO113")
    assert "selected" in _option(none, "") and "selected" not in _option(none, "RO113")
    assert ">ministry<" in _option(none, "ministry")
    romanian = client.get(url, {"kind": "ministry"}, HTTP_ACCEPT_LANGUAGE="ro").text
    assert _option(romanian, "ministry") == '<option value="ministry" selected>minister</option>'


def test_a_domain_made_inactive_leaves_the_options_at_once(client, db):
    """The options follow the reference data: a domain made inactive is no longer
    offered (the snapshot that kept them is replaced)."""
    url = reverse("registry:official-list")
    assert 'value="health"' in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    health = Domain.objects.get(slug="health")
    health.is_active = False
    health.save()
    assert 'value="health"' not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text


def test_forms_share_choices_but_not_fields_widgets_or_querysets(db):
    """Each form has its own fields and widgets (a change to one is not seen by the
    next); only the lists of choices are shared, and a ModelChoiceField's queryset is
    its own."""
    first = OfficialFilter(QueryDict(""), queryset=RelationshipOfficial.objects.all()).form
    second = OfficialFilter(QueryDict(""), queryset=RelationshipOfficial.objects.all()).form
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].widget is not second.fields[name].widget
    first.fields["county"].widget.attrs["data-x"] = "1"
    assert "data-x" not in second.fields["county"].widget.attrs
    assert first.fields["institution"].queryset is not second.fields["institution"].queryset
    assert list(first.fields["ordering"].choices) == list(second.fields["ordering"].choices)


def test_options_of_a_form_made_per_request_are_not_kept(db):
    """Only a registry search form (its class made once) keeps its options: another
    form's class is new on each request, and keeping its options would grow without end."""
    from django import forms

    from registry.reference import reference
    from registry.templatetags.registry_tags import search_field

    class OneOff(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    before = len(reference().memo)
    html = search_field(OneOff(data={"kind": "b"})["kind"])
    assert '<option value="b" selected>B</option>' in html
    assert len(reference().memo) == before
    kept = InstitutionFilter(QueryDict("kind=ministry"), queryset=Institution.objects.all())
    search_field(kept.form["kind"])
    assert len(reference().memo) == before + 1
