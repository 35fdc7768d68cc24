"""Romanian by default, English on request; the choice is remembered."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from conect.accounts.services import user_set_language

pytestmark = pytest.mark.django_db


def _switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_romanian_is_the_default(client):
    """A visitor whose browser asks for nothing in particular sees Romanian."""
    response = client.get(reverse("home"))
    assert '<html lang="ro">' in response.content.decode()
    assert response["Content-Language"] == "ro"


def test_anonymous_switch_sets_the_cookie_and_the_next_page_is_english(client):
    """Switching remembers the choice in a cookie and returns to the page one was on."""
    response = _switch(client, "en", next_url=reverse("account_login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE
    page = client.get(reverse("account_login"))
    assert '<html lang="en">' in page.content.decode()
    # And back.
    _switch(client, "ro")
    assert '<html lang="ro">' in client.get(reverse("home")).content.decode()


def test_signed_in_switch_is_stored_and_follows_the_user_to_a_new_session(citizen, password):
    """A signed-in user's choice is saved on the account; signing in elsewhere (a new
    browser, no cookie) shows the site in that language at once."""
    first = Client()
    first.force_login(citizen)
    _switch(first, "en")
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"

    second = Client()  # another device: no language cookie, a Romanian browser
    second.post(
        reverse("account_login"),
        {"login": citizen.email, "password": password},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    page = second.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ro")
    assert '<html lang="en">' in page.content.decode()


def test_signed_in_preference_wins_over_cookie_and_browser(client, citizen):
    """The stored preference beats a leftover cookie and the browser's language."""
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ro")
    assert '<html lang="en">' in page.content.decode()


def test_unknown_language_changes_nothing(client, citizen):
    """A language CONECT does not offer is ignored; the preference stays."""
    client.force_login(citizen)
    response = _switch(client, "fr")
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    citizen.refresh_from_db()
    assert citizen.preferred_language == "ro"


def test_service_refuses_unknown_language(citizen):
    """The service raises a translated error and leaves the user as it was."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        user_set_language(user=citizen, language="fr")
    assert error.value.messages == ["This language is not available."]
    citizen.refresh_from_db()
    assert citizen.preferred_language == "ro"


@pytest.mark.parametrize(
    ("language", "long_date", "short_date", "number"),
    [
        ("ro", "1 martie 2025", "01.03.2025", "1.234.567,5"),
        ("en", "1 march 2025", "01/03/2025", "1,234,567.5"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, long_date, short_date, number):
    """Dates and numbers are written the way each language writes them. (The month's
    capitalisation comes from the catalogue, see conect/formats/names.py.)"""
    day = datetime.date(2025, 3, 1)
    with translation.override(language):
        assert formats.date_format(day).lower() == long_date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short_date
        # Grouping is asked for where a figure is shown (|intcomma, floatformat:"g"), not
        # globally, so that ids in URLs are never grouped.
        grouped = formats.number_format(Decimal("1234567.5"), use_l10n=True, force_grouping=True)
        assert grouped == number


def test_figures_in_templates_are_grouped_per_language():
    """The humanize filter used for figures groups thousands the way each language does."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    with translation.override("ro"):
        assert intcomma(1234567) == "1.234.567"
    with translation.override("en"):
        assert intcomma(1234567) == "1,234,567"


def test_time_zone_is_bucharest():
    """Times are shown in Romania's time zone."""
    assert settings.TIME_ZONE == "Europe/Bucharest"
    assert settings.USE_TZ
