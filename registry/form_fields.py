"""Choice fields of the registry's reference records (domains, regions, counties), drawn
from keys and names (conect.core.fields), and the offers forms make with them."""

from django.db.models import Q, QuerySet

from conect.core.fields import KeyLabelChoiceField, KeyLabelMultipleChoiceField

from .models import Organisation, translated_name


class DomainLabels:
    """A domain's label as Domain.name gives it: the English name in English when there is
    one, else the Romanian."""

    label_fields = ("name_ro", "name_en")

    def label_from_values(self, values) -> str:
        return translated_name(*values)


class DomainsField(DomainLabels, KeyLabelMultipleChoiceField):
    pass


class RegionField(KeyLabelChoiceField):
    pass


class CountyField(KeyLabelChoiceField):
    pass


class CountiesField(KeyLabelMultipleChoiceField):
    pass


# What a form offers (KeyLabelMixin.offer): functions of the field's queryset and of keys.


def without_boundaries(places: QuerySet) -> QuerySet:
    """Regions or counties read without their boundaries (large GeoJSON), which picking
    one does not need."""
    return places.only("code", "name")


def active_domains(domains: QuerySet) -> QuerySet:
    return domains.filter(is_active=True).order_by("position", "name_ro")


def domains_offered_to_organisation(domains: QuerySet, pk: int) -> QuerySet:
    """The active domains, and the inactive ones the organisation already has."""
    own = Organisation.domains.through.objects.filter(organisation_id=pk).values("domain_id")
    return domains.filter(Q(is_active=True) | Q(pk__in=own)).order_by("position", "name_ro")


def institution_names(institutions: QuerySet) -> QuerySet:
    return institutions.only("name").order_by("name")


def institutions_other_than(institutions: QuerySet, pk: int) -> QuerySet:
    """Every institution but one (an institution cannot be its own parent)."""
    return institutions.exclude(pk=pk).only("name").order_by("name")
