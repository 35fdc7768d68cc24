"""WCAG 2.1 AA, checked by axe-core (installed from the npm lock file, never from a CDN)
in headless Chromium on the pages each kind of user sees: anonymous visitors, a citizen,
an NGO administrator, a civil servant and a coordinator, in English and in Romanian,
and a form showing its errors. Any violation fails with the rule, its impact and the
elements concerned."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from consultations import dates
from consultations.models import Consultation
from registry.models import AdvisoryStructure, Domain, OrganisationMembership, RelationshipOfficial
from tests.consultations.conftest import make_consultation, make_recommendation

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    # Evaluated through the DevTools protocol: the page's CSP does not apply to it.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{path}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


@pytest.fixture
def records(organisation, institution, ngo_admin, citizen):
    """An organisation with domains and a seat, an institution with a published official
    and a structure, an open consultation with a recommendation and one announced."""
    organisation.domains.set(Domain.objects.all()[:2])
    official = RelationshipOfficial.objects.create(
        institution=institution,
        name="Mihai Ionescu",
        position="Consilier",
        email="mihai.ionescu@edu.gov.ro",
        consented_at=datetime.datetime.now(datetime.UTC),
    )
    structure = AdvisoryStructure.objects.create(
        institution=institution,
        name="Consiliul Consultativ pentru Educație",
        kind=AdvisoryStructure.Kind.COUNCIL,
        legal_basis="HG 1/2020",
        territorial_level=AdvisoryStructure.TerritorialLevel.NATIONAL,
    )
    consultation = make_consultation(institution)
    make_recommendation(consultation, citizen)
    opens_on = dates.local_today() + datetime.timedelta(days=7)
    announced = make_consultation(
        institution,
        state=Consultation.State.SCHEDULED,
        opens_on=opens_on,
        closes_on=dates.earliest_close(opens_on),
        title="Proiect anunțat",
    )
    return {
        "organisation": organisation,
        "institution": institution,
        "official": official,
        "structure": structure,
        "consultation": consultation,
        "announced": announced,
    }


def test_public_pages_meet_wcag_aa(page, records):
    """What anyone sees, with and without data, and a list filtered to nothing."""
    paths = [
        reverse("home"),
        reverse("registry:organisation-list"),
        reverse("registry:organisation-list") + "?q=zzzz-nimic",
        reverse("registry:organisation-list") + "?county=XX999",  # a filter error
        records["organisation"].get_absolute_url(),
        reverse("registry:institution-list"),
        records["institution"].get_absolute_url(),
        reverse("registry:official-list"),
        reverse("registry:official-detail", args=[records["official"].pk]),
        reverse("registry:structure-list"),
        reverse("registry:structure-detail", args=[records["structure"].pk]),
        reverse("consultations:list"),
        records["consultation"].get_absolute_url(),
        records["announced"].get_absolute_url(),
        reverse("map:map"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("accessibility"),
        reverse("privacy"),
    ]
    found = [problem for path in paths for problem in violations(page, path)]
    assert found == []


def test_romanian_pages_meet_wcag_aa(page_for, citizen, records):
    """The same layout in Romanian (longer words, other labels), signed in."""
    page = page_for(citizen, language="ro")
    paths = [
        reverse("home"),
        reverse("registry:organisation-list"),
        records["consultation"].get_absolute_url(),
        reverse("accounts:profile"),
        reverse("consultations:notifications"),
        reverse("accessibility"),
        reverse("privacy"),
    ]
    assert [problem for path in paths for problem in violations(page, path)] == []


def test_pages_of_each_role_meet_wcag_aa(page_for, ngo_admin, civil_servant, coordinator, records):
    organisation = records["organisation"]
    assert OrganisationMembership.objects.filter(user=ngo_admin).exists()
    by_role = {
        ngo_admin: [
            reverse("registry:organisation-edit", args=[organisation.pk]),
            reverse("registry:organisation-members", args=[organisation.pk]),
            reverse("registry:my-organisations"),
        ],
        civil_servant: [
            reverse("consultations:create"),
            reverse("consultations:moderation", args=[records["consultation"].pk]),
        ],
        coordinator: [
            reverse("registry:verification-queue"),
            reverse("map:dashboard"),
            reverse("registry:import-upload"),
        ],
    }
    found = []
    for user, paths in by_role.items():
        page = page_for(user)
        found += [problem for path in paths for problem in violations(page, path)]
    assert found == []


def test_the_checker_finds_what_it_should(page, live_server):
    """The check is real: a page with an image without text, an unlabelled field and grey
    on white text fails it with those rules."""
    page.goto(reverse("home"))
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<img src="/static/none.png"><input type="text" name="x">' +
                '<p id="faint">Greu de citit</p>');
            // Set through the CSSOM: the site's CSP refuses inline style attributes.
            Object.assign(document.getElementById("faint").style,
                          {color: "#bbb", background: "#fff"});
        }"""
    )
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    assert {"image-alt", "label", "color-contrast"} <= {v["id"] for v in result["violations"]}
