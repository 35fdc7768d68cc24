"""A person deletes their account; what they published in consultations stays,
attributed to "a former user"."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from conect.accounts.models import User
from conect.accounts.services import deleted_user_name
from conect.api.models import ApiToken, hash_key
from consultations.models import Follow, Notification, NotificationPreference, Recommendation
from registry.models import (
    InstitutionStaff,
    OrganisationMembership,
    RelationshipOfficial,
)
from tests.accounts.test_mfa import activate_totp, current_code
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, make_recommendation

pytestmark = pytest.mark.django_db

URL = reverse("accounts:delete")


def _delete(client, password, **extra):
    return client.post(URL, {"password": password, "confirm": "on", **extra})


def test_page_explains_what_happens(client, citizen):
    """The page says what goes and what stays, and asks for the password (no code field
    without a second factor)."""
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert b'name="code"' not in response.content


def test_wrong_password_changes_nothing(client, citizen):
    """A wrong password: a clear error, the account untouched, still signed in."""
    client.force_login(citizen)
    response = _delete(client, "not-the-password")
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.deleted_at is None
    assert client.session["_auth_user_id"] == str(citizen.pk)

    response = client.post(URL, {"password": "not-the-password"})
    assert response.status_code == 200
    response = _delete(client, "correct-horse-battery-staple-42", confirm="")
    citizen.refresh_from_db()
    assert citizen.is_active


def test_unconfirmed_deletion_changes_nothing(client, citizen, password):
    """Without ticking the confirmation, nothing happens."""
    client.force_login(citizen)
    response = client.post(URL, {"password": password})
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.is_active


def test_deletion_empties_the_account_and_signs_out_everywhere(client, citizen, password):
    """The account keeps no name, address or password, is inactive, and every session
    of it ends; the address is free for a new account."""
    other_device = Client()
    other_device.force_login(citizen)
    old_email = citizen.email
    client.force_login(citizen)

    response = _delete(client, password)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=citizen.pk)
    assert not user.is_active
    assert user.deleted_at is not None
    assert user.name == deleted_user_name()
    assert "Cetățean" not in user.name
    assert user.email.endswith(".invalid")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not User.objects.filter(email__iexact=old_email).exists()
    # The other device is signed out too.
    response = other_device.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    # The old credentials no longer sign in.
    response = Client().post(reverse("account_login"), {"login": old_email, "password": password})
    assert "_auth_user_id" not in response.client.session


def test_recommendation_stays_and_shows_a_former_user(
    client, ngo_member, institution, password, django_capture_on_commit_callbacks
):
    """The recommendation stays on the consultation page, written by "a former user",
    and the person's name is gone from it."""
    consultation = make_consultation(institution)
    recommendation = make_recommendation(consultation, ngo_member, text="Textul meu rămâne.")
    page = reverse("consultations:detail", args=[consultation.pk])
    assert "Maria Membru" in Client().get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    client.force_login(ngo_member)
    with django_capture_on_commit_callbacks(execute=True):
        _delete(client, password)

    recommendation.refresh_from_db()
    assert recommendation.author_id == ngo_member.pk
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()
    html = Client().get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Textul meu rămâne." in html
    assert "a former user" in html  # in the reader's language
    assert "Maria Membru" not in html


def test_a_former_user_is_translated():
    """The placeholder is stored in the platform's language, Romanian."""
    assert deleted_user_name() in ("un fost utilizator", "a former user")


def test_personal_records_go_and_the_official_record_stays(
    client, civil_servant, institution, county, password
):
    """Memberships, follows, notifications and their preference, the second factor go;
    API tokens are revoked; the institution's official record stays, unlinked."""
    consultation = make_consultation(institution)
    Follow.objects.create(user=civil_servant, county=county)
    NotificationPreference.objects.create(user=civil_servant, frequency="weekly")
    Notification.objects.create(
        user=civil_servant, kind="opened", event_key="opened:1", consultation=consultation
    )
    token = ApiToken.objects.create(
        user=civil_servant, name="script", key_hash=hash_key("cnt_x"), prefix="cnt_x"
    )
    official = RelationshipOfficial.objects.create(
        institution=institution,
        user=civil_servant,
        name="Elena Funcționar",
        position="Consilier",
        email="elena@gov.example.ro",
    )
    secret = activate_totp(civil_servant)
    client.force_login(civil_servant)

    response = _delete(client, password, code=current_code(secret))

    assert response.status_code == 302
    assert not InstitutionStaff.objects.filter(user=civil_servant).exists()
    assert not Follow.objects.filter(user=civil_servant).exists()
    assert not Notification.objects.filter(user=civil_servant).exists()
    assert not NotificationPreference.objects.filter(user=civil_servant).exists()
    assert not Authenticator.objects.filter(user=civil_servant).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    official.refresh_from_db()
    assert official.user_id is None
    assert official.name == "Elena Funcționar"


def test_with_a_second_factor_the_code_is_required(client, citizen, password):
    """With an authenticator app, the deletion also asks for its code: a wrong or
    missing code changes nothing."""
    activate_totp(citizen)
    client.force_login(citizen)
    assert b'name="code"' in client.get(URL).content
    _delete(client, password)
    _delete(client, password, code="12345x")
    citizen.refresh_from_db()
    assert citizen.is_active


def test_last_organisation_admin_must_hand_over_first(client, ngo_admin, organisation, password):
    """The last administrator of an organisation is told to name another one first, and
    nothing changes."""
    client.force_login(ngo_admin)
    assert organisation.name in client.get(URL).content.decode()
    response = _delete(client, password)
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    ngo_admin.refresh_from_db()
    assert ngo_admin.is_active
    assert OrganisationMembership.objects.filter(user=ngo_admin).exists()


def test_an_admin_with_another_admin_can_leave(client, ngo_admin, organisation, password):
    """With a second administrator, the first can delete their account."""
    other = make_user("second@ngo.example.org", name="Second")
    OrganisationMembership.objects.create(
        organisation=organisation, user=other, role=OrganisationMembership.Role.ADMIN
    )
    client.force_login(ngo_admin)
    assert _delete(client, password).status_code == 302
    assert list(organisation.memberships.values_list("user_id", flat=True)) == [other.pk]


def test_last_institution_admin_must_hand_over_first(client, institution_admin, password):
    """The same for the last administrator of an institution."""
    client.force_login(institution_admin)
    response = _delete(client, password)
    assert response.status_code == 200
    institution_admin.refresh_from_db()
    assert institution_admin.is_active


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
