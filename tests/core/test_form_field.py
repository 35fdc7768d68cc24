"""includes/form_field.html is written by the form_field tag: the markup the template
wrote before (kept here as the reference), for every kind of field the forms have, with
and without errors and help texts."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template

from registry.forms_institutions import OfficialForm, StaffDecisionForm
from registry.forms_organisations import DomainForm, OrganisationForm

pytestmark = pytest.mark.django_db

# The template as it was before the tag wrote it.
REFERENCE = Template((Path(__file__).parent / "form_field_reference.html").read_text())
GAPS = re.compile(r">\s+<")


def _tidy(html: str) -> str:
    return GAPS.sub("><", html.strip())


class EveryKind(forms.Form):
    text = forms.CharField(label="Name <b>", help_text="Help & more")
    optional = forms.CharField(required=False)
    agree = forms.BooleanField(label="I agree", required=False)
    level = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B <c>")], widget=forms.RadioSelect, help_text="Pick one"
    )
    kinds = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    county = forms.ChoiceField(choices=[("", "—"), ("cj", "Cluj")])
    note = forms.CharField(widget=forms.Textarea, required=False)
    file = forms.FileField(required=False)


class Lists(forms.Form):
    """Lists of radio buttons and checkboxes in the states a form draws them in."""

    tags = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two & <three>"), ("", "None")],
        widget=forms.CheckboxSelectMultiple(attrs={"data-x": "y"}),
        help_text="Several",
    )
    closed = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, disabled=True, initial="b"
    )
    grouped = forms.ChoiceField(
        choices=[("Group", [("g1", "G1"), ("g2", "G2")]), ("h", "H")],
        widget=forms.RadioSelect,
        required=False,
    )
    own_id = forms.MultipleChoiceField(
        choices=[(1, "1"), (2, "2")],
        widget=forms.CheckboxSelectMultiple(attrs={"id": "chosen"}),
        required=False,
        initial=[2],
    )


class NumberedChoices(forms.CheckboxSelectMultiple):
    """A project's own list, which draws its options its own way."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-number"] = option["index"]
        return option


class OwnWidget(forms.Form):
    numbered = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=NumberedChoices, initial=["a"]
    )


FORMS = [
    lambda: EveryKind(),
    lambda: EveryKind(data={"text": "x", "level": "b", "county": "cj", "kinds": ["x", "y"]}),
    lambda: Lists(),
    lambda: Lists(data={"tags": ["2", ""], "grouped": "g2"}),
    lambda: Lists(data={"tags": []}),
    lambda: Lists(auto_id="f-%s"),
    lambda: OwnWidget(),
    lambda: EveryKind(data={"text": "", "level": "z", "county": "xx"}),
    lambda: EveryKind(data={"text": "ok", "level": "a", "county": "cj", "agree": "on"}),
    lambda: OrganisationForm(),
    lambda: OrganisationForm(data={"name": "", "fiscal_code": "123"}),
    lambda: OfficialForm(),
    lambda: StaffDecisionForm(data={"decision": "maybe"}),
    lambda: DomainForm(),
]


@pytest.mark.parametrize("make", FORMS)
def test_each_field_is_written_as_the_template_wrote_it(make):
    form = make()
    if form.is_bound:
        form.is_valid()  # the errors are drawn too
    tag = Template("{% load conect_forms %}{% form_field field %}")
    for field in form:
        if field.is_hidden:
            continue
        expected = _tidy(REFERENCE.render(Context({"field": field})))
        assert _tidy(tag.render(Context({"field": field}))) == expected, field.name


def test_each_option_of_a_list_keeps_its_state():
    form = Lists(data={"tags": ["2"], "grouped": "g2"})
    form.is_valid()
    tag = Template("{% load conect_forms %}{% form_field field %}")
    tags = tag.render(Context({"field": form["tags"]}))
    assert 'value="1" data-x="y" class="form-check-input" id="id_tags_0">' in tags
    assert 'value="2" data-x="y" class="form-check-input" id="id_tags_1" checked>' in tags
    assert 'for="id_tags_1">Two &amp; &lt;three&gt;</label>' in tags
    closed = tag.render(Context({"field": form["closed"]}))
    assert 'value="b" class="form-check-input" id="id_closed_1" required disabled checked>' in (
        closed
    )
    numbered = tag.render(Context({"field": OwnWidget()["numbered"]}))
    assert 'id="id_numbered_0" checked data-number="0">' in numbered


