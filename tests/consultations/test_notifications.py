"""Following and notifications: who hears of a consultation, in which language, how
often; the batched, idempotent fan-out that survives an interrupted worker; one-click
unsubscribe; reminders; digests; the list of notifications on the site."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from consultations import dates, notifications, services, tasks
from consultations.models import Consultation, Follow, Notification, NotificationPreference
from registry.models import County, Institution, Organisation

from ..conftest import make_user
from .conftest import make_consultation

State = Consultation.State
Status = Notification.EmailStatus
Kind = Notification.Kind


class FailingBackend(EmailBackend):
    """The locmem backend, which raises once `limit` messages have been sent: a worker
    that dies in the middle of a fan-out."""

    limit = None
    sent = 0

    def send_messages(self, messages):
        if FailingBackend.limit is not None and FailingBackend.sent >= FailingBackend.limit:
            raise ConnectionError("SMTP server went away")
        FailingBackend.sent += len(messages)
        return super().send_messages(messages)


def _followers(domain, count, *, language="ro", start=0):
    users = []
    for index in range(start, start + count):
        user = make_user(
            f"follower{index}@example.org", name=f"Urmăritor {index}", preferred_language=language
        )
        Follow.objects.create(user=user, domain=domain)
        users.append(user)
    return users


def _open(institution, civil_servant, domain, django_capture_on_commit_callbacks, **extra):
    """Publish a draft in `domain` through the service, running what happens on commit."""
    today = dates.local_today()
    draft = make_consultation(
        institution,
        state=State.DRAFT,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        planned_adoption_on=dates.earliest_adoption(today),
        **extra,
    )
    draft.domains.add(domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_transition(consultation=draft, actor=civil_servant, name="publish")
    return draft


# --- Who hears of a consultation ------------------------------------------------------


def test_followers_of_domain_institution_territory_and_organisations(
    institution, other_institution, domain, organisation, ngo_member, ngo_admin
):
    cluj = County.objects.get(code="RO113")
    bihor = County.objects.exclude(pk=cluj.pk).filter(region_id=cluj.region_id).first()
    elsewhere = County.objects.exclude(region_id=cluj.region_id).first()
    of_domain = make_user("d@example.org")
    Follow.objects.create(user=of_domain, domain=domain)
    of_institution = make_user("i@example.org")
    Follow.objects.create(user=of_institution, institution=institution)
    of_other_institution = make_user("o@example.org")
    Follow.objects.create(user=of_other_institution, institution=other_institution)
    of_cluj = make_user("c@example.org")
    Follow.objects.create(user=of_cluj, county=cluj)
    of_bihor = make_user("b@example.org")
    Follow.objects.create(user=of_bihor, county=bihor)
    of_region = make_user("r@example.org")
    Follow.objects.create(user=of_region, region_id=cluj.region_id)
    of_elsewhere = make_user("e@example.org")
    Follow.objects.create(user=of_elsewhere, county=elsewhere)
    inactive = make_user("x@example.org", is_active=False)
    Follow.objects.create(user=inactive, domain=domain)
    Follow.objects.create(organisation=organisation, county=cluj)

    local = make_consultation(institution, is_national=False)
    local.counties.add(cluj)
    local.domains.add(domain)
    assert set(notifications.follower_user_ids(local)) == {
        of_domain.pk,
        of_institution.pk,
        of_cluj.pk,
        of_region.pk,
        ngo_member.pk,
        ngo_admin.pk,
    }
    regional = make_consultation(institution, is_national=False)
    regional.regions.add(cluj.region_id)
    assert set(notifications.follower_user_ids(regional)) == {
        of_institution.pk,
        of_cluj.pk,
        of_bihor.pk,
        of_region.pk,
        ngo_member.pk,
        ngo_admin.pk,
    }
    national = make_consultation(institution, is_national=True)
    national.domains.add(domain)
    assert set(notifications.follower_user_ids(national)) == {of_domain.pk, of_institution.pk}
    # A suspended organisation's members no longer hear through it.
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUSPENDED)
    assert ngo_member.pk not in set(notifications.follower_user_ids(local))


def test_opening_notifies_followers_in_their_language_with_an_unsubscribe_link(
    client, institution, civil_servant, domain, django_capture_on_commit_callbacks
):
    romanian = _followers(domain, 1, language="ro")[0]
    english = _followers(domain, 1, language="en", start=1)[0]
    mail.outbox.clear()
    consultation = _open(institution, civil_servant, domain, django_capture_on_commit_callbacks)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {romanian.email, english.email}
    en = by_recipient[english.email]
    assert en.subject.endswith(f"New consultation: {consultation.title}")
    assert "has opened a public consultation" in en.body
    assert en.alternatives and en.alternatives[0][1] == "text/html"
    unsubscribe = en.extra_headers["List-Unsubscribe"].strip("<>")
    assert en.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in en.body
    # Each in the recipient's language: the page language and the dates follow it.
    ro = by_recipient[romanian.email]
    assert 'lang="en"' in en.alternatives[0][0] and 'lang="ro"' in ro.alternatives[0][0]
    with translation.override("ro"):
        assert date_format(consultation.closes_on, "DATE_FORMAT") in ro.body
    with translation.override("en"):
        assert date_format(consultation.closes_on, "DATE_FORMAT") in en.body
    # One click, no sign-in: no more e-mail, the notifications stay on the site.
    path = (
        unsubscribe.split("testserver")[-1]
        if "testserver" in unsubscribe
        else ("/" + unsubscribe.split("/", 3)[3])
    )
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "will receive no more e-mail" in response.content.decode()
    assert NotificationPreference.objects.get(user=english).frequency == "never"
    assert Notification.objects.filter(user=english, email_status=Status.SENT).count() == 1


def test_unsubscribe_by_post_and_undo(client, citizen):
    token = notifications.unsubscribe_token(citizen.pk)
    url = reverse("consultations:unsubscribe", args=[token])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert NotificationPreference.objects.get(user=citizen).frequency == "never"
    client.post(url, {"action": "resubscribe"})
    assert NotificationPreference.objects.get(user=citizen).frequency == "immediate"
    bad = reverse("consultations:unsubscribe", args=[token + "x"])
    assert client.get(bad).status_code == 400
    forged = reverse("consultations:unsubscribe", args=["eyJ1IjoxfQ:forged"])
    assert client.get(forged).status_code == 400


def test_preferences_decide_between_e_mail_digest_and_nothing(
    institution, civil_servant, domain, django_capture_on_commit_callbacks
):
    immediate, daily, weekly, never = _followers(domain, 4)
    for user, frequency in ((daily, "daily"), (weekly, "weekly"), (never, "never")):
        services.preference_set(user=user, frequency=frequency)
    mail.outbox.clear()
    _open(institution, civil_servant, domain, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [immediate.email]
    statuses = dict(Notification.objects.values_list("user_id", "email_status"))
    assert statuses == {
        immediate.pk: Status.SENT,
        daily.pk: Status.DIGEST,
        weekly.pk: Status.DIGEST,
        never.pk: Status.NONE,
    }


def test_digests_group_events_and_are_sent_once(
    institution, civil_servant, domain, django_capture_on_commit_callbacks
):
    daily, weekly = _followers(domain, 2)
    services.preference_set(user=daily, frequency="daily")
    services.preference_set(user=weekly, frequency="weekly")
    _open(institution, civil_servant, domain, django_capture_on_commit_callbacks, title="Unu")
    _open(institution, civil_servant, domain, django_capture_on_commit_callbacks, title="Doi")
    mail.outbox.clear()
    assert tasks.send_digests(frequency="daily") == 1
    assert [m.to[0] for m in mail.outbox] == [daily.email]
    assert "Unu" in mail.outbox[0].body and "Doi" in mail.outbox[0].body
    assert tasks.send_digests(frequency="daily") == 0
    assert tasks.send_digests(frequency="weekly") == 1
    assert tasks.send_digests(frequency="weekly") == 0
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(email_status=Status.DIGEST).exists()


def test_reminders_go_out_once_before_the_window_closes(institution, domain, settings):
    settings.CONSULTATION_REMINDER_DAYS_BEFORE_CLOSE = 3
    (follower,) = _followers(domain, 1)
    today = dates.local_today()
    soon = make_consultation(institution, closes_on=today + datetime.timedelta(days=2))
    later = make_consultation(institution, closes_on=today + datetime.timedelta(days=9))
    for consultation in (soon, later):
        consultation.domains.add(domain)
    mail.outbox.clear()
    assert tasks.send_closing_reminders() == [soon.pk]
    assert tasks.send_closing_reminders() == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [follower.email]
    assert Notification.objects.get().kind == Kind.WINDOW_CLOSING


# --- The fan-out ---------------------------------------------------------------------------


@pytest.fixture
def failing_backend(settings):
    settings.EMAIL_BACKEND = "tests.consultations.test_notifications.FailingBackend"
    FailingBackend.sent = 0
    FailingBackend.limit = None
    yield FailingBackend
    FailingBackend.limit = None


def test_an_interrupted_fan_out_resumes_without_duplicates_or_gaps(
    institution, domain, settings, failing_backend
):
    """The worker dies after 12 of 30 e-mails (the SMTP connection drops); run again, it
    sends the other 18: everyone gets exactly one e-mail."""
    settings.CONSULTATION_FANOUT_BATCH_SIZE = 7
    followers = _followers(domain, 30)
    consultation = make_consultation(institution)
    consultation.domains.add(domain)
    key = notifications.record_followers_event(
        consultation_id=consultation.pk, kind=Kind.CONSULTATION_OPENED
    )
    assert Notification.objects.filter(event_key=key).count() == 30
    mail.outbox.clear()
    failing_backend.limit = 12
    with pytest.raises(ConnectionError):
        tasks.send_event_emails(event_key=key)
    assert len(mail.outbox) == 12
    assert Notification.objects.filter(event_key=key, email_status=Status.SENT).count() == 12
    assert Notification.objects.filter(event_key=key, email_status=Status.PENDING).count() == 18
    assert not notifications.has_unfinished_claims(key)

    failing_backend.limit = None
    # Recording the event again (a re-delivered task) adds nobody twice.
    notifications.record_followers_event(
        consultation_id=consultation.pk, kind=Kind.CONSULTATION_OPENED
    )
    assert tasks.send_event_emails(event_key=key) == 18
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(u.email for u in followers)
    assert len(recipients) == len(set(recipients)) == 30
    assert tasks.send_event_emails(event_key=key) == 0
    assert len(mail.outbox) == 30


def test_a_killed_worker_leaves_claims_that_expire(institution, domain, settings):
    """A worker killed outright cannot give its claims back: a later run leaves fresh
    claims alone (their worker may be alive) and takes over the expired ones."""
    settings.CONSULTATION_FANOUT_CLAIM_LEASE_SECONDS = 600
    _followers(domain, 6)
    consultation = make_consultation(institution)
    consultation.domains.add(domain)
    key = notifications.record_followers_event(
        consultation_id=consultation.pk, kind=Kind.CONSULTATION_OPENED
    )
    rows = list(Notification.objects.filter(event_key=key).order_by("pk"))
    now = timezone.now()
    # Two sent before the kill, two claimed long ago (dead), two claimed just now (alive).
    Notification.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(
        email_status=Status.SENT, emailed_at=now
    )
    Notification.objects.filter(pk__in=[r.pk for r in rows[2:4]]).update(
        email_status=Status.CLAIMED,
        claim_token="dead",
        claimed_at=now - datetime.timedelta(hours=1),
    )
    Notification.objects.filter(pk__in=[r.pk for r in rows[4:]]).update(
        email_status=Status.CLAIMED, claim_token="alive", claimed_at=now
    )
    mail.outbox.clear()
    assert notifications.send_event_emails(key) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in rows[2:4])
    assert notifications.has_unfinished_claims(key)
    # Once the live claims expire too, the rest goes out, still once each.
    Notification.objects.filter(claim_token="alive").update(
        claimed_at=now - datetime.timedelta(hours=1)
    )
    assert notifications.send_event_emails(key) == 2
    assert len(mail.outbox) == 4
    assert Notification.objects.filter(event_key=key, email_status=Status.SENT).count() == 6


def test_moderation_notifies_the_author(
    consultation, citizen, civil_servant, django_capture_on_commit_callbacks
):
    from .conftest import make_recommendation

    rec = make_recommendation(consultation, citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_moderate(
            recommendation=rec, actor=civil_servant, action="hide", reason="Date personale."
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]
    assert "Date personale." in mail.outbox[0].body


# --- Pages ----------------------------------------------------------------------------------


def test_notification_list_with_unread_count(
    client, consultation, citizen, quiet_nav, django_assert_num_queries
):
    for index in range(5):
        notifications.create_notifications(
            user_ids=[citizen.pk],
            kind=Kind.CONSULTATION_OPENED,
            event_key=f"opened:{index}",
            consultation_id=consultation.pk,
        )
    client.force_login(citizen)
    url = reverse("consultations:notifications")
    # session, user, page count, page (with its consultations), unread count
    with django_assert_num_queries(5):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["unread"] == 5
    assert "5 unread notifications" in response.content.decode()
    first = Notification.objects.filter(user=citizen).first()
    client.post(reverse("consultations:notifications-read"), {"ids": [first.pk]})
    assert Notification.objects.filter(user=citizen, read_at__isnull=True).count() == 4
    client.post(reverse("consultations:notifications-read"))
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()


def test_unread_count_template_tag(rf, citizen, consultation):
    from django.template import Context, Template

    notifications.create_notifications(
        user_ids=[citizen.pk],
        kind=Kind.CONSULTATION_OPENED,
        event_key="x",
        consultation_id=consultation.pk,
    )
    request = rf.get("/")
    request.user = citizen
    html = Template(
        "{% load consultations_tags %}{% unread_notifications_count as n %}{{ n }}"
    ).render(Context({"request": request}))
    assert html == "1"


def test_following_from_the_pages(
    client,
    citizen,
    domain,
    ngo_member,
    ngo_admin,
    organisation,
    quiet_nav,
    django_assert_num_queries,
):
    client.force_login(citizen)
    Follow.objects.create(
        user=citizen,
        institution=Institution.objects.create(name="Primăria X", kind="city_hall", level="local"),
    )
    # session, user, verified, preference, follows, and the choices of the five selects
    with django_assert_num_queries(10):
        assert client.get(reverse("consultations:follows")).status_code == 200
    client.post(reverse("consultations:follow"), {"domain": domain.pk})
    client.post(reverse("consultations:follow"), {"domain": domain.pk})  # twice is harmless
    follow = Follow.objects.get(user=citizen, domain__isnull=False)
    assert follow.domain == domain
    response = client.post(
        reverse("consultations:follow"), {}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Choose one domain" in response.content.decode()
    client.post(reverse("consultations:preference"), {"frequency": "weekly"})
    assert NotificationPreference.objects.get(user=citizen).frequency == "weekly"
    client.force_login(ngo_member)
    assert client.post(reverse("consultations:unfollow", args=[follow.pk])).status_code == 403
    response = client.post(
        reverse("consultations:follow"), {"domain": domain.pk, "organisation": organisation.pk}
    )
    assert not Follow.objects.filter(organisation=organisation).exists()  # members cannot
    client.force_login(ngo_admin)
    client.post(
        reverse("consultations:follow"), {"domain": domain.pk, "organisation": organisation.pk}
    )
    assert Follow.objects.filter(organisation=organisation, domain=domain).exists()
    client.force_login(citizen)
    assert client.post(reverse("consultations:unfollow", args=[follow.pk])).status_code == 302
    assert not Follow.objects.filter(user=citizen, domain__isnull=False).exists()


def test_anonymous_users_are_asked_to_sign_in(client):
    for name in ("follows", "notifications"):
        response = client.get(reverse(f"consultations:{name}"))
        assert response.status_code == 302 and "login" in response.url


def test_each_recipient_gets_their_own_name_and_link(institution, domain):
    """The fan-out renders once per language but fills in each recipient's name (escaped
    in HTML) and their own unsubscribe link."""
    first = make_user("a@example.org", name="Ana <b>Pop</b>")
    second = make_user("b@example.org", name="Dan Ionescu")
    for user in (first, second):
        Follow.objects.create(user=user, domain=domain)
    consultation = make_consultation(institution)
    consultation.domains.add(domain)
    key = notifications.record_followers_event(
        consultation_id=consultation.pk, kind=Kind.CONSULTATION_OPENED
    )
    mail.outbox.clear()
    assert notifications.send_event_emails(key) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    for user in (first, second):
        message = by_recipient[user.email]
        token = notifications.unsubscribe_token(user.pk)
        assert user.name in message.body and token in message.body
        assert token in message.extra_headers["List-Unsubscribe"]
    html = by_recipient[first.email].alternatives[0][0]
    assert "Ana &lt;b&gt;Pop&lt;/b&gt;" in html and "<b>Pop</b>" not in html
    assert "Dan Ionescu" not in by_recipient[first.email].body


# --- Documents of a public consultation ---------------------------------------------


def test_a_new_document_version_reaches_followers_and_contributors_once(
    client, institution, civil_servant, domain, citizen, django_capture_on_commit_callbacks
):
    """A new version of a document of an open consultation is told to its followers and
    to those who already sent a recommendation (one notification each, in their own
    language, on the site and by e-mail); an edit of a draft nobody sees tells nobody."""
    from .conftest import make_recommendation, pdf_bytes, upload

    follower = _followers(domain, 1, language="en")[0]
    consultation = _open(institution, civil_servant, domain, django_capture_on_commit_callbacks)
    citizen.preferred_language = "ro"
    citizen.save(update_fields=["preferred_language"])
    make_recommendation(consultation, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_add(
            consultation=consultation,
            actor=civil_servant,
            kind="draft",
            title="Proiectul de hotărâre",
            file=upload("proiect.pdf", pdf_bytes("v1")),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.document_add_version(
            document=document,
            actor=civil_servant,
            file=upload("proiect-v2.pdf", pdf_bytes("v2")),
            change_note="Articolul 3 a fost reformulat.",
        )
    key = f"document:{version.pk}"
    assert set(Notification.objects.filter(event_key=key).values_list("user", flat=True)) == {
        follower.pk,
        citizen.pk,
    }
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {follower.email, citizen.email}
    english = by_recipient[follower.email]
    assert english.subject.endswith(f"A document of “{consultation.title}” was added or changed")
    assert "has published version 2 of “Proiectul de hotărâre”" in english.body
    assert "a publicat versiunea 2" in by_recipient[citizen.email].body
    # The task may run again (a retried worker): nobody hears twice.
    mail.outbox.clear()
    tasks.notify_document_published(version_id=version.pk)
    assert mail.outbox == []
    assert Notification.objects.filter(event_key=key).count() == 2
    client.force_login(follower)
    page = client.get(reverse("consultations:notifications")).content.decode()
    assert "has published version 2 of “Proiectul de hotărâre”" in page

    draft = make_consultation(institution, state=State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_add(
            consultation=draft,
            actor=civil_servant,
            kind="draft",
            title="Ciornă",
            file=upload("ciorna.pdf", pdf_bytes("draft")),
        )
    assert not Notification.objects.filter(consultation=draft).exists()


def test_the_navigation_counts_unread_notifications(client, citizen, consultation):
    """Every page's navigation shows how many notifications are unread (with a text for
    screen readers); the count is cached, and a new notification or reading them shows at
    once."""

    def notify(key):
        notifications.create_notifications(
            user_ids=[citizen.pk],
            kind=Kind.CONSULTATION_OPENED,
            event_key=key,
            consultation_id=consultation.pk,
        )

    notify("a")
    notify("b")
    client.force_login(citizen)
    home = reverse("home")
    html = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '>2<span class="visually-hidden"> unread notifications</span></span>' in html
    with CaptureQueriesContext(connection) as queries:
        client.get(home)
    assert queries.captured_queries  # the session and the roles
    assert not any('"read_at" IS NULL' in q["sql"] for q in queries.captured_queries)
    notify("c")
    assert ">3<span" in client.get(home).content.decode()
    services.notifications_mark_read(user=citizen)
    html = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "unread notification" not in html
