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

import copy
from collections.abc import Callable
from html import escape as html_escape

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .baked import BakedValues
from .forms_renderer import attributes, text
from .kept import Kept


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
        head = f'<select name="{text(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>'
        choices = self.choices
        kept = None
        if type(choices) is KeyLabelIterator:
            # A list of records: kept by the process, keyed by all its markup is made of
            # (the rows as read on this page, the language of their labels, what is chosen).
            records = choices.field
            empty = records.empty_label
            rows = tuple(records.option_rows())
            kept = (type(records), get_language(), rows, head, frozenset(chosen))
            kept += (None if empty is None else str(empty),)
            html = _kept_selects.get(kept)
            if html is not None:
                return html
            label = records.label_from_values
            choices = [(key, label(values)) for key, *values in rows]
            if empty is not None:
                choices.insert(0, ("", empty))
        parts = [head]
        found = False
        for option_value, label in choices:
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
        html = mark_safe("".join(parts).strip())  # every value is escaped above
        if kept is not None:
            _kept_selects.keep(kept, html)
        return html


_kept_selects = Kept(max_entries=256)


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
        """What Django's ModelChoiceField.__deepcopy__ gives (a copy with its own widget,
        error messages, validators, queryset and choices), without its cost: the copy's
        queryset (a clone of the defined one, or the offer's) is made only when read, and
        the object copies are plain ones (copy.copy goes through __reduce_ex__)."""
        result = _plain_copy(self)
        memo[id(self)] = result
        result.widget = _widget_copy(self.widget, memo)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        if self._offer is None and self._queryset is not None:  # set by hand
            result._queryset = self._queryset.all()
        else:
            result._queryset = None  # made when first read (the queryset property)
        result.widget.choices = result.choices  # an iterator of the copy (Django's #11183)
        return result

    @property
    def queryset(self):
        if self._queryset is None and self._offer is not None:
            build, args = self._offer
            defined = self._defined
            self._queryset = defined.all() if build is None else build(defined, *args)
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


def _plain_copy(thing):
    """copy.copy(thing) for an object whose state is its __dict__ (fields and widgets)."""
    copied = object.__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied


def _widget_copy(widget, memo):
    """copy.deepcopy(widget, memo) for Django's choice widgets and QuickSelect (their
    choices are set by the field's copy); any other widget is deep-copied as usual."""
    if type(widget).__deepcopy__ is not forms.widgets.ChoiceWidget.__deepcopy__:
        return copy.deepcopy(widget, memo)
    copied = _plain_copy(widget)
    copied.attrs = widget.attrs.copy()
    memo[id(widget)] = copied
    return copied


class KeyLabelChoiceField(KeyLabelMixin, forms.ModelChoiceField):
    widget = QuickSelect


class KeyLabelMultipleChoiceField(KeyLabelMixin, forms.ModelMultipleChoiceField):
    pass
