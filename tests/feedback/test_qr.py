"""Each service has a short address and a QR code holding it, on a printable A4 poster
in Romanian and, when asked, Hungarian or English."""

import pytest
import segno
from django.test import Client
from django.urls import resolve, reverse

from surveys.feedback import poster

pytestmark = pytest.mark.django_db


def test_qr_code_leads_to_the_service(service, settings):
    """The QR code served for a service is the code of its short address (segno makes
    the same symbol for the same text), and that address opens this service's form."""
    settings.SITE_URL = "https://conect.gov.ro"
    short = f"https://conect.gov.ro/s/{service.code}/"
    assert service.short_url == short
    served = Client().get(reverse("feedback:service-qr", args=[service.code]))
    assert served["Content-Type"] == "image/svg+xml"
    expected = segno.make(short, error="m").svg_inline(scale=10, border=2).encode()
    assert served.content == expected
    match = resolve(f"/s/{service.code}/")
    assert match.view_name == "feedback:form" and match.kwargs == {"code": service.code}
    page = Client().get(f"/s/{service.code}/")
    assert page.status_code == 200 and service.name in page.content.decode()


def test_short_codes_are_short_and_unambiguous(service, other_service):
    """Codes are 7 characters a person can type from a poster (no 0/O, 1/l/I) and
    differ between services."""
    for code in (service.code, other_service.code):
        assert len(code) == 7 and not set(code) & set("01oil")
    assert service.code != other_service.code


def test_poster_in_romanian_and_hungarian(service):
    """The poster's page holds the QR code of the short address, the address in print
    and the words in Romanian then Hungarian."""
    html = poster.poster_html(service, poster.poster_languages(service, "hu"))
    assert poster.qr_code(service).svg_data_uri(scale=10, border=2) in html
    assert service.short_url in html
    assert 'lang="ro"' in html and 'lang="hu"' in html
    assert "Hogyan szolgálták ki?" in html
    assert html.index('lang="ro"') < html.index('lang="hu"')


def test_poster_language_of_the_service(service):
    """Without ?lang= the poster uses the second language the institution chose."""
    assert poster.poster_languages(service) == ["ro"]
    service.poster_language = "hu"
    assert poster.poster_languages(service) == ["ro", "hu"]
    assert poster.poster_languages(service, "en") == ["ro", "en"]
    assert poster.poster_languages(service, "ro") == ["ro"]


def test_service_page_offers_the_poster_in_each_language(service):
    """A service's page links its poster in Romanian alone, with Hungarian and with
    English, whatever second language the institution chose; each link gives a PDF named
    after its languages."""
    service.poster_language = "hu"
    service.save()
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(service.get_absolute_url()).content.decode()
    poster_url = reverse("feedback:service-poster", args=[service.code])
    expected = {"ro": "ro", "hu": "ro-hu", "en": "ro-en"}
    for language, suffix in expected.items():
        assert f'href="{poster_url}?lang={language}"' in html
        response = Client().get(poster_url, {"lang": language})
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="conect-{service.code}-{suffix}.pdf"' in response["Content-Disposition"]
    assert "Poster with the QR code, in Romanian (PDF)" in html


def test_poster_is_an_a4_pdf(service):
    """The poster downloads as a one-page A4 PDF."""
    response = Client().get(reverse("feedback:service-poster", args=[service.code]), {"lang": "hu"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from weasyprint import HTML

    document = HTML(string=poster.poster_html(service, ["ro", "hu"])).render()
    assert len(document.pages) == 1
    # A4 is 210 x 297 mm; WeasyPrint measures in CSS pixels (96 per inch).
    assert round(document.pages[0].width * 25.4 / 96) == 210
    assert round(document.pages[0].height * 25.4 / 96) == 297
