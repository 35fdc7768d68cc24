"""A choice of a record drawn from its key and a few columns, not from model instances.

Django's ModelChoiceField builds a model instance for every option it draws: for a list of
the 3,000 institutions (an institution's parent) that is most of the page's time. This
field reads `values_list("pk", *label_fields)` for the options and joins the label columns
with " — "; what it accepts, validates and returns is ModelChoiceField's own (a record of
the queryset, read by its key).
"""

from django import forms
from django.forms.models import ModelChoiceIterator


class KeyLabelIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for key, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (key, self.field.label_from_values(values))


class KeyLabelChoiceField(forms.ModelChoiceField):
    iterator = KeyLabelIterator

    def __init__(self, queryset, *, label_fields=("name",), **kwargs):
        self.label_fields = tuple(label_fields)
        super().__init__(queryset, **kwargs)

    def label_from_values(self, values) -> str:
        return " — ".join(str(value) for value in values)
