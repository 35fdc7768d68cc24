"""WCAG 2.1 AA of the feedback's pages, checked by axe-core in headless Chromium: the
form in three languages (and with its errors), the thanks page, the indices, the
registry's institution page with its section, the staff's and the coordinators' pages;
and the charts drawn without a CSP violation or a script error."""

import pytest
from django.urls import reverse

from surveys.feedback.models import CommonService
from tests.e2e.test_accessibility import violations

from .conftest import give

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def rated(service):
    give(service, 12, satisfaction=4, access=5, comment="Bine.", solved="yes")
    CommonService.objects.create(name="Certificat de urbanism", institution_kind="city_hall")
    return service


def test_public_pages_meet_wcag_aa(rated, page):
    """The form (Romanian, English, Hungarian), its errors, the thanks page and the
    indices have no axe violation, and their charts draw without errors."""
    form = reverse("feedback:form", args=[rated.code])
    found = []
    for language in ("ro", "en", "hu"):
        found += violations(page, f"{form}?lang={language}")
    page.goto(f"{form}?lang=hu")
    page.get_by_role("button", name="Küldés").click()
    assert "Ez a mező kötelező." in page.content()
    found += violations(page, page.url)  # the page with its errors, as shown
    page.goto(f"{form}?lang=en")
    page.get_by_label("Very satisfied").check()
    page.get_by_role("button", name="Send").click()
    assert "Thank you! Your answer was recorded." in page.content()
    found += violations(page, page.url.replace(page.url.split("/s/")[0], ""))
    for path in (
        reverse("feedback:index"),
        reverse("feedback:service-detail", args=[rated.code]),
        reverse("feedback:institution", args=[rated.institution_id]),
        reverse("registry:institution-detail", args=[rated.institution_id]),
    ):
        found += violations(page, path)
        page.wait_for_function("document.querySelector('canvas[data-chart]').width > 0")
    assert found == []
    assert page.problems == []


def test_staff_and_coordinator_pages_meet_wcag_aa(rated, city_hall_staff, coordinator, page_for):
    """The answers, the reply form, the adoption of the catalogue, the moderation queue,
    the catalogue with its forms, a catalogue service's edit page and the dashboard's
    feedback section have no axe violation."""
    staff = page_for(city_hall_staff)
    answer = rated.answers.first()
    found = []
    for path in (
        reverse("feedback:answers", args=[rated.institution_id]),
        reverse("feedback:reply", args=[answer.pk]),
        reverse("feedback:adopt", args=[rated.institution_id]),
        reverse("feedback:service-edit", args=[rated.code]),
    ):
        found += violations(staff, path)
    lead = page_for(coordinator)
    common = CommonService.objects.get()
    for path in (
        reverse("feedback:moderation"),
        reverse("feedback:catalogue"),
        reverse("feedback:catalogue-edit", args=[common.pk]),
        "/dashboard/",
    ):
        found += violations(lead, path)
    assert found == []
    assert lead.problems == [] and staff.problems == []


def test_map_section_follows_the_layer(rated, page):
    """The national map on its feedback layer shows the satisfaction index with its
    chart and no axe violation; picking another layer hides that section and picking the
    feedback layer again shows it, without a reload; loaded on another layer, it offers
    the link to the index once the feedback layer is picked."""
    found = violations(page, f"{reverse('map:map')}?layer=feedback")
    page.wait_for_function(
        "document.querySelector('canvas[data-chart=\"feedback_map_regions\"]').width > 0"
    )
    section = page.locator("#map-feedback")
    assert section.is_visible()
    assert page.locator("#table-map-feedback-regions").is_visible()
    page.get_by_label("Verified NGOs").check()
    assert section.is_hidden()
    page.get_by_label("Feedback on public services").check()
    assert section.is_visible()

    page.goto(reverse("map:map"))
    assert section.is_hidden()
    page.get_by_label("Feedback on public services").check()
    link = page.get_by_role("link", name="Show the satisfaction index of each region and county")
    assert link.is_visible()
    link.click()
    page.wait_for_selector("#table-map-feedback-regions")
    assert found == []
    assert page.problems == []
