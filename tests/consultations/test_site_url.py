"""Every absolute address the site writes comes from the one setting SITE_URL: the Atom
feeds, the iCalendar files, the e-mails, the API's links and the synthesis PDF; never
the Sites framework's example.com, nor the host or port a request named."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations import dates, services, synthesis_pdf
from consultations.models import Consultation, Follow

from ..conftest import make_user
from .conftest import make_consultation

State = Consultation.State
SITE = "https://conect.example.gov.ro:8443"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"  # a final slash is tolerated


def _hosts(text: str) -> bool:
    return "example.com" not in text and "testserver" not in text and ":8000" not in text


def test_atom_feed_links_are_on_the_site(client, institution, domain):
    """The feed's own link, its page link and every entry's link start with SITE_URL."""
    consultation = make_consultation(institution, published_at=timezone.now())
    consultation.domains.add(domain)
    for url in (
        reverse("consultations:feed"),
        reverse("consultations:feed-domain", args=[domain.slug]),
        reverse("consultations:feed-institution", args=[institution.pk]),
    ):
        response = client.get(url, HTTP_HOST="localhost:9999")
        root = ET.fromstring(response.content)
        links = [link.get("href") for link in root.iter(f"{ATOM}link")]
        assert SITE + url in links
        assert SITE + consultation.get_absolute_url() in links
        assert all(link.startswith(SITE + "/") for link in links)
        assert _hosts(response.content.decode()) and "localhost:9999" not in response.text


def test_icalendar_links_are_on_the_site(client, consultation):
    """A deadline in the calendar links to the consultation on SITE_URL."""
    for url in (
        reverse("consultations:calendar"),
        reverse("consultations:calendar-consultation", args=[consultation.pk]),
    ):
        text = client.get(url, HTTP_HOST="localhost:9999").content.decode().replace("\r\n ", "")
        assert f"URL:{SITE}{consultation.get_absolute_url()}" in text
        assert _hosts(text) and "localhost:9999" not in text


def test_emails_link_to_the_site(
    institution, civil_servant, domain, django_capture_on_commit_callbacks
):
    """A follower's e-mail about an opening links to the consultation and to the
    unsubscribe page on SITE_URL, not on port 8000."""
    follower = make_user("urmaritor@example.org", name="Urmăritor", preferred_language="ro")
    Follow.objects.create(user=follower, domain=domain)
    today = dates.local_today()
    draft = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        planned_adoption_on=dates.earliest_adoption(today),
    )
    draft.domains.add(domain)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_transition(consultation=draft, actor=civil_servant, name="publish")
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert SITE + draft.get_absolute_url() in body
        assert SITE + "/consultations/unsubscribe/" in body
        assert _hosts(body)
    assert "//consultations" not in message.body.replace("https://", "")


def test_api_links_are_on_the_site(client, institution):
    """The API's links (a record's url and web_url, the next page, the root's index)
    name SITE_URL whatever host the request used."""
    for index in range(3):
        make_consultation(institution, title=f"Consultare {index}")
    response = client.get(
        reverse("api-v1:consultation-list") + "?page_size=2", HTTP_HOST="localhost:9999"
    )
    body = response.json()
    assert body["next"].startswith(SITE + "/api/v1/consultations/?")
    first = body["results"][0]
    assert first["url"] == SITE + reverse("api-v1:consultation-detail", args=[first["id"]])
    assert first["web_url"] == SITE + f"/consultations/{first['id']}/"
    root = client.get(reverse("api-v1:root"), HTTP_HOST="localhost:9999").json()
    assert all(str(link).startswith(SITE + "/api/v1/") for link in root.values())


def test_synthesis_pdf_is_printed_against_the_site(monkeypatch, institution):
    """The synthesis PDF resolves its addresses against SITE_URL."""
    import weasyprint

    seen = {}

    class FakeHTML:
        def __init__(self, *, string, base_url):
            seen["base_url"] = base_url

        def write_pdf(self, **options):
            return b"%PDF-1.7"

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    consultation = make_consultation(institution, state=State.SYNTHESIS_PUBLISHED)
    synthesis_pdf.render_synthesis_pdf(consultation, "ro")
    assert seen["base_url"] == SITE
