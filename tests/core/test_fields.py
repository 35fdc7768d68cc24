"""A record chosen from its key and label columns: the options, the validation and the
record returned are ModelChoiceField's, without building an instance per option."""

import re

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from conect.core.fields import KeyLabelChoiceField, QuickSelect
from registry.forms_institutions import InstitutionForm
from registry.models import Institution

pytestmark = pytest.mark.django_db


def _institutions():
    parent = Institution.objects.create(
        name="Ministerul <Mediului>", kind="ministry", level="central"
    )
    child = Institution.objects.create(
        name="Agenția Apelor", kind="central_agency", level="central", parent=parent
    )
    return parent, child


def test_same_options_and_answers_as_a_model_choice_field():
    parent, child = _institutions()
    queryset = Institution.objects.order_by("name")

    class Light(forms.Form):
        choice = KeyLabelChoiceField(queryset, label_fields=("name", "level"), required=False)

    class Full(forms.Form):
        choice = forms.ModelChoiceField(queryset, required=False)

    Full.base_fields["choice"].label_from_instance = lambda i: f"{i.name} — {i.level}"
    light, full = Light(initial={"choice": parent.pk}), Full(initial={"choice": parent.pk})
    assert str(light["choice"]) == str(full["choice"])
    assert "Ministerul &lt;Mediului&gt; — central" in str(light["choice"])
    assert f'<option value="{parent.pk}" selected>' in str(light["choice"])

    chosen = Light(data={"choice": str(child.pk)})
    assert chosen.is_valid() and chosen.cleaned_data["choice"] == child
    refused = Light(data={"choice": "999999"})
    assert not refused.is_valid()
    assert refused.errors["choice"] == Full(data={"choice": "999999"}).errors["choice"]


def test_the_options_are_read_in_one_query_of_keys_and_labels():
    _institutions()
    form = InstitutionForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["parent"])
    parent_queries = [q["sql"] for q in queries if '"registry_institution"' in q["sql"]]
    assert len(parent_queries) == 1
    assert '"registry_institution"."kind"' not in parent_queries[0]
    assert html.count("<option") == 3  # the empty choice and the two institutions


QUICK_CASES = [
    ([("", "—"), (1, "One"), (2, gettext_lazy("Education"))], 2),
    ([("", "—"), (1, "One"), (2, "Two")], None),
    ([(1, "A & <b>"), ('x"y', mark_safe("<em>safe</em>")), (3, 3)], 'x"y'),
    ([(1, "first"), (1, "again")], 1),  # only the first of equal values is selected
    ([(None, "none"), (5, "five")], ""),
    ([("g", [(1, "in a group")]), (2, "Two")], 1),  # groups: Django's own
]


@pytest.mark.parametrize("choices,value", QUICK_CASES)
def test_quick_select_writes_djangos_select(choices, value):
    attrs = {"id": "id_f", "class": "form-select", "required": True}
    quick = QuickSelect(choices=choices, attrs={"data-x": "1"})
    plain = forms.Select(choices=choices, attrs={"data-x": "1"})
    assert quick.render("f", value, attrs=attrs) == plain.render("f", value, attrs=attrs)
    assert quick.render("f", value) == plain.render("f", value)


def _names(institutions):
    return institutions.only("name").order_by("name")


def _other_than(institutions, pk):
    return institutions.exclude(pk=pk).only("name").order_by("name")


class Offered(forms.Form):
    choice = KeyLabelChoiceField(Institution.objects.order_by("name"), required=False)


def _option_keys(html: str) -> list[str]:
    return [key for key in re.findall(r'<option value="([^"]*)"', html) if key]


def test_an_offer_is_drawn_and_checked_by_its_own_sql_written_once():
    parent, child = _institutions()
    form = Offered(initial={"choice": child.pk})
    form.fields["choice"].offer(_other_than, parent.pk)
    with CaptureQueriesContext(connection) as first:
        html = str(form["choice"])
    assert _option_keys(html) == [str(child.pk)]
    again = Offered()
    again.fields["choice"].offer(_other_than, child.pk)
    with CaptureQueriesContext(connection) as second:
        assert _option_keys(str(again["choice"])) == [str(parent.pk)]
    assert len(first) == len(second) == 1
    key = re.compile(r'"id" = \d+')
    assert key.sub("?", first[0]["sql"]) == key.sub("?", second[0]["sql"])
    # What is offered is accepted, what is not is refused.
    posted = Offered(data={"choice": str(parent.pk)})
    posted.fields["choice"].offer(_other_than, child.pk)
    assert posted.is_valid() and posted.cleaned_data["choice"] == parent
    refused = Offered(data={"choice": str(parent.pk)})
    refused.fields["choice"].offer(_other_than, parent.pk)
    assert not refused.is_valid()


