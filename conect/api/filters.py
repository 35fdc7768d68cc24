"""Filters that several collections of the API share."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC before it reaches the database.

    Python reads offsets up to ±23:59 but PostgreSQL refuses those beyond ±15:59 (a 500
    before this field); the same moment in UTC is what the database stores anyway. A
    moment that leaves the calendar once in UTC (year 1 at +01:00) becomes its first or
    last moment, which filters "since" exactly the same way.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            edge = (
                datetime.datetime.min
                if value.utcoffset() > datetime.timedelta(0)
                else (datetime.datetime.max)
            )
            return edge.replace(tzinfo=datetime.UTC)


class SinceFilter(django_filters.IsoDateTimeFilter):
    """Records changed (or sent) at or after an ISO 8601 moment, in any time zone."""

    field_class = UtcIsoDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """Records that refer to the record with this id (an institution, a consultation).
    An id that names nothing matches nothing, as an id beyond the database's integers
    does (instead of overflowing the query)."""

    field_class = forms.IntegerField
    LIMIT = 2**63 - 1

    def filter(self, qs, value):
        if value is not None and not -self.LIMIT <= value <= self.LIMIT:
            return qs.none()
        return super().filter(qs, value)


class StrictBooleanField(forms.Field):
    """`true` or `false` (or empty, for no filter), as the schema says: anything else is
    refused rather than read as one or the other."""

    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in self.VALUES:
            raise forms.ValidationError(
                gettext("Choose “true” or “false” (you sent “%(value)s”).")
                % {"value": str(value)[:50]},
                code="invalid",
            )
        return self.VALUES[value]

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
