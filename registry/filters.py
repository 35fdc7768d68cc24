"""Filters shared by the registry's web pages and the API, so both accept the same
parameters: ?q=&region=&county=&domain=&legal_form=&status=&ordering="""

import copy

import django_filters
from django.core.signals import setting_changed
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.filters import FilterMethod
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Organisation
from .reference import reference
from .selectors.organisations import organisation_search

# Without ?ordering=, organisations come by name; the folded name sorts "Ș" with "S".
DEFAULT_ORGANISATION_ORDERING = ("search_name", "id")


class OrganisationOrderingFilter(django_filters.OrderingFilter):
    """Ordering that always ends with the id, so that a page never repeats a record of
    the page before, and sorts by name when nothing is asked."""

    # django-filter's own Romanian catalogue comes uncompiled in its wheel: this msgid in
    # ours translates the label of every descending order on the site.
    descending_fmt = _("%s (descending)")

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs.order_by(*DEFAULT_ORGANISATION_ORDERING)
        ordering = [self.get_ordering_value(param) for param in value]
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return qs.order_by(*ordering)


def _region_choices():
    return [(region.code, region.name) for region in reference().regions]


def _county_choices():
    return [(county.code, county.name) for county in reference().counties]


def _domain_choices():
    return [(domain.slug, domain.name) for domain in reference().active_domains]


REFERENCE_KINDS = {
    # kind: (choices, the snapshot's index by code or slug)
    "region": (_region_choices, "region_by_code"),
    "county": (_county_choices, "county_by_code"),
    "domain": (_domain_choices, "domain_by_slug"),
}


class ReferenceChoiceField(django_filters.fields.ChoiceField):
    """Checks a code or slug against the reference data and gives the record itself (the
    snapshot's shared instance), so that filters and filter methods get a model instance,
    as from a ModelChoiceField, without a query."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def valid_value(self, value):
        """Looked up in the snapshot's index rather than in the list of choices (the
        active domains only, as the choices offer)."""
        record = getattr(reference(), REFERENCE_KINDS[self.kind][1]).get(str(value))
        return record is not None and getattr(record, "is_active", True)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return getattr(reference(), REFERENCE_KINDS[self.kind][1])[value]


@extend_schema_field(OpenApiTypes.STR)
class ReferenceChoiceFilter(django_filters.ChoiceFilter):
    """A region (NUTS-2 code), county (NUTS-3 code) or domain (slug), checked against the
    reference data held in memory (registry.reference): no query to check the value, none
    to list the choices. `through_counties`: a region filters a county column by the
    region's counties' ids, with no JOIN."""

    field_class = ReferenceChoiceField

    def __init__(self, *, kind: str, through_counties: bool = False, **kwargs):
        self.through_counties = through_counties
        super().__init__(choices=REFERENCE_KINDS[kind][0], kind=kind, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.through_counties:
            ids = [county.pk for county in reference().counties_of_region(value)]
            return qs.filter(**{f"{self.field_name}__in": ids})
        return qs.filter(**{self.field_name: value.pk})


class RegistryFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is made once per class, not once per request.

    django-filter builds a new form class from the filters' fields on every use; those
    fields never change (choices of reference data are read when the form is drawn, see
    ReferenceChoiceFilter), and every form still gets its own copies of them (Django's
    Form copies its class's fields)."""

    _form_classes: dict = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's own, except that each filter is copied shallowly: a deep
        # copy of every filter's configuration (labels, choices) took a tenth of a list
        # page's time, and nothing changes it after the class is made. Each copy still
        # gets its own model, parent and form field.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)
            if isinstance(filter_.__dict__.get("filter"), FilterMethod):
                filter_.filter = FilterMethod(filter_)  # a method filter calls its own parent
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        form_class = self._form_classes.get(type(self))
        if form_class is None:
            form_class = self._form_classes[type(self)] = super().get_form_class()
        return form_class


def _forget_form_classes(**kwargs) -> None:
    RegistryFilterSet._form_classes.clear()


setting_changed.connect(_forget_form_classes, dispatch_uid="registry.filters.form_classes")


class OrganisationFilter(RegistryFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    region = ReferenceChoiceFilter(
        kind="region",
        through_counties=True,
        label=_("Development region"),
        field_name="county_id",
        empty_label=_("All regions"),
    )
    county = ReferenceChoiceFilter(
        kind="county", label=_("County"), field_name="county_id", empty_label=_("All counties")
    )
    domain = ReferenceChoiceFilter(
        kind="domain",
        label=_("Domain of activity"),
        field_name="domains",
        empty_label=_("All domains"),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=Organisation.LegalForm.choices,
        empty_label=_("All legal forms"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Organisation.PUBLIC_STATUSES],
        empty_label=_("Verified and imported"),
    )
    ordering = OrganisationOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("search_name", "name"),
            ("created_at", "created"),
            ("registration_date", "registered"),
        ),
        field_labels={
            "search_name": pgettext_lazy("legal entity", "name"),
            "created_at": _("date added"),
            "registration_date": _("registration date"),
        },
        empty_label=None,
    )

    class Meta:
        model = Organisation
        fields = ["q", "region", "county", "domain", "legal_form", "status"]

    def filter_text(self, queryset, name, value):
        return organisation_search(queryset, value)
