"""A choice of records drawn from their keys and a few columns, not from model instances.

Django's ModelChoiceField builds a model instance for every option it draws: for a list of
the 3,000 institutions (an institution's parent) that is most of the page's time, and for
the counties and domains of a form a quarter of it. These fields read
`values_list("pk", *label_fields)` for the options and make the label from those columns
(joined with " — " unless a subclass says otherwise); what they accept, validate and return
is Django's own (records of the queryset, read by their keys).
"""

from django import forms
from django.forms.models import ModelChoiceIterator


class KeyLabelIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for key, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (key, self.field.label_from_values(values))


class KeyLabelMixin:
    iterator = KeyLabelIterator
    label_fields: tuple = ("name",)

    def __init__(self, queryset, *, label_fields=None, **kwargs):
        if label_fields is not None:
            self.label_fields = tuple(label_fields)
        super().__init__(queryset, **kwargs)

    def label_from_values(self, values) -> str:
        return " — ".join(str(value) for value in values)


class KeyLabelChoiceField(KeyLabelMixin, forms.ModelChoiceField):
    pass


class KeyLabelMultipleChoiceField(KeyLabelMixin, forms.ModelMultipleChoiceField):
    pass
