"""How a form is drawn ({{ form }}, {{ field.as_field_group }}): Django's template-based
renderer with templates/django/forms/, each control with Bootstrap's class and tied to its
label, help text and errors for screen readers; and the autocomplete field, which accepts
only a record of its queryset."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin
from registry.models import Institution


class EveryKind(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As on the act.")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A & co"), ("b", "B")])
    colours = forms.MultipleChoiceField(
        label="Colours",
        choices=[("red", "Red"), ("blue", "Blue")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Any number.",
    )
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def _render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_a_field_has_its_label_control_and_help_text_tied_together():
    html = _render("{{ form.name.as_field_group }}", form=EveryKind())
    assert '<label class="form-label" for="id_name">Name' in html
    assert '<span class="required-mark" aria-hidden="true">*</span>' in html
    control = re.search(r"<input[^>]*>", html).group(0)
    assert 'class="form-control"' in control
    assert 'aria-describedby="id_name_helptext"' in control
    assert '<div class="form-text" id="id_name_helptext">As on the act.</div>' in html


def test_each_kind_of_control_gets_bootstraps_class():
    html = _render("{{ form }}", form=EveryKind())
    assert re.search(r'<textarea name="notes"[^>]*class="form-control"', html)
    assert re.search(r'<select name="kind"[^>]*class="form-select"', html)
    assert re.search(r'<input type="checkbox" name="colours"[^>]*class="form-check-input"', html)
    assert re.search(r'<input type="checkbox" name="agree"[^>]*class="form-check-input"', html)
    assert re.search(r'<input type="hidden" name="token"[^>]*id="id_token">', html)
    assert "A &amp; co" in html


def test_a_list_of_checkboxes_is_a_fieldset_with_a_legend():
    html = _render("{{ form.colours.as_field_group }}", form=EveryKind())
    assert html.startswith('<fieldset class="mb-3" aria-describedby="id_colours_helptext">')
    assert '<legend class="form-label fs-6 mb-1">Colours' in html
    assert '<label class="form-check-label" for="id_colours_0">Red</label>' in html


def test_a_form_with_errors_starts_with_their_summary_and_marks_each_field():
    form = EveryKind(data={"kind": "z"})
    html = _render("{{ form }}", form=form)
    assert html.index("error-summary") < html.index('name="name"')
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    control = re.search(r'<input type="text" name="name"[^>]*>', html).group(0)
    assert 'class="form-control is-invalid"' in control
    assert 'aria-invalid="true"' in control
    assert 'aria-describedby="id_name_helptext id_name_error"' in control
    assert (
        '<div class="invalid-feedback d-block" id="id_name_error">'
        '<p class="mb-0">This field is required.</p></div>'
    ) in html
    assert re.search(r'<select name="kind"[^>]*class="form-select is-invalid"', html)


def test_a_class_of_the_widgets_own_is_kept():
    class Styled(BootstrapFormMixin, forms.Form):
        key = forms.CharField(widget=forms.TextInput(attrs={"class": "font-monospace"}))

    html = str(Styled()["key"])
    assert 'class="font-monospace form-control"' in html


class ParentForm(BootstrapFormMixin, forms.Form):
    parent = AutocompleteChoiceField(
        Institution.objects.order_by("name"),
        url="/suggestions/",
        required=False,
        error_messages={"invalid_choice": "Choose it from the suggestions."},
    )


@pytest.mark.django_db
def test_an_autocomplete_field_shows_its_record_and_accepts_only_its_queryset():
    institution = Institution.objects.create(name="Primăria Cluj", kind="city_hall", level="local")
    html = str(ParentForm(initial={"parent": institution.pk})["parent"])
    assert f'value="{institution.pk}"' in html
    assert 'data-autocomplete-url="/suggestions/"' in html
    assert 'data-autocomplete-label="Primăria Cluj"' in html
    assert "<select" not in html
    chosen = ParentForm(data={"parent": str(institution.pk)})
    assert chosen.is_valid() and chosen.cleaned_data["parent"] == institution
    for typed in ("Primăria", "999999"):
        refused = ParentForm(data={"parent": typed})
        assert not refused.is_valid()
        assert refused.errors["parent"] == ["Choose it from the suggestions."]
    assert ParentForm(data={"parent": ""}).is_valid()


@pytest.mark.django_db
def test_an_institutions_parent_typed_but_not_chosen_is_refused_with_what_to_do():
    from registry.forms.institutions import InstitutionForm

    data = {"name": "Primăria Dej", "kind": "city_hall", "level": "local", "parent": "x"}
    with translation.override("en"):
        form = InstitutionForm(data=data)
        assert not form.is_valid()
        assert "suggestions" in form.errors["parent"][0]
