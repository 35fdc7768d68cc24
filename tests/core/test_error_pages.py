"""403, 404, 429 and 500 pages: the right status, in both languages, in our layout."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADINGS = {
    403: "Access denied",
    404: "Page not found",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


@pytest.mark.parametrize("language", ["ro", "en"])
def test_404(client, language):
    """An unknown address: 404 in the visitor's language, with a way back home."""
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="/"' in html
    if language == "en":
        assert HEADINGS[404] in html


@pytest.mark.parametrize("language", ["ro", "en"])
def test_403_for_a_signed_in_user_without_permission(client, citizen, language):
    """A signed-in user who may not see a page gets 403 in their own language."""
    citizen.preferred_language = language
    citizen.save(update_fields=["preferred_language"])
    client.force_login(citizen)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    if language == "en":
        assert HEADINGS[403] in html


@pytest.mark.parametrize("url_name", ["admin:index", "accounts:profile"])
def test_anonymous_visitor_is_sent_to_sign_in_instead_of_403(client, url_name):
    """An anonymous visitor is never shown 403: they are asked to sign in first."""
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@override_settings(ROOT_URLCONF="tests.core.urls_errors")
@pytest.mark.parametrize("language", ["ro", "en"])
def test_500(language):
    """A bug gives a 500 page that says what to do, in the visitor's language."""
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert '<main id="main"' in html
    if language == "en":
        assert HEADINGS[500] in html


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
@pytest.mark.parametrize("language", ["ro", "en"])
def test_429_when_a_rate_limit_is_hit(client, language):
    """Too many requests: 429 with an explanation, in the visitor's language."""
    data = {"name": "X", "email": "x@example.org", "password1": "a", "password2": "b"}
    client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 429
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    if language == "en":
        assert HEADINGS[429] in html


@pytest.mark.parametrize("language", ["ro", "en"])
def test_expired_form_explains_what_to_do(language):
    """A form sent without a valid CSRF token: 403 with advice, in the visitor's language."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"),
        {"login": "a@b.ro", "password": "x"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    if language == "en":
        assert "The form has expired" in html
