"""What the registry's search pages and the API's filters share: the search form, the
text search and the region, county and domain filters chosen by their codes."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from conect.core.collation import by_name
from conect.core.forms import BootstrapFormMixin

from ..models import County, Domain, Region
from ..search import search_filter


def regions():
    return Region.objects.only("id", "code", "name").order_by(by_name())


def counties():
    return County.objects.only("id", "code", "name", "region_id").order_by(by_name())


def active_domains():
    return Domain.objects.filter(is_active=True)


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A region (NUTS-2 code), county (NUTS-3 code) or domain (slug), chosen by its code
    (documented as a string in the API); filters and filter methods get the record."""


def region_filter(**extra):
    return CodeChoiceFilter(
        label=_("Development region"), queryset=regions(), to_field_name="code", **extra
    )


def county_filter(**extra):
    return CodeChoiceFilter(label=_("County"), queryset=counties(), to_field_name="code", **extra)


def domain_filter(**extra):
    return CodeChoiceFilter(
        label=_("Domain of activity"), queryset=active_domains(), to_field_name="slug", **extra
    )


class SearchForm(BootstrapFormMixin, forms.Form):
    """The form of the registry's search pages (a FilterSet's Meta.form)."""


class SearchFilter(django_filters.CharFilter):
    """?q=: a search that ignores diacritics and case (registry.search), in the name; with
    `vector`, in the full text too."""

    def __init__(self, *, vector: bool = False, **kwargs):
        self.vector = vector
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return search_filter(qs, value or "", vector=self.vector)
