"""The project's forms (conect.core.forms) copy their fields for each form faster than
deepcopy, and give the very copies Django's __deepcopy__ gives: checked here for every
field of every form of the project, and for the kinds of choices Django knows."""

import copy
import importlib

import pytest
from django import forms
from django.db import models
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from conect.core.forms import FieldsCopiedFast, Form, ModelForm, copy_field

FORM_MODULES = [
    "conect.accounts.forms",
    "conect.accounts.profile_forms",
    "conect.api.forms",
    "consultations.forms",
    "registry.forms_import",
    "registry.forms_institutions",
    "registry.forms_organisations",
]


def _forms_of_the_project():
    for name in FORM_MODULES:
        importlib.import_module(name)
    found, todo = [], list(FieldsCopiedFast.__subclasses__())
    while todo:
        kind = todo.pop()
        todo += kind.__subclasses__()
        if kind.__module__.split(".")[0] in {"conect", "registry", "consultations"}:
            found.append(kind)
    return sorted(set(found) - {Form, ModelForm}, key=lambda kind: kind.__qualname__)


PROJECT_FORMS = _forms_of_the_project()

_ATOMIC = (str, int, float, bool, type(None))


def assert_same_copy(original, mine, theirs, path="field"):
    """`mine` is what `theirs` (Django's deepcopy of `original`) is: what Django shares
    with the original is shared, what it copies is copied (the copy's own), with equal
    content, down through the fields, widgets, choices and their containers. A tuple of
    values (immutable) may be the original's or an equal one."""
    if theirs is original:
        assert mine is original, path
        return
    assert type(mine) is type(theirs), path
    if isinstance(theirs, _ATOMIC):
        assert mine == theirs, path
        return
    if isinstance(theirs, tuple):
        assert len(mine) == len(theirs), path
        for index, (a, b, c) in enumerate(zip(original, mine, theirs, strict=True)):
            assert_same_copy(a, b, c, f"{path}[{index}]")
        return
    assert mine is not original, f"{path} is the original's, not the copy's own"
    if isinstance(theirs, dict):
        assert mine.keys() == theirs.keys(), path
        for key in theirs:
            assert_same_copy(original[key], mine[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(theirs, list):
        assert len(mine) == len(theirs), path
        for index, (a, b, c) in enumerate(zip(original, mine, theirs, strict=True)):
            assert_same_copy(a, b, c, f"{path}[{index}]")
    elif isinstance(theirs, forms.Field | forms.Widget | BaseChoiceIterator):
        assert mine.__dict__.keys() == theirs.__dict__.keys(), path
        for key, value in theirs.__dict__.items():
            assert_same_copy(original.__dict__[key], mine.__dict__[key], value, f"{path}.{key}")
    # Anything else Django copies (a queryset, with a field's own __deepcopy__) is the
    # copy's own, of the same kind: checked above.


def test_every_form_of_the_project_uses_the_fast_copies():
    names = {kind.__name__ for kind in PROJECT_FORMS}
    assert {"OrganisationForm", "OfficialForm", "StructureForm", "CallForm", "SeatForm"} <= names
    assert {"ConsultationForm", "SignupForm", "ProfileForm", "ApiTokenCreateForm"} <= names


@pytest.mark.parametrize("form_class", PROJECT_FORMS, ids=lambda kind: kind.__name__)
def test_each_field_is_copied_as_django_copies_it(form_class):
    for name, field in form_class.base_fields.items():
        mine, theirs = copy_field(field, {}), copy.deepcopy(field)
        if type(field).__deepcopy__ in (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__):
            assert_same_copy(field, mine, theirs, name)
        else:  # a field with its own __deepcopy__ makes the copy (conect.core.fields')
            assert type(mine) is type(field) and mine is not field
            assert mine.widget is not field.widget


class Level(models.TextChoices):
    LOCAL = "local", gettext_lazy("Local")
    NATIONAL = "national", gettext_lazy("National")


class Kinds(Form):
    """Every shape of choices Django accepts, and fields with their own __deepcopy__."""

    plain = forms.ChoiceField(choices=[("a", "A"), (1, gettext_lazy("One")), (None, "-")])
    grouped = forms.ChoiceField(
        choices=[("x", "X"), (gettext_lazy("Group"), [("y", "Y"), ("z", mark_safe("<b>Z</b>"))])]
    )
    enum = forms.TypedChoiceField(choices=Level.choices, coerce=str)
    enum_members = forms.ChoiceField(choices=[(Level.LOCAL, "L")])
    from_callable = forms.ChoiceField(choices=lambda: [("c", "C")])
    model_choices = models.CharField(choices=Level.choices, max_length=9, blank=True).formfield()
    radios = forms.ChoiceField(choices=Level.choices, widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=Level.choices, widget=forms.CheckboxSelectMultiple)
    when = forms.SplitDateTimeField()  # a MultiValueField: its own __deepcopy__
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), validators=[str.strip])
    logo = forms.ImageField(required=False)


