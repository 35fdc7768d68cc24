"""What a public-sector site in Romania must show (issue 16): an accessibility statement
and a privacy notice, linked with the site's contact from every page's footer; a logo, a
favicon, and a Permissions-Policy header."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "interest-cohort": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("language", ["ro", "en"])
@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_public_pages_answer_in_both_languages(client, name, language):
    """Both pages open for anyone, in Romanian and in English, with one main heading."""
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert '<main id="main"' in html


def test_accessibility_statement_follows_the_model_statement(client):
    """Commitment, compliance status, what is not accessible, preparation date, feedback
    and contact (e-mail and post) and the enforcement procedure with ADR."""
    with override_settings(SITE_CONTACT_EMAIL="accesibilitate@example.gov.ro"):
        html = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en").text
    for text in (
        "Government Emergency Ordinance no. 112/2018",
        "Directive (EU) 2016/2102",
        "partially compliant",
        "WCAG",
        "EN 301 549",
        "Non-accessible content",
        "are not tagged",
        "This statement was prepared on",
        "Piața Victoriei nr. 1",
        "Autoritatea pentru Digitalizarea României",
        'href="mailto:accesibilitate@example.gov.ro"',
    ):
        assert text in html, text


def test_accessibility_statement_names_the_map_tiles_only_when_configured(client):
    """Third-party map images are listed as not accessible when a tile service is set."""
    tiles = "background map images come from a third-party tile service"
    config = {**settings.LEAFLET_CONFIG, "TILES": []}
    with override_settings(LEAFLET_CONFIG=config):
        assert tiles not in client.get(reverse("accessibility")).text
    config["TILES"] = [["OSM", "https://tile.example.org/{z}/{x}/{y}.png", {}]]
    with override_settings(LEAFLET_CONFIG=config):
        assert tiles in client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en").text


def test_privacy_notice_says_what_article_13_requires(client):
    """Controller, data protection officer, data, purposes and legal bases, retention,
    recipients, rights, the complaint to ANSPDCP and the cookies."""
    with override_settings(DPO_EMAIL="dpo@example.gov.ro"):
        html = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en").text
    for text in (
        "Secretariatul General al Guvernului",
        'href="mailto:dpo@example.gov.ro"',
        "Article 6(1)(e)",
        "Law no. 52/2003",
        "Article 6(1)(a)",
        "How long we keep it",
        "Who receives it",
        "data portability",
        "ANSPDCP",
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    ):
        assert text in html, text


def test_privacy_notice_links_the_data_pages_that_exist(client):
    """The download and deletion pages are linked once they are installed."""
    html = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en").text
    for name in ("accounts:data-export", "accounts:delete"):
        url = _url(name)
        if url is not None:
            assert f'href="{url}"' in html


@pytest.mark.parametrize(
    "name", ["home", "accessibility", "privacy", "registry:organisation-list", "account_login"]
)
def test_every_page_footer_links_the_statements_and_the_contact(client, name):
    """The footer of every page links both statements, the API docs and the contact."""
    with override_settings(SITE_CONTACT_EMAIL="contact@example.gov.ro"):
        html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").text
    footer = html.split('<footer class="site-footer', 1)[1]
    assert f'href="{reverse("accessibility")}"' in footer
    assert f'href="{reverse("privacy")}"' in footer
    assert f'href="{reverse("api-v1:docs")}"' in footer
    assert 'href="mailto:contact@example.gov.ro"' in footer
    assert "Piața Victoriei nr. 1" in footer


def test_footer_links_on_a_signed_in_page(client, citizen):
    """Signed-in pages have the same footer."""
    client.force_login(citizen)
    footer = client.get(reverse("accounts:profile")).text.split('<footer class="site-footer', 1)[1]
    assert f'href="{reverse("accessibility")}"' in footer
    assert f'href="{reverse("privacy")}"' in footer


def test_contact_email_has_a_default(client):
    """Without SITE_CONTACT_EMAIL the footer shows the platform's address."""
    with override_settings():
        del settings.SITE_CONTACT_EMAIL
        html = client.get(reverse("home")).text
    assert 'href="mailto:contact@conect.gov.ro"' in html


def test_every_page_has_the_logo_and_the_favicon(client):
    """The header's logo has a text alternative; the favicon is declared as SVG with an
    ICO fallback."""
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert 'src="/static/img/logo.svg" alt="CONECT"' in html
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="icon" href="/static/img/favicon.ico"' in html


def test_favicon_ico_at_the_root_leads_to_the_icon(client):
    """Browsers that ask for /favicon.ico get the icon, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"] != "/favicon.ico"


def test_permissions_policy_header_denies_powerful_features(client):
    """With django-permissions-policy's middleware and the project's policy, every answer
    forbids the camera, microphone, geolocation, payment, USB and interest tracking."""
    middleware = [
        *settings.MIDDLEWARE[:1],
        "django_permissions_policy.PermissionsPolicyMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    with override_settings(MIDDLEWARE=middleware, PERMISSIONS_POLICY=PERMISSIONS_POLICY):
        response = client.get(reverse("accessibility"))
    header = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in header
