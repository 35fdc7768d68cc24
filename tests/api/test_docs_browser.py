"""The API documentation in a real browser (headless Chromium) under the site's
Content-Security-Policy: Swagger UI draws every operation and runs a request; Redoc
draws the reference. Neither page breaks the policy, nor loads anything from elsewhere
(Redoc's "powered by" logo, a remote image, is blocked and not shown)."""

import pytest

from .conftest import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_works_under_the_csp(page, live_server):
    """Every operation is listed, and "Try it out" on the organisations list gets 200."""
    make_organisation("Asociația din Browser")
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 15
    operation = page.locator("#operations-organisations-organisations_list")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    cell = operation.locator(".live-responses-table tbody .response-col_status").first
    cell.wait_for()
    status = cell.inner_text()
    assert status.strip() == "200"
    assert "Asociația din Browser" in operation.locator(".live-responses-table").inner_text()
    assert page.problems == []


def test_redoc_works_under_the_csp(page, live_server):
    """Redoc draws the operations; the only thing the policy stops is its remote logo."""
    page.goto(live_server.url + "/api/v1/redoc/")
    page.wait_for_selector("[data-section-id]", timeout=20_000)
    assert page.locator("[data-section-id]").count() >= 15
    assert [p for p in page.problems if "cdn.redoc.ly" not in p] == []
