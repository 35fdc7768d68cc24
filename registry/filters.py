"""Filters shared by the registry's web pages and the API, so both accept the same
parameters: ?q=&region=&county=&domain=&legal_form=&status=&ordering="""

import copy
import functools

import django_filters
from django.core.signals import setting_changed
from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import FilterMethod
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from conect.core.baked import BakedList, BakedRows
from conect.core.forms import copy_field

from .models import Organisation
from .reference import reference
from .search import search_by_terms, search_terms

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
            return self.filter_ids(qs, self.county_ids(value))
        return qs.filter(**{self.field_name: value.pk})

    def county_ids(self, region) -> list[int]:
        return [county.pk for county in reference().counties_of_region(region)]

    def filter_ids(self, qs, ids):
        return qs.filter(**{f"{self.field_name}__in": list(ids)})


class SearchFilter(django_filters.CharFilter):
    """?q=: a search that ignores diacritics and case (registry.search), in the name; with
    `vector`, in the full text too."""

    def __init__(self, *, vector: bool = False, **kwargs):
        self.vector = vector
        super().__init__(**kwargs)

    def filter(self, qs, value):
        terms = search_terms(value or "", vector=self.vector)
        return search_by_terms(qs, terms, vector=self.vector)


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
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsSharingChoices(form_class.base_fields)
            # Made once per class: registry_tags.search_field may keep its options.
            form_class.keeps_options = True
            self._form_classes[type(self)] = form_class
        return form_class

    def baked_rows(self, baked: BakedList):
        """The records that the filters keep, as self.qs would give them, but read with SQL
        written once per shape of the search (conect.core.baked.BakedList): a BakedRows a
        paginator can page. self.qs when a filter that is set cannot be baked.

        A shape names each filter's kind of value (a text search of three words, a region,
        a county, a value, an ordering); its arguments are the SQL parameters the values
        give. A filter method given a record (a county, a domain) may read only its pk: the
        shape is built once, with a record that has only a pk."""
        cleaned = {}
        if self.is_bound:
            self.errors  # noqa: B018 (validates the form, as self.qs does)
            cleaned = self.form.cleaned_data
        parts, args = [], []
        for name, value in cleaned.items():
            part = _bake(self.filters[name], value)
            if part is None:
                return self.qs
            shape, values = part
            parts.append((name, shape, len(values)))
            args += values
        parts = tuple(parts)
        apply = functools.partial(_apply_baked, type(self), parts)
        return BakedRows(baked.query((type(self), parts), apply), args)


class _FieldsSharingChoices(dict):
    """A search form's fields, which each form copies as Django does (field, widget,
    error messages and validators of its own) except that a drop-down list's choices are
    shared rather than deep-copied: nothing changes them in place, and the deep copy of
    ninety lazily translated labels took a tenth of a list page's Python. A field or widget
    with a copy of its own kind (a ModelChoiceField's queryset) is deep-copied."""

    def __deepcopy__(self, memo):
        return {name: copy_field(field, memo, share_choices=True) for name, field in self.items()}


def _bake(filter_, value) -> tuple[tuple, tuple] | None:
    """(shape, arguments) of one filter's value (see RegistryFilterSet.baked_rows), or None
    when it cannot be baked."""
    if value in EMPTY_VALUES:
        return ("empty", () if isinstance(value, list) else value), ()
    if isinstance(filter_, django_filters.OrderingFilter):
        return ("order", tuple(value)), ()
    if isinstance(filter_, SearchFilter):
        terms = search_terms(value, vector=filter_.vector)
        return ("search", len(terms)), terms
    if isinstance(filter_, ReferenceChoiceFilter) and filter_.through_counties:
        ids = tuple(filter_.county_ids(value))
        return (("in", len(ids)), ids) if ids else None
    if isinstance(value, Model) and isinstance(
        filter_, ReferenceChoiceFilter | django_filters.ModelChoiceFilter
    ):
        return ("record", type(value)), (value.pk,)
    if (
        type(filter_) is django_filters.ChoiceFilter
        and filter_.method is None
        and isinstance(value, str)
    ):
        return ("value", None), (value,)
    return None


def _apply_baked(filterset_class, parts, queryset, *args):
    """The queryset of a shape (RegistryFilterSet.baked_rows), each filter applied to its
    arguments in the order the filterset applies them."""
    filters = filterset_class(queryset=queryset).filters
    position = 0
    for name, (kind, detail), count in parts:
        filter_ = filters[name]
        values = args[position : position + count]
        position += count
        if kind == "empty":
            queryset = filter_.filter(queryset, detail)
        elif kind == "order":
            queryset = filter_.filter(queryset, list(detail))
        elif kind == "search":
            queryset = search_by_terms(queryset, values, vector=filter_.vector)
        elif kind == "in":
            queryset = filter_.filter_ids(queryset, values)
        elif kind == "record":
            queryset = filter_.filter(queryset, detail(pk=values[0]))
        else:
            queryset = filter_.filter(queryset, values[0])
    return queryset


def _forget_form_classes(**kwargs) -> None:
    RegistryFilterSet._form_classes.clear()


setting_changed.connect(_forget_form_classes, dispatch_uid="registry.filters.form_classes")


class OrganisationFilter(RegistryFilterSet):
    q = SearchFilter(label=_("Search"), vector=True)
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
