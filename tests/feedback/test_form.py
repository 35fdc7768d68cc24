"""The public form at a service's short address: no account, no JavaScript, in Romanian,
English and Hungarian; the honeypot; what is kept."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from surveys.feedback.models import Answer, CommentStatus, MonthlyIndex

pytestmark = pytest.mark.django_db

FULL = {
    "satisfaction": "4",
    "access": "5",
    "clarity": "3",
    "courtesy": "5",
    "timeliness": "2",
    "solved": "partly",
    "comment": "Coada a fost lungă.",
    "email": "ana@example.org",
    "website": "",
}


@pytest.mark.parametrize(
    ("language", "html_lang", "words"),
    [
        ("ro", 'lang="ro"', None),
        ("en", 'lang="en"', "Overall, how satisfied are you with this service?"),
        ("hu", 'lang="hu"', "Összességében mennyire elégedett ezzel a szolgáltatással?"),
    ],
)
def test_form_in_three_languages_without_javascript(service, language, html_lang, words):
    """The form is plain HTML (radio buttons in fieldsets with legends, labels, a submit
    button): it is shown in the language asked and a POST without any script records
    the answer in that language and thanks the person in it."""
    client = Client()
    url = reverse("feedback:form", args=[service.code])
    page = client.get(url, {"lang": language})
    html = page.content.decode()
    assert page.status_code == 200
    if words is None:  # Romanian: the site's catalogue, the lead merges it from notes
        with translation.override("ro"):
            words = gettext("Overall, how satisfied are you with this service?")
    assert html_lang in html and words in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<fieldset" in html and "<legend" in html and 'type="radio"' in html
    assert service.name in html

    response = client.post(url, {**FULL, "lang": language})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.language == language
    assert (answer.satisfaction, answer.access, answer.clarity) == (4, 5, 3)
    assert (answer.courtesy, answer.timeliness, answer.solved) == (5, 2, "partly")
    assert answer.comment_status == CommentStatus.PENDING
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert f'lang="{language}"' in thanks.content.decode()


def test_hungarian_form_keeps_the_site_language_for_the_rest_of_the_page(service):
    """Hungarian is the form's own choice: the form's section says lang="hu", the page
    itself stays in the site's language (Hungarian is not offered site-wide)."""
    html = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get(reverse("feedback:form", args=[service.code]), {"lang": "hu"})
        .content.decode()
    )
    assert '<html lang="en"' in html
    assert '<div class="feedback-form" lang="hu">' in html
    assert "Küldés" in html


def test_errors_in_the_form_language_and_nothing_kept(service):
    """An answer without the overall satisfaction is refused, with the message in the
    form's language, and nothing is recorded."""
    response = Client().post(
        reverse("feedback:form", args=[service.code]), {"lang": "hu", "comment": "x"}
    )
    assert response.status_code == 200
    assert "Ez a mező kötelező." in response.content.decode()
    assert not Answer.objects.exists()
    assert not MonthlyIndex.objects.exists()


def test_honeypot_answer_is_thanked_and_dropped(service):
    """A form robot that fills in the hidden field is sent to the thanks page, and its
    answer is not kept."""
    response = Client().post(
        reverse("feedback:form", args=[service.code]), {**FULL, "website": "http://spam"}
    )
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_honeypot_is_hidden_from_people(service):
    """The honeypot is out of sight, out of the tab order and hidden from screen
    readers."""
    html = Client().get(reverse("feedback:form", args=[service.code])).content.decode()
    honeypot = html.split('class="feedback-hp"', 1)[1].split("</div>", 1)[0]
    assert 'aria-hidden="true"' in html.split('class="feedback-hp"', 1)[0][-40:] + honeypot[:20]
    assert 'tabindex="-1"' in honeypot


def test_nothing_about_the_person_is_kept_beyond_what_they_typed(service):
    """No address, no account: an answer holds the ratings, the comment, the e-mail
    address they chose to give and the language, and nothing else about them."""
    Client(REMOTE_ADDR="203.0.113.9").post(reverse("feedback:form", args=[service.code]), FULL)
    answer = Answer.objects.get()
    values = {str(getattr(answer, f.attname)) for f in Answer._meta.concrete_fields}
    assert not any("203.0.113.9" in value for value in values)
    fields = {f.name for f in Answer._meta.concrete_fields}
    assert not fields & {"ip", "ip_address", "user", "user_agent", "session"}


def test_inactive_service_has_no_form(service):
    """A service that no longer accepts feedback has no form (404)."""
    service.is_active = False
    service.save()
    assert Client().get(reverse("feedback:form", args=[service.code])).status_code == 404


def test_form_page_query_count(service, django_assert_num_queries):
    """The form reads its service in one query."""
    client = Client()
    url = reverse("feedback:form", args=[service.code])
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_submission_query_count(service, django_assert_num_queries):
    """An answer is the service's read, the answer's insert and the monthly upsert (in
    one transaction)."""
    client = Client()
    url = reverse("feedback:form", args=[service.code])
    with django_assert_num_queries(5):  # + SAVEPOINT / RELEASE of the atomic block
        assert client.post(url, FULL).status_code == 302
