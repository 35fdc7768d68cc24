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
from django.utils.safestring import mark_safe

from .forms_renderer import attributes, text


class KeyLabelIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for key, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (key, self.field.label_from_values(values))


class QuickSelect(forms.Select):
    """Django's Select, its options written straight from its choices: Django builds a
    dictionary per option (optgroups(), create_option()) before drawing it, which for a
    list of thousands is most of a page's time. The same markup (tested against Select);
    a list with groups, or several choices, goes to Django's own."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        parts = [f'<select name="{text(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>']
        found = False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in chosen
            found |= selected
            parts.append(
                f'\n  <option value="{text(option_value)}"{" selected" if selected else ""}>'
                f"{text(label)}</option>\n"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # every value is escaped above


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
    widget = QuickSelect


class KeyLabelMultipleChoiceField(KeyLabelMixin, forms.ModelMultipleChoiceField):
    pass
