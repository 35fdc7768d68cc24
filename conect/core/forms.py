"""Bootstrap's classes on Django's widgets, and a field that chooses a record among
thousands by suggestions (AutocompleteChoiceField).

A form is drawn by Django's template-based renderer with the project's own templates
(templates/django/forms/div.html for a whole form, field.html for a field's label, help
text and errors). The one thing a template cannot give a widget is an attribute, so the
class of each control (form-control, form-select, form-check-input, and is-invalid when
the field has errors) is added here, where Django adds aria-invalid and aria-describedby
(BoundField.build_widget_attrs). Every form of the project mixes in BootstrapFormMixin.
The markup each form gets is checked by tests/core/test_forms.py.
"""

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext


def widget_class(widget: forms.Widget) -> str:
    """Bootstrap's class for the kind of control (a subclass included)."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # and multiple and yes/no lists
        return "form-select"
    return "form-control"


class BootstrapBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        wanted = [widget_class(widget)]
        if self.errors:
            wanted.append("is-invalid")
        classes = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        attrs["class"] = " ".join([*classes, *(css for css in wanted if css not in classes)])
        return attrs


class BootstrapFormMixin:
    """Put before Django's Form or ModelForm (django-filter's FilterSet: its Meta.form)."""

    bound_field_class = BootstrapBoundField


class AutocompleteInput(forms.TextInput):
    """A record chosen among thousands by its key. Without JavaScript, a text box of the
    key; static/js/autocomplete.js makes it a combobox that suggests records as one types
    (from the JSON view named by data-autocomplete-url) and keeps the key in a hidden
    input. The record chosen is shown by its label (one query)."""

    class Media:
        js = ["js/autocomplete.js"]

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = self.label_of(value)
        widget_attrs = context["widget"]["attrs"]
        if label:
            widget_attrs["data-autocomplete-label"] = label
        widget_attrs["data-autocomplete-empty"] = gettext("No suggestions")
        return context

    def label_of(self, value) -> str:
        """The label of the record whose key is `value` ("" if there is none)."""
        choices = getattr(self, "choices", None)  # the field's ModelChoiceIterator
        if value in (None, "") or choices is None:
            return ""
        try:
            record = choices.queryset.get(pk=value)
        except (ValueError, TypeError, ValidationError, ObjectDoesNotExist):
            return ""
        return choices.field.label_from_instance(record)


class AutocompleteChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a long list: drawn as an AutocompleteInput (not a <select>
    of every record), it still accepts only a key of its queryset. `url` is the address
    of the suggestions (a view that answers ?q= with [{"id", "label"}])."""

    widget = AutocompleteInput

    def __init__(self, queryset, *, url: str = "", **kwargs):
        super().__init__(queryset, **kwargs)
        self.url = url

    @property
    def url(self) -> str:
        return self.widget.attrs.get("data-autocomplete-url", "")

    @url.setter
    def url(self, value: str) -> None:
        if value:
            self.widget.attrs["data-autocomplete-url"] = value
