"""Comments are public only once moderated (personal data and insults removed with a
reason); institutions answer publicly or privately by e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from surveys.feedback import services
from surveys.feedback.models import Answer, CommentStatus, Reply

from .conftest import give

pytestmark = pytest.mark.django_db


def _page(service):
    return (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get(reverse("feedback:service-detail", args=[service.code]))
        .content.decode()
    )


def test_comment_is_public_only_after_moderation(service, coordinator):
    """A comment waits for a coordinator; published as written, it shows on the
    service's page."""
    [answer] = give(service, comment="Personal amabil, mulțumesc.")
    assert "Personal amabil" not in _page(service)
    services.comment_moderate(answer=answer, actor=coordinator, decision="published")
    assert "Personal amabil, mulțumesc." in _page(service)


def test_moderator_removes_personal_data_with_a_reason(service, coordinator):
    """Published with changes: the page shows the moderated text and the reason, never
    the text as typed."""
    [answer] = give(service, comment="Doamna Popescu, CNP 1800101123456, a fost nepoliticoasă.")
    services.comment_moderate(
        answer=answer,
        actor=coordinator,
        decision="edited",
        public_comment="[nume], [date personale], a fost nepoliticoasă.",
        reason="Date personale eliminate",
    )
    html = _page(service)
    assert "1800101123456" not in html and "Popescu" not in html
    assert "[nume], [date personale], a fost nepoliticoasă." in html
    assert "Date personale eliminate" in html


def test_rejection_needs_a_reason_and_changes_nothing_without_it(service, coordinator):
    """Refusing a comment without a reason is refused; the comment still waits."""
    [answer] = give(service, comment="Insulte.")
    with pytest.raises(ValidationError):
        services.comment_moderate(answer=answer, actor=coordinator, decision="rejected")
    answer.refresh_from_db()
    assert answer.comment_status == CommentStatus.PENDING
    services.comment_moderate(
        answer=answer, actor=coordinator, decision="rejected", reason="Limbaj jignitor"
    )
    answer.refresh_from_db()
    assert answer.comment_status == CommentStatus.REJECTED and answer.public_comment == ""


def test_the_institution_does_not_moderate_what_is_said_about_it(service, city_hall_staff):
    """The institution's own staff cannot moderate its comments."""
    [answer] = give(service, comment="Nu mi-a plăcut.")
    with pytest.raises(PermissionDenied):
        services.comment_moderate(answer=answer, actor=city_hall_staff, decision="published")


