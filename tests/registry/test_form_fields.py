"""The registry's reference choices (domains, counties) drawn from keys and names: the
same options, labels (in each language), checked boxes and validation as Django's model
choice fields, with no model instance per option."""

import pytest
from django import forms
from django.utils import translation

from registry.form_fields import CountiesField, CountyField, DomainsField
from registry.forms_institutions import OfficialForm
from registry.models import County, Domain

pytestmark = pytest.mark.django_db


def _pair(light_class, queryset, widget):
    class Light(forms.Form):
        choice = light_class(queryset, widget=widget, required=False)

    class Full(forms.Form):
        choice = (
            forms.ModelMultipleChoiceField
            if issubclass(light_class, forms.ModelMultipleChoiceField)
            else forms.ModelChoiceField
        )(queryset, widget=widget, required=False)

    return Light, Full


@pytest.mark.parametrize("language", ["ro", "en"])
def test_domains_and_counties_are_drawn_as_djangos_fields_draw_them(language):
    domains = Domain.objects.filter(is_active=True).order_by("position", "name_ro")
    counties = County.objects.order_by("name")
    chosen_domains = list(domains.values_list("pk", flat=True)[:2])
    chosen_counties = list(counties.values_list("pk", flat=True)[3:5])
    cases = [
        (DomainsField, domains, forms.CheckboxSelectMultiple, chosen_domains),
        (CountiesField, counties, forms.CheckboxSelectMultiple, chosen_counties),
        (CountyField, counties, forms.Select, chosen_counties[0]),
    ]
    with translation.override(language):
        for light_class, queryset, widget, initial in cases:
            Light, Full = _pair(light_class, queryset, widget)
            light, full = Light(initial={"choice": initial}), Full(initial={"choice": initial})
            assert str(light["choice"]) == str(full["choice"]), light_class.__name__
            assert "checked" in str(light["choice"]) or "selected" in str(light["choice"])


def test_a_form_keeps_what_it_accepts_and_refuses():
    counties = list(County.objects.order_by("name")[:2])
    form = OfficialForm(
        data={
            "name": "Ion Pop",
            "position": "Consilier",
            "email": "ion.pop@gov.example.ro",
            "language": "ro",
            "counties": [str(c.pk) for c in counties],
            "domains": ["999999"],
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["domains"]
    assert list(form.cleaned_data["counties"]) == counties


def test_the_options_cost_one_query_of_keys_and_names(django_assert_num_queries):
    form = OfficialForm()
    with django_assert_num_queries(2):  # the domains, the counties
        html = str(form["domains"]) + str(form["counties"])
    assert html.count('type="checkbox"') == (
        Domain.objects.filter(is_active=True).count() + County.objects.count()
    )
