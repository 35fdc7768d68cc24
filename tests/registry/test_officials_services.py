"""Services of relationship officials: creation, agreement by e-mailed link, removal."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from conect.core.models import SentEmail
from registry.models import RelationshipOfficial, Seat
from registry.selectors.officials import official_by_consent_token, official_by_removal_token
from registry.services import officials as services
from registry.stats import stats_version

from .test_institutions_fixtures import *  # noqa: F403


def _create(institution, actor, **extra):
    data = {
        "name": "Elena  Marin",
        "position": "consilier relații publice",
        "email": "Elena.Marin@Edu.gov.ro",
        "phone": "0213000000",
        **extra,
    }
    return services.official_create(institution=institution, actor=actor, **data)


def test_a_new_official_is_not_published_and_gets_a_consent_link(
    institution, civil_servant, domain, county, django_capture_on_commit_callbacks
):
    """The official is stored unpublished and a one-time link goes to their professional
    address, in the language chosen; the database keeps only the link's hash."""
    with django_capture_on_commit_callbacks(execute=True):
        official = _create(
            institution, civil_servant, language="en", domains=[domain], counties=[county]
        )
    official.refresh_from_db()
    assert not official.is_published
    assert official.email == "elena.marin@edu.gov.ro"
    assert official.created_by == civil_servant
    assert list(official.domains.all()) == [domain]
    (message,) = mail.outbox
    assert message.to == ["elena.marin@edu.gov.ro"]
    assert '<html lang="en">' in message.alternatives[0][0]
    assert "has named you as its relationship official" in message.subject
    token = re.search(r"/officials/agree/([^/\s]+)/", message.body).group(1)
    assert len(token) >= 32
    assert token not in official.consent_token
    assert len(official.consent_token) == 64
    assert official.consent_expires_at > timezone.now() + datetime.timedelta(days=13)
    assert official_by_consent_token(token) == official