def test_the_include_still_draws_a_field():
    field = EveryKind(data={"text": ""})["text"]
    html = Template('{% include "includes/form_field.html" %}').render(Context({"field": field}))
    assert 'id="id_text_error"' in html and 'class="form-control is-invalid"' in html


def test_each_kind_of_control_gets_bootstraps_class_a_subclass_too():
    """A drop-down list of the project's own (QuickSelect: counties, an institution's
    parent) is styled as a drop-down list, not as a text box; a list of the project's own
    checkboxes as checkboxes."""
    tag = Template("{% load conect_forms %}{% form_field field %}")
    county = tag.render(Context({"field": OrganisationForm()["county"]}))
    assert '<select name="county" class="form-select"' in county
    numbered = tag.render(Context({"field": OwnWidget()["numbered"]}))
    assert 'class="form-check-input"' in numbered and "form-control" not in numbered
    level = tag.render(Context({"field": EveryKind()["level"]}))
    assert 'class="form-check-input"' in level
    text = tag.render(Context({"field": EveryKind()["text"]}))
    assert 'class="form-control"' in text


def test_a_list_of_records_is_kept_yet_follows_its_records_language_and_choices(
    monkeypatch, django_assert_num_queries
):
    """The checkbox list of domains is written once and then kept: the next form reads the
    domains (one query, as before) but makes no label. A renamed domain, the other
    language and another set of checked domains each give their own markup."""
    from django.utils import translation

    from conect.core.templatetags import conect_forms
    from registry.form_fields import DomainsField
    from registry.models import Domain

    conect_forms._kept_lists.clear()
    tag = Template("{% load conect_forms %}{% form_field field %}")
    draw = lambda form: tag.render(Context({"field": form["domains"]}))  # noqa: E731
    domain = Domain.objects.filter(is_active=True).order_by("name_ro").first()
    first = draw(OfficialForm())
    assert f">{domain.name}</label>" in first  # the tests' language: English
    labels = []
    original = DomainsField.label_from_values
    monkeypatch.setattr(
        DomainsField,
        "label_from_values",
        lambda self, values: labels.append(values) or original(self, values),
    )
    with django_assert_num_queries(1):
        assert draw(OfficialForm()) == first
    assert labels == []

    Domain.objects.filter(pk=domain.pk).update(name_ro="Un nume nou", name_en="A new name")
    renamed = draw(OfficialForm())
    assert ">A new name</label>" in renamed and f">{domain.name}<" not in renamed
    with translation.override("ro"):
        assert ">Un nume nou</label>" in draw(OfficialForm())
    checked = draw(OfficialForm(initial={"domains": [domain.pk]}))
    assert checked.count(" checked>") == 1
    assert f'value="{domain.pk}" class="form-check-input" id="id_domains_' in checked


def test_the_lists_kept_are_bounded(monkeypatch):
    from conect.core.templatetags import conect_forms

    monkeypatch.setattr(conect_forms._kept_lists, "max_entries", 2)
    conect_forms._kept_lists.clear()
    tag = Template("{% load conect_forms %}{% form_field field %}")
    keys = list(OfficialForm().fields["domains"].queryset.values_list("pk", flat=True)[:4])
    for key in keys:
        tag.render(Context({"field": OfficialForm(initial={"domains": [key]})["domains"]}))
    assert 1 <= len(conect_forms._kept_lists) <= 2


class WithHidden(EveryKind):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form <is> wrong.")


FORMS_REFERENCE = Template((Path(__file__).parent / "form_fields_reference.html").read_text())


@pytest.mark.parametrize("language", ["ro", "en"])
@pytest.mark.parametrize(
    "data", [None, {"text": "", "level": "z", "token": ""}], ids=["empty", "with errors"]
)
def test_a_whole_form_is_written_as_the_template_wrote_it(data, language):
    """{% form_fields form %}: the summary of the errors (each linked to its field, the
    form's own and a hidden field's too), the hidden fields, then each field."""
    from django.utils import translation

    form = WithHidden(data=data)
    tag = Template("{% load conect_forms %}{% form_fields form %}")
    with translation.override(language):
        html = tag.render(Context({"form": form}))
        assert _tidy(html) == _tidy(FORMS_REFERENCE.render(Context({"form": form})))
    if data:
        summary = "Corectați următoarele" if language == "ro" else "Please correct the following"
        assert summary in html and "The whole form &lt;is&gt; wrong." in html
        assert '<a href="#id_text">' in html
    assert 'type="hidden" name="token"' in html
