"""What the FilterSets of every app share."""

import django_filters
from django.utils.functional import lazy
from django.utils.translation import gettext

from .collation import collated_ordering


def _descending(label) -> str:
    return gettext("%s (descending)") % label


descending_label = lazy(_descending, str)


class LocalisedOrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter, whose labels are translated when a page shows
    them, in the reader's language. django-filter builds "label (descending)" once, when
    the module is imported, in whatever language was active then (and with its own
    catalogue, which its wheel ships uncompiled): Romanian words on English pages and
    English ones on Romanian pages. Every label must be given in `field_labels`."""

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}") or descending_label(label))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def filter(self, qs, value):
        """Orderings by a name follow the Romanian alphabet (conect.core.collation)."""
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*collated_ordering([self.get_ordering_value(p) for p in value]))