def test_consent_email_is_in_romanian_by_default(
    institution, civil_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _create(institution, civil_servant)
    (message,) = mail.outbox
    html, _ = message.alternatives[0]
    assert '<html lang="ro">' in html


def test_nothing_is_created_with_an_invalid_email(institution, civil_servant):
    with pytest.raises(ValidationError) as error:
        _create(institution, civil_servant, email="not-an-address")
    assert "email" in error.value.message_dict
    assert not RelationshipOfficial.objects.exists()


def test_agreement_publishes_uses_the_link_and_sends_a_removal_link(
    official, consent_link, django_capture_on_commit_callbacks
):
    """Agreeing publishes at once, invalidates the link, bumps the map statistics, and
    e-mails the official their personal removal link."""
    token = consent_link(official)
    before = stats_version()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.official_give_consent(official=official_by_consent_token(token))
    official.refresh_from_db()
    assert official.is_published
    assert stats_version() == before + 1
    with pytest.raises(ValidationError) as error:
        official_by_consent_token(token)
    assert error.value.code == "invalid"
    (message,) = mail.outbox
    removal = re.search(r"/officials/withdraw/([^/\s]+)/", message.body).group(1)
    assert official_by_removal_token(removal) == official
    assert official.history.first().history_change_reason == services.OFFICIAL_LINK_REASON


def test_declining_publishes_nothing_and_tells_who_added_them(
    institution, civil_servant, consent_link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official = _create(institution, civil_servant)
    token = consent_link(official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.official_decline_consent(official=official_by_consent_token(token))
    official.refresh_from_db()
    assert not official.is_published
    assert official.declined_at is not None
    (message,) = mail.outbox
    assert message.to == [civil_servant.email]


def test_an_expired_link_is_refused(official, consent_link):
    token = consent_link(official)
    RelationshipOfficial.objects.filter(pk=official.pk).update(
        consent_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as error:
        official_by_consent_token(token)
    assert error.value.code == "expired"


@pytest.mark.parametrize("token", ["", "short", "x" * 43])
def test_an_unknown_link_is_refused(official, token):
    with pytest.raises(ValidationError) as error:
        official_by_consent_token(token)
    assert error.value.code == "invalid"


def test_a_new_link_replaces_the_old_one(official, consent_link):
    """Asking again (after a decline or an expiry) makes the earlier link useless."""
    first = consent_link(official)
    second = consent_link(official)
    assert official_by_consent_token(second) == official
    with pytest.raises(ValidationError):
        official_by_consent_token(first)


def test_asking_again_is_refused_once_agreed_or_removed(published_official, removed_official):
    with pytest.raises(ValidationError, match="already agreed"):
        services.official_request_consent_again(official=published_official, actor=None)
    with pytest.raises(ValidationError, match="removed"):
        services.official_request_consent_again(official=removed_official, actor=None)


def test_consent_email_is_sent_once_per_request(official, django_capture_on_commit_callbacks):
    """A re-delivered task sends no second e-mail and does not change the link."""
    with django_capture_on_commit_callbacks() as callbacks:
        services.official_request_consent_again(official=official, actor=None)
    callbacks[0]()
    official.refresh_from_db()
    token_hash = official.consent_token
    callbacks[0]()
    official.refresh_from_db()
    assert len(mail.outbox) == 1
    assert official.consent_token == token_hash
    assert SentEmail.objects.filter(recipient=None).count() == 1


def test_changing_the_address_asks_for_agreement_again(
    published_official, civil_servant, django_capture_on_commit_callbacks
):
    """A new address may be someone else: the official is unpublished until they agree."""
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.official_update(
            official=published_official, actor=civil_servant, email="nou@edu.gov.ro"
        )
    published_official.refresh_from_db()
    assert not published_official.is_published
    assert stats_version() == before + 1
    assert mail.outbox[-1].to == ["nou@edu.gov.ro"]


def test_changing_the_position_keeps_the_publication(
    published_official, civil_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.official_update(
            official=published_official, actor=civil_servant, position="director general"
        )
    published_official.refresh_from_db()
    assert published_official.is_published
    assert published_official.position == "director general"
    assert mail.outbox == []


def test_removal_by_staff_unpublishes_ends_seats_and_bumps_the_map(
    published_official, civil_servant, structure, today, django_capture_on_commit_callbacks
):
    seat = Seat.objects.create(
        structure=structure,
        official=published_official,
        mandate_start=today - datetime.timedelta(days=100),
    )
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.official_remove(official=published_official, actor=civil_servant)
    published_official.refresh_from_db()
    seat.refresh_from_db()
    assert not published_official.is_published
    assert published_official.removed_by == civil_servant
    assert not published_official.removed_by_self
    assert seat.mandate_end == today
    assert stats_version() == before + 1
    with pytest.raises(ValidationError, match="already removed"):
        services.official_remove(official=published_official, actor=civil_servant)


def test_the_official_removes_themselves_with_their_link(
    official, consent_link, django_capture_on_commit_callbacks
):
    token = consent_link(official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.official_give_consent(official=official_by_consent_token(token))
    removal = re.search(r"/officials/withdraw/([^/\s]+)/", mail.outbox[0].body).group(1)
    services.official_remove(official=official_by_removal_token(removal), by_self=True)
    official.refresh_from_db()
    assert official.removed_by_self and official.removed_by is None
    with pytest.raises(ValidationError):
        official_by_removal_token(removal)


def test_a_removed_official_cannot_be_edited(removed_official, civil_servant):
    with pytest.raises(ValidationError, match="removed"):
        services.official_update(official=removed_official, actor=civil_servant, name="Alt nume")
    removed_official.refresh_from_db()
    assert removed_official.name == "Gheorghe Fost"


def test_history_records_domains_and_counties(institution, civil_servant, domain, county):
    """The history keeps the covered domains and counties, not only the plain fields."""
    official = _create(institution, civil_servant, domains=[domain], counties=[county])
    latest = official.history.first()
    assert [d.domain_id for d in latest.domains.all()] == [domain.pk]
    assert [c.county_id for c in latest.counties.all()] == [county.pk]
