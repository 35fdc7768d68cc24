"""Speed of public consultations at scale (issue 6).

- A consultation with 10,000 recommendations: its page (first and a deep page of
  recommendations) and the moderation queue (most reported first, and the "all" tab),
  each under 200 ms at the median, beside the bare SQL of its main query.
- The fan-out of a consultation's opening to 10,000 followers by one worker, in-process
  with the local-memory e-mail backend: under two minutes.

The module builds its own data (an institution, 10,000 users, their recommendations and
follows), measures, and removes it all after.
"""

import random
import time
import uuid

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from conect.accounts.models import User
from consultations import dates, notifications, selectors
from consultations.models import Consultation, Follow, Notification, Recommendation
from registry.models import Domain, Institution, InstitutionStaff

PAGE_TARGET_MS = 200
FANOUT_TARGET_MS = 120_000
RECOMMENDATIONS = 10_000
FOLLOWERS = 10_000
PREFIX = "bench-consultations"


def _build():
    rng = random.Random(6)
    now = timezone.now()
    today = dates.local_today()
    institution = Institution.objects.create(
        name=f"{PREFIX} ministry", kind=Institution.Kind.MINISTRY, level=Institution.Level.CENTRAL
    )
    domain, _created = Domain.objects.get_or_create(
        slug=f"{PREFIX}-domain",
        defaults={"name_ro": "Domeniu de test", "name_en": "Bench domain"},
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}-{index}@example.org",
                name=f"Cetățean {index}",
                password="!",
                preferred_language="ro" if index % 3 else "en",
            )
            for index in range(FOLLOWERS)
        ],
        batch_size=2000,
    )
    servant = User.objects.create_user(
        email=f"{PREFIX}-servant@example.org", password=None, name="Funcționar"
    )
    InstitutionStaff.objects.create(
        institution=institution, user=servant, status=InstitutionStaff.Status.APPROVED
    )
    consultation = Consultation.objects.create(
        institution=institution,
        title="Proiect de hotărâre cu 10.000 de recomandări",
        summary="<p>Bench.</p>",
        kind=Consultation.Kind.GOVERNMENT_DECISION,
        opens_on=today - timezone.timedelta(days=5),
        closes_on=today + timezone.timedelta(days=10),
        planned_adoption_on=dates.add_working_days(today, 40),
        is_national=True,
        state=Consultation.State.OPEN,
        published_at=now,
        window_days=15,
        announcement_working_days=40,
    )
    consultation.domains.add(domain)
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                consultation=consultation,
                author=users[index % len(users)],
                text=f"<p>Recomandarea {index}: propunem reformularea alineatului.</p>",
                status=Recommendation.Status.PUBLISHED,
                report_count=rng.choice([0] * 30 + [1, 2, 3]),
                submission_key=uuid.uuid4(),
                created_at=now - timezone.timedelta(minutes=RECOMMENDATIONS - index),
            )
            for index in range(RECOMMENDATIONS)
        ],
        batch_size=2000,
    )
    Follow.objects.bulk_create(
        [Follow(user=user, domain=domain) for user in users], batch_size=2000
    )
    with connection.cursor() as cursor:
        for table in (
            "consultations_recommendation",
            "consultations_follow",
            "accounts_user",
            "consultations_notification",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return institution, domain, servant, consultation


def _cleanup(institution, domain):
    Notification.objects.filter(consultation__institution=institution).delete()
    Consultation.objects.filter(institution=institution).delete()
    User.objects.filter(email__startswith=PREFIX).delete()
    institution.delete()
    domain.delete()


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def run(bench):
    previous = Institution.objects.filter(name=f"{PREFIX} ministry").first()
    if previous is not None:  # a run that died before its clean-up
        _cleanup(previous, Domain.objects.get(slug=f"{PREFIX}-domain"))
    institution, domain, servant, consultation = _build()
    try:
        url = consultation.get_absolute_url()
        page_sql, page_params = _sql(selectors.recommendations_visible(consultation, None)[:50])
        bench.page(
            "consultation page, 10,000 recommendations",
            url,
            sql=page_sql,
            sql_params=page_params,
            target_ms=PAGE_TARGET_MS,
        )
        deep_sql, deep_params = _sql(
            selectors.recommendations_visible(consultation, None)[9_950:10_000]
        )
        bench.page(
            "consultation page, last page of recommendations",
            url + "?page=200",
            sql=deep_sql,
            sql_params=deep_params,
            target_ms=PAGE_TARGET_MS,
        )

        staff = Client(HTTP_ACCEPT_LANGUAGE="ro")
        staff.force_login(servant)
        queue = url + "moderation/"
        for tab in ("reported", "all"):
            queue_sql, queue_params = _sql(selectors.moderation_queue(consultation, tab)[:50])
            bench.page(
                f"moderation queue ({tab}), 10,000 recommendations",
                f"{queue}?tab={tab}",
                sql=queue_sql,
                sql_params=queue_params,
                target_ms=PAGE_TARGET_MS,
                client=staff,
            )

        def fan_out():
            Notification.objects.filter(consultation=consultation).delete()
            mail.outbox = []
            key = notifications.record_followers_event(
                consultation_id=consultation.pk, kind=Notification.Kind.CONSULTATION_OPENED
            )
            sent = notifications.send_event_emails(key)
            assert sent == FOLLOWERS, sent
            assert len(mail.outbox) == FOLLOWERS

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            start = time.perf_counter()
            fan_out()
            elapsed_ms = (time.perf_counter() - start) * 1000
        bench._record(
            "fan-out of an opening to 10,000 followers (one worker)",
            elapsed_ms,
            None,
            None,
            FANOUT_TARGET_MS,
            None,
            {
                "followers": FOLLOWERS,
                "per_second": round(FOLLOWERS / (elapsed_ms / 1000)),
                "batch": settings.CONSULTATION_FANOUT_BATCH_SIZE,
            },
        )
    finally:
        mail.outbox = []
        _cleanup(institution, domain)
