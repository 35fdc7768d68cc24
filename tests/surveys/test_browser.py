"""A questionnaire in a real browser (headless Chromium): a civil servant builds it with
a condition and a roster, an NGO administrator answers it with a saved draft, and the
author sees the result's chart and its table."""

import pytest
from django.urls import reverse

from surveys.models import Response, Survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _reference_geography(transactional_db):
    """The regions and counties, loaded again when an earlier browser test's flush left
    them out."""
    from registry.geography import load_reference_geography
    from registry.models import County, Region

    if County.objects.count() != 42:
        load_reference_geography(Region, County)


def test_build_answer_with_draft_and_see_the_chart(
    page_for, live_server, civil_servant, ngo_admin, organisation
):
    author = page_for(civil_servant)
    author.goto(live_server.url + reverse("surveys:create"))
    author.get_by_label("Title (Romanian)").fill("Cum consultați ONG-urile?")
    author.get_by_label("Title (English)").fill("How do you consult NGOs?")
    author.get_by_label("Who answers").select_option("roster")
    author.get_by_label("The roster is made of").select_option("organisations")
    author.get_by_role("button", name="Save").click()
    author.wait_for_url("**/surveys/*/")
    survey = Survey.objects.get()

    def add(kind, ro, en, **extra):
        author.goto(live_server.url + reverse("surveys:question-add", args=[survey.pk]))
        author.get_by_label("Type").select_option(kind)
        author.get_by_label("Question or title (Romanian)").fill(ro)
        author.get_by_label("Question or title (English)").fill(en)
        for label, value in extra.items():
            field = author.get_by_label(label, exact=True)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        author.get_by_role("button", name="Save").click()
        author.wait_for_url(f"**/surveys/{survey.pk}/")

    add("yes_no", "Aveți un consiliu consultativ?", "Do you have an advisory council?")
    add(
        "short_text",
        "Cum se numește?",
        "What is its name?",
        **{
            "Show only if the answer to the question": "Do you have an advisory council?",
            "is": "da",
        },
    )
    author.goto(live_server.url + reverse("surveys:roster", args=[survey.pk]))
    author.get_by_label("These organisations, by fiscal code (one a line)").fill(
        organisation.fiscal_code
    )
    author.get_by_role("button", name="Add", exact=True).click()
    author.get_by_text("1 invited").wait_for()
    author.goto(live_server.url + survey.get_absolute_url())
    author.get_by_role("button", name="Open for answers").click()
    author.get_by_text("The questionnaire is open.").wait_for()

    ngo = page_for(ngo_admin)
    ngo.goto(live_server.url + reverse("surveys:answer", args=[survey.pk]))
    name = ngo.get_by_label("What is its name?")
    assert not name.is_visible()  # hidden until "Yes"
    ngo.get_by_label("Yes").check()
    name.wait_for(state="visible")
    name.fill("Consiliul pentru dialog civic")
    ngo.get_by_role("button", name="Save the draft").click()
    ngo.get_by_text("Your draft was saved.").wait_for()
    assert Response.objects.get().status == Response.Status.DRAFT
    ngo.reload()
    assert ngo.get_by_label("What is its name?").input_value() == "Consiliul pentru dialog civic"
    ngo.get_by_role("button", name="Submit the answer").click()
    ngo.get_by_role("heading", name="Thank you").wait_for()
    assert Response.objects.get().status == Response.Status.SUBMITTED

    author.goto(live_server.url + reverse("surveys:results", args=[survey.pk]))
    chart = author.locator("canvas[data-chart]").first
    chart.wait_for()
    author.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    table = author.get_by_role("table").first
    assert "100.0%" in table.inner_text()
    assert chart.get_attribute("aria-label").endswith("The numbers are in the table beside it.")
    assert not author.problems and not ngo.problems, author.problems + ngo.problems
