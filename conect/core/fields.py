"""A choice of records drawn from their keys and a few columns, not from model instances.

Django's ModelChoiceField builds a model instance for every option it draws: for a list of
the 3,000 institutions (an institution's parent) that is most of the page's time, and for
the counties and domains of a form a quarter of it. These fields read
`values_list("pk", *label_fields)` for the options and make the label from those columns
(joined with " — " unless a subclass says otherwise); what they accept, validate and return
is Django's own (records of the queryset, read by their keys).

The options' SQL is written once (conect.core.baked.BakedValues): for the queryset the field
is defined with, and for those a form gives with `offer(build, *args)`, `build` being a
function of the field's queryset and the arguments (keys or texts) and of nothing else. A
queryset set otherwise (`field.queryset = ...`) is read through the ORM as usual.
"""

from collections.abc import Callable
from html import escape as html_escape

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe

from .baked import BakedValues
from .forms_renderer import attributes, text


class KeyLabelIterator(ModelChoiceIterator):
    def __init__(self, field):
        self.field = field  # its queryset is read only if needed (KeyLabelMixin.offer)

    @property
    def queryset(self):
        return self.field.queryset

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label = self.field.label_from_values
        for key, *values in self.field.option_rows():
            yield (key, label(values))


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
            if type(label) is str:
                label = html_escape(label)
            elif isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            else:
                label = text(label)
            if type(option_value) is int:  # a key: digits, nothing to escape
                option_value = str(option_value)
                written = option_value
            else:
                option_value = "" if option_value is None else str(option_value)
                written = text(option_value)
            selected = not found and option_value in chosen
            found |= selected
            parts.append(
                f'\n  <option value="{written}"{" selected" if selected else ""}>{label}</option>\n'
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # every value is escaped above


class KeyLabelMixin:
    iterator = KeyLabelIterator
    label_fields: tuple = ("name",)

    def __init__(self, queryset, *, label_fields=None, **kwargs):
        if label_fields is not None:
            self.label_fields = tuple(label_fields)
        self._offer = None
        super().__init__(queryset, **kwargs)
        # The options' baked SQL, by build function: shared with the form's copies of the
        # field (Field.__deepcopy__ copies the field, not this dictionary).
        self._defined = self._queryset
        self._baked: dict[Callable | None, BakedValues] = {}
        self._offer = (None, ())

    def __deepcopy__(self, memo):
        offer = self._offer
        result = super().__deepcopy__(memo)  # sets a copy of the queryset
        result._offer = offer
        return result

    @property
    def queryset(self):
        if self._queryset is None and self._offer is not None and self._offer[0] is not None:
            build, args = self._offer
            self._queryset = build(self._defined, *args)  # built when first needed
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._offer = None  # set by hand: the ORM reads the options
        self._queryset = None if queryset is None else queryset.all()
        self.widget.choices = self.choices

    def offer(self, build: Callable[..., QuerySet], *args) -> None:
        """Offer (and accept) the records of `build(queryset, *args)`, where `queryset` is the
        one the field was defined with. Its SQL is written once per `build`, which must be
        a function of its arguments alone (no closure); the queryset itself is built only
        when a posted choice is checked."""
        if build.__closure__:
            raise ImproperlyConfigured("A field's offer is built from its arguments alone.")
        self._offer = (build, args)
        self._queryset = None
        self.widget.choices = self.choices

    def option_rows(self):
        """(key, *label columns) of each record offered."""
        if self._offer is None:
            return self.queryset.values_list("pk", *self.label_fields)
        build, args = self._offer
        baked = self._baked.get(build)
        if baked is None:
            baked = self._baked[build] = BakedValues(self._options_of(build))
        return baked(*args)

    def _options_of(self, build):
        defined, columns = self._defined, ("pk", *self.label_fields)
        if build is None:
            return lambda: defined.values_list(*columns)
        return lambda *args: build(defined, *args).values_list(*columns)

    def label_from_values(self, values) -> str:
        if len(values) == 1:
            return str(values[0])
        return " — ".join(str(value) for value in values)


class KeyLabelChoiceField(KeyLabelMixin, forms.ModelChoiceField):
    widget = QuickSelect


class KeyLabelMultipleChoiceField(KeyLabelMixin, forms.ModelMultipleChoiceField):
    pass
