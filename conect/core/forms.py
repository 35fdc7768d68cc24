"""The project's form classes: Django's, with each form's copy of its fields made faster.

Each form Django builds deep-copies its class's fields (BaseForm.__init__), so that a form
can change its own: copy.deepcopy goes through every field's, widget's and choice's
__deepcopy__, about 5 µs for a text field and 20 µs for a list of choices, a tenth of a
millisecond for a form of the registry. `Form` and `ModelForm` give the same copies (the
same attributes; the widget's attributes, the error messages, the validators and the
choices the copy's own, as Django's __deepcopy__ makes them), written without deepcopy's
machinery for Django's own fields and widgets. A field or widget with its own __deepcopy__
(a MultiValueField, the project's key-label fields) is copied by it, as before.
tests/core/test_forms.py checks the copies of every form of the project against Django's.
"""

import copy

from django import forms
from django.utils.choices import BaseChoiceIterator, BlankChoiceIterator
from django.utils.functional import Promise

# What deepcopy gives back as it is; a lazy translation (a Promise) too: its __deepcopy__
# returns itself.
_ATOMS = frozenset({str, int, float, bool, type(None)})

_FIELD_COPY = forms.Field.__deepcopy__
_CHOICE_FIELD_COPY = forms.ChoiceField.__deepcopy__
_WIDGET_COPY = forms.Widget.__deepcopy__
_CHOICE_WIDGET_COPY = forms.widgets.ChoiceWidget.__deepcopy__


_plain_kinds: dict[type, bool] = {}


def _plain(thing) -> bool:
    """Whether copy.copy(thing) is the copy of its __dict__ (no __copy__, __reduce_ex__,
    __getstate__ or __slots__ of its own)."""
    kind = type(thing)
    plain = _plain_kinds.get(kind)
    if plain is None:
        plain = _plain_kinds[kind] = (
            not hasattr(kind, "__copy__")
            and kind.__reduce_ex__ is object.__reduce_ex__
            and kind.__getstate__ is object.__getstate__
            and not hasattr(kind, "__slots__")
        )
    return plain


def _shallow(thing):
    copied = object.__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied


def _pair_of_atoms(choice) -> bool:
    return (
        type(choice) is tuple
        and len(choice) == 2
        and type(choice[0]) in _ATOMS
        and (type(choice[1]) in _ATOMS or isinstance(choice[1], Promise))
    )


def _copy_choices(choices, memo):
    """copy.deepcopy(choices, memo) of a list of (value, label) pairs: a pair of atoms is
    given back as it is (deepcopy gives back such a tuple itself); a group or anything else
    is deep-copied."""
    if type(choices) is BlankChoiceIterator and _plain(choices):
        # A model field's choices, with the blank choice added when the list is drawn.
        copied = _shallow(choices)
        memo[id(choices)] = copied
        copied.choices = _copy_choices(choices.choices, memo)
        copied.blank_choice = _copy_choices(choices.blank_choice, memo)
        return copied
    if type(choices) is not list:
        return copy.deepcopy(choices, memo)
    return [choice if _pair_of_atoms(choice) else copy.deepcopy(choice, memo) for choice in choices]


def _copy_widget(widget, memo, share_choices: bool):
    method = type(widget).__deepcopy__
    if method not in (_WIDGET_COPY, _CHOICE_WIDGET_COPY) or not _plain(widget):
        return copy.deepcopy(widget, memo)
    copied = _shallow(widget)
    copied.attrs = widget.attrs.copy()
    if method is _CHOICE_WIDGET_COPY and not share_choices:
        choices = widget._choices
        if type(choices) is list and all(_pair_of_atoms(choice) for choice in choices):
            copied._choices = list(choices)  # what the choices setter's normalize_choices gives
        elif isinstance(choices, BaseChoiceIterator) and _plain(choices):
            copied._choices = _shallow(choices)  # normalize_choices keeps an iterator as it is
        else:
            copied.choices = copy.copy(choices)
    memo[id(widget)] = copied
    return copied


def copy_field(field, memo, *, share_choices: bool = False):
    """copy.deepcopy(field, memo), the same copy (see the module's docstring).

    With `share_choices`, a list's choices are the field's own, not copies (the search
    forms', whose long lists of translated labels nothing changes in place)."""
    method = type(field).__deepcopy__
    if method not in (_FIELD_COPY, _CHOICE_FIELD_COPY) or not _plain(field):
        return copy.deepcopy(field, memo)
    result = _shallow(field)
    memo[id(field)] = result
    result.widget = _copy_widget(field.widget, memo, share_choices)
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if method is _CHOICE_FIELD_COPY and not share_choices:
        result._choices = _copy_choices(field._choices, memo)
    return result


class _Fields(dict):
    """A form class's fields; deepcopy (BaseForm.__init__) copies each with copy_field."""

    def __deepcopy__(self, memo):
        return {name: copy_field(field, memo) for name, field in self.items()}


class FieldsCopiedFast:
    """Mixin before Django's Form or ModelForm (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        kind = type(self)
        if type(kind.__dict__.get("base_fields")) is not _Fields:
            kind.base_fields = _Fields(kind.base_fields)
        super().__init__(*args, **kwargs)


class Form(FieldsCopiedFast, forms.Form):
    pass


class ModelForm(FieldsCopiedFast, forms.ModelForm):
    pass
