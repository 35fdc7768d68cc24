"""An institution's parent, chosen from suggestions with the keyboard in a combobox
(static/js/autocomplete.js), which axe finds accessible open and closed."""

import pytest
from django.urls import reverse

from registry.models import Institution
from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_parent_is_chosen_with_the_keyboard_from_suggestions(
    page_for, institution, institution_admin
):
    parent = Institution.objects.create(name="Guvernul României", kind="other", level="central")
    Institution.objects.create(name="Primăria Cluj-Napoca", kind="city_hall", level="local")
    page = page_for(institution_admin)
    path = reverse("registry:institution-edit", args=[institution.pk])
    assert violations(page, path) == []
    box = page.get_by_role("combobox", name="Parent institution")
    assert box.get_attribute("aria-expanded") == "false"
    box.fill("guvernul")
    option = page.get_by_role("option", name="Guvernul României")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.evaluate(AXE_AGAIN)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "Guvernul României"
    assert page.locator('input[type=hidden][name="parent"]').input_value() == str(parent.pk)
    box.fill("primaria")
    page.get_by_role("option", name="Primăria Cluj-Napoca").wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"


AXE_AGAIN = """() => axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(result => {
    if (result.violations.length) {
        const found = result.violations.map(v => [v.id, v.nodes.map(n => n.target)]);
        throw new Error(JSON.stringify(found));
    }
})"""