@pytest.mark.parametrize("name", list(Kinds.base_fields))
def test_each_kind_of_choices_is_copied_as_django_copies_it(name):
    field = Kinds.base_fields[name]
    mine, theirs = copy_field(field, {}), copy.deepcopy(field)
    assert_same_copy(field, mine, theirs, name)
    assert list(mine.choices if hasattr(mine, "choices") else []) == list(
        theirs.choices if hasattr(theirs, "choices") else []
    )
    assert list(getattr(mine.widget, "choices", [])) == list(getattr(theirs.widget, "choices", []))


def test_a_form_changes_its_own_fields_only():
    """What a form does to its fields (a view narrows a list, adds a class, a message)
    does not reach the next form of the class."""
    first = Kinds()
    first.fields["plain"].choices = [("only", "Only")]
    first.fields["radios"].widget.attrs["class"] = "changed"
    first.fields["text"].error_messages["required"] = "changed"
    first.fields["text"].validators.append(str.upper)
    second = Kinds()
    assert [value for value, _label in second.fields["plain"].choices] == ["a", 1, None]
    assert [value for value, _label in second.fields["plain"].widget.choices] == ["a", 1, None]
    assert "class" not in second.fields["radios"].widget.attrs
    assert second.fields["text"].error_messages["required"] != "changed"
    assert str.upper not in second.fields["text"].validators
    assert str.upper not in Kinds.base_fields["text"].validators
    assert str.strip in second.fields["text"].validators


def test_no_form_of_the_project_starts_from_djangos_own_classes():
    """A new form of the project is a conect.core.forms.Form or ModelForm (its fields
    copied fast); only a form made from another library's (allauth's, the admin's) is not."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # every view, so every form a page uses, is imported
    found, todo = set(), list(forms.BaseForm.__subclasses__())
    while todo:
        kind = todo.pop()
        todo += kind.__subclasses__()
        if kind.__module__.split(".")[0] in {"conect", "registry", "consultations"}:
            found.add(kind)
    assert len(found) > 40
    direct = [
        kind.__qualname__
        for kind in found
        if {forms.Form, forms.ModelForm} & set(kind.__bases__)
        and not issubclass(kind, FieldsCopiedFast)
    ]
    assert direct == []


def test_a_search_forms_copy_shares_its_choices_only():
    """copy_field(share_choices=True), for the search forms' long lists: the copy's list of
    choices is the field's (field and widget), all else the copy's own as Django makes it."""
    field = Kinds.base_fields["plain"]
    shared = copy_field(field, {}, share_choices=True)
    assert shared.choices is field.choices and shared.widget.choices is field.widget.choices
    assert shared.widget is not field.widget and shared.widget.attrs is not field.widget.attrs
    assert shared.error_messages is not field.error_messages
    assert copy_field(field, {}).choices is not field.choices
