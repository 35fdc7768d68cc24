"""Web addresses and text lengths, checked in one place for the forms, the admin, the API
and the services (conect.core.validators and conect.core.fields)."""

import pytest
from django.core.exceptions import ValidationError

from conect.core.fields import LimitedTextField, SafeURLField, SafeURLFormField
from conect.core.validators import normalize_url, validate_url

HOSTILE = 'https://example.org/?"><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (HOSTILE, "https://example.org/?%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"),
        ("  exemplu.ro  ", "https://exemplu.ro"),
        ("//exemplu.ro/a", "https://exemplu.ro/a"),
        ("exemplu.ro:8080/x", "https://exemplu.ro:8080/x"),
        ("HTTP://WWW.Exemplu.RO/Pagina", "http://www.exemplu.ro/Pagina"),
        ("https://exemplu.ro/a b/`c`#x y", "https://exemplu.ro/a%20b/%60c%60#x%20y"),
        ("https://exemplu.ro/a'b\\c", "https://exemplu.ro/a%27b%5Cc"),
        ("https://exemplu.ro/educație", "https://exemplu.ro/educa%C8%9Bie"),
        ("https://exemplu.ro/100%", "https://exemplu.ro/100%25"),
        (
            "https://ro.wikipedia.org/wiki/A_(b)?x=1&y=%20",
            "https://ro.wikipedia.org/wiki/A_(b)?x=1&y=%20",
        ),
        ("https://münchen.de/", "https://xn--mnchen-3ya.de/"),
        ("", ""),
    ],
)
def test_addresses_are_normalised(typed, stored):
    """What must be quoted is percent-encoded (quotes, angle brackets, spaces, backticks,
    apostrophes, backslashes, letters outside ASCII), a scheme is added when missing, the
    host is in lower case and ASCII; normalising again changes nothing, and the result is
    valid."""
    assert normalize_url(typed) == stored
    assert normalize_url(stored) == stored
    validate_url(stored)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://exemplu.ro/fisier",
        "mailto:contact@exemplu.ro",
        "https://",
        "https://user:parola@exemplu.ro/",
        "https://exemplu.ro:port/",
        "https://exemplu/",
        HOSTILE,  # not normalised: refused as it is
    ],
)
def test_other_addresses_are_refused(value):
    """Only http and https pages of a real host are taken, with a message that says so."""
    with pytest.raises(ValidationError) as error:
        validate_url(normalize_url(value) if value != HOSTILE else value)
    assert error.value.messages == ["Enter a valid URL."]


def test_model_and_form_fields_normalise():
    """The model field (what full_clean() and the admin use) and its form field store the
    normalised address and refuse a script address."""
    field = SafeURLField(blank=True)
    assert field.clean(HOSTILE, None) == normalize_url(HOSTILE)
    with pytest.raises(ValidationError):
        field.clean("javascript:alert(1)", None)
    form_field = field.formfield()
    assert isinstance(form_field, SafeURLFormField)
    assert form_field.clean("exemplu.ro/a b") == "https://exemplu.ro/a%20b"
    with pytest.raises(ValidationError):
        form_field.clean("javascript:alert(1)")


def test_limited_text_is_checked_by_full_clean_and_forms():
    """A LimitedTextField's length is checked by the model's validation (a plain TextField's
    is not) and by its form field, with Django's translated message."""
    field = LimitedTextField(max_length=10)
    field.clean("a" * 10, None)
    with pytest.raises(ValidationError) as error:
        field.clean("a" * 11, None)
    assert error.value.messages == ["Ensure this value has at most 10 characters (it has 11)."]
    form_field = field.formfield()
    assert form_field.max_length == 10
    assert form_field.widget.attrs["maxlength"] == "10"
    with pytest.raises(ValidationError):
        form_field.clean("a" * 11)


def test_a_formatted_text_counts_what_a_reader_sees():
    """A field holding HTML counts the text without its tags (an escaped character counts
    as one), so a text the form took is not refused once formatted; its markup is bounded
    too, with a message that says what to do."""
    field = LimitedTextField(max_length=10, html=True)
    field.clean("<p>aaaa &amp; bbb</p>", None)  # 10 characters seen
    with pytest.raises(ValidationError) as error:
        field.clean("<p>aaaa &amp; bbbb</p>", None)
    assert error.value.messages == ["Ensure this value has at most 10 characters (it has 11)."]
    with pytest.raises(ValidationError) as error:
        field.clean("<b></b>" * 6, None)
    assert error.value.messages == [
        "This text has too much formatting: shorten it or remove some of its formatting."
    ]
    assert field.deconstruct()[3]["html"] is True
