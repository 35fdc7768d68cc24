"""The API documentation in a real browser (headless Chromium) under the site's
Content-Security-Policy: ReDoc, the documentation at /api/v1/docs/, draws the reference
and passes axe (WCAG 2.1 AA); Swagger UI, kept at /api/v1/docs/swagger/ for trying
requests, draws every operation and runs one. Neither page breaks the policy, nor loads
anything from elsewhere (Redoc's "powered by" logo, a remote image, is blocked)."""

from pathlib import Path

import pytest

from .conftest import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_redoc_is_the_documentation_and_passes_axe(page, live_server):
    """/api/v1/docs/ is ReDoc: it draws the operations, breaks no policy but its remote
    logo, and axe finds no WCAG 2.1 AA violation."""
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector("[data-section-id]", timeout=20_000)
    assert page.locator("[data-section-id]").count() >= 15
    assert [p for p in page.problems if "cdn.redoc.ly" not in p] == []
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert violations == []


def test_swagger_ui_works_under_the_csp(page, live_server):
    """Every operation is listed, and "Try it out" on the organisations list gets 200."""
    make_organisation("Asociația din Browser")
    page.goto(live_server.url + "/api/v1/docs/swagger/")
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


def test_old_redoc_address_leads_to_the_documentation(client):
    """/api/v1/redoc/ (the reference's old address) redirects to /api/v1/docs/."""
    response = client.get("/api/v1/redoc/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/docs/"
