"""RegistryFilterSet: the registry's search forms, made once per class and shared by
requests without leaking one request's values into another's."""

from django.http import QueryDict

from registry.filters import OrganisationFilter
from registry.filters_institutions import InstitutionFilter
from registry.models import Institution, Organisation
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