def test_each_form_has_its_own_offer_and_a_queryset_set_by_hand_is_the_orms():
    parent, child = _institutions()
    first, second, plain = Offered(), Offered(), Offered()
    first.fields["choice"].offer(_other_than, parent.pk)
    second.fields["choice"].offer(_names)
    assert _option_keys(str(first["choice"])) == [str(child.pk)]
    assert _option_keys(str(second["choice"])) == [str(child.pk), str(parent.pk)]
    assert _option_keys(str(plain["choice"])) == [str(child.pk), str(parent.pk)]
    by_hand = Offered()
    by_hand.fields["choice"].queryset = Institution.objects.filter(pk=parent.pk)
    assert _option_keys(str(by_hand["choice"])) == [str(parent.pk)]


BUILT = []


def _counted(institutions):
    BUILT.append(1)
    return institutions


def test_an_offer_builds_its_queryset_only_to_check_a_choice():
    first = Offered()
    first.fields["choice"].offer(_counted)
    str(first["choice"])  # its SQL is written (from the queryset, once)
    BUILT.clear()
    form = Offered()
    form.fields["choice"].offer(_counted)
    str(form["choice"])
    assert BUILT == []
    assert form.fields["choice"].queryset.model is Institution and BUILT == [1]


def test_an_offer_depends_on_its_arguments_alone():
    key = 1
    with pytest.raises(ImproperlyConfigured, match="arguments alone"):
        Offered().fields["choice"].offer(lambda institutions: institutions.exclude(pk=key))


def test_an_institution_is_not_offered_as_its_own_parent():
    parent, child = _institutions()
    form = InstitutionForm(instance=child)
    assert _option_keys(str(form["parent"])) == [str(parent.pk)]
    form = InstitutionForm(instance=parent)
    assert _option_keys(str(form["parent"])) == [str(child.pk)]
    assert len(_option_keys(str(InstitutionForm()["parent"]))) == 2


def test_a_drop_down_list_of_records_is_kept_yet_follows_its_records(
    monkeypatch, django_assert_num_queries
):
    """The list of institutions (an institution's parent) is written once and then kept:
    the next form reads the rows (one query, as before) but makes no label. A renamed
    institution, another chosen one and the other language each give their own markup."""
    from django.utils import translation

    from conect.core import fields

    parent, child = _institutions()
    fields._kept_selects.clear()
    first = str(InstitutionForm()["parent"])
    labels = []
    original = KeyLabelChoiceField.label_from_values
    monkeypatch.setattr(
        KeyLabelChoiceField,
        "label_from_values",
        lambda self, values: labels.append(values) or original(self, values),
    )
    with django_assert_num_queries(1):
        assert str(InstitutionForm()["parent"]) == first
    assert labels == []

    Institution.objects.filter(pk=child.pk).update(name="Agenția Nouă")
    renamed = str(InstitutionForm()["parent"])
    assert "Agenția Nouă" in renamed and "Agenția Apelor" not in renamed
    chosen = str(InstitutionForm(initial={"parent": parent.pk})["parent"])
    assert f'<option value="{parent.pk}" selected>' in chosen
    assert f'<option value="{parent.pk}" selected>' not in renamed
    with translation.override("ro"):
        str(InstitutionForm()["parent"])
    # Kept: the first list, the renamed one, the one with a choice, the Romanian one.
    assert len(fields._kept_selects) == 4


def test_the_drop_down_lists_kept_are_bounded(monkeypatch):
    from conect.core import fields

    parent, child = _institutions()
    monkeypatch.setattr(fields._kept_selects, "max_entries", 2)
    fields._kept_selects.clear()
    for chosen in (None, parent.pk, child.pk):
        str(InstitutionForm(initial={"parent": chosen})["parent"])
    assert 1 <= len(fields._kept_selects) <= 2