def test_moderation_page_publishes(service, coordinator, client_en):
    """The moderation queue lists waiting comments; a decision posted there applies."""
    [answer] = give(service, comment="Foarte bine.")
    client_en.force_login(coordinator)
    page = client_en.get(reverse("feedback:moderation"))
    assert "Foarte bine." in page.content.decode()
    response = client_en.post(
        reverse("feedback:moderate", args=[answer.pk]), {f"a{answer.pk}-decision": "published"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.comment_status == CommentStatus.PUBLISHED


def test_public_reply_under_the_published_comment(service, coordinator, city_hall_staff):
    """The institution's public reply shows under the comment once it is published."""
    [answer] = give(service, comment="Program scurt.")
    services.reply_create(
        answer=answer, actor=city_hall_staff, body="Am prelungit programul.", visibility="public"
    )
    assert "Am prelungit programul." not in _page(service)
    services.comment_moderate(answer=answer, actor=coordinator, decision="published")
    assert "Am prelungit programul." in _page(service)


def test_private_reply_is_emailed_once_and_the_address_erased(
    service, city_hall_staff, django_capture_on_commit_callbacks
):
    """A private reply goes by e-mail to the address given, once; then the address is
    erased (it was kept only for this)."""
    [answer] = give(service, comment="Cât durează?", email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_create(
            answer=answer, actor=city_hall_staff, body="30 de zile.", visibility="private"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "30 de zile." in mail.outbox[0].body
    answer.refresh_from_db()
    reply.refresh_from_db()
    assert answer.email == "" and reply.emailed_at is not None
    from surveys.feedback.tasks import send_feedback_reply

    assert send_feedback_reply(reply_id=reply.pk) is False  # a re-delivered task
    assert len(mail.outbox) == 1
    assert "30 de zile." not in _page(service)


def test_private_reply_needs_an_address(service, city_hall_staff):
    """Without an address only a public reply is possible; nothing is saved."""
    [answer] = give(service, comment="Bine.")
    with pytest.raises(ValidationError):
        services.reply_create(
            answer=answer, actor=city_hall_staff, body="Mulțumim.", visibility="private"
        )
    assert not Reply.objects.exists()


def test_another_institution_cannot_reply(service, other_civil_servant):
    """A civil servant of another institution cannot answer this one's feedback."""
    [answer] = give(service, comment="Bine.")
    with pytest.raises(PermissionDenied):
        services.reply_create(
            answer=answer, actor=other_civil_servant, body="?", visibility="public"
        )
    assert Answer.objects.get().comment_status == CommentStatus.PENDING


def test_old_addresses_are_erased_unless_a_reply_waits(service, city_hall_staff):
    """An address left for an answer is kept 90 days at most; one whose private reply is
    still to be sent is kept until it is."""
    from datetime import timedelta

    from django.utils import timezone

    old, waiting, recent = give(service, 3, email="x@example.org", comment="?")
    Answer.objects.filter(pk__in=[old.pk, waiting.pk]).update(
        created_at=timezone.now() - timedelta(days=91)
    )
    Reply.objects.create(answer=waiting, body="...", visibility="private", author=city_hall_staff)
    assert services.erase_old_addresses() == 1
    emails = dict(Answer.objects.values_list("pk", "email"))
    assert emails == {old.pk: "", waiting.pk: "x@example.org", recent.pk: "x@example.org"}


def test_reply_email_keeps_what_people_typed_as_text(
    service, city_hall_staff, django_capture_on_commit_callbacks
):
    """The e-mail of a private reply shows the institution's name and the reply as
    typed: escaped in its HTML part, plain in its text part, on one line in its
    subject."""
    service.institution.name = 'Primăria <b>"X"</b> &\nY'
    service.institution.save()
    [answer] = give(service, email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(
            answer=answer,
            actor=city_hall_staff,
            body="<script>alert(1)</script> & mulțumim",
            visibility="private",
        )
    [message] = mail.outbox
    assert "\n" not in message.subject and '<b>"X"</b> &' in message.subject
    assert "<script>alert(1)</script> & mulțumim" in message.body
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mulțumim" in html


@pytest.mark.parametrize(
    ("language", "hello", "intro"),
    [
        ("hu", "Tisztelt Címzett!", "Ön visszajelzést adott a(z) „Eliberarea"),
        ("ro", "Bună ziua,", "Ați dat feedback despre „Eliberarea"),
        ("en", "Hello,", "You gave feedback on “Eliberarea"),
    ],
)
def test_private_reply_is_emailed_in_the_language_of_the_answer(
    service, city_hall_staff, django_capture_on_commit_callbacks, language, hello, intro
):
    """A person who answered the form in Hungarian (or Romanian, or English) gets the
    institution's private reply in an e-mail written in that language, with the reply as
    the institution typed it."""
    [answer] = give(service, language=language, email="eva@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(
            answer=answer, actor=city_hall_staff, body="Válasz: 30 nap.", visibility="private"
        )
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.body.startswith(hello) and intro in message.body
    assert "Válasz: 30 nap." in message.body and "Válasz: 30 nap." in html
    assert f'<html lang="{language}">' in html
    assert service.institution.name in message.subject
    if language == "hu":
        assert message.subject == f"{service.institution.name} válasza az Ön visszajelzésére"
        assert "most töröltük" in message.body and "Ați dat" not in message.body
