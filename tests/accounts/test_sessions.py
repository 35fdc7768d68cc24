"""Sessions are Django's (cached_db): a signed-in person stays signed in, and an account
deactivated or removed since is signed out."""

import pytest
from django.urls import reverse

from conect.accounts.models import User

pytestmark = pytest.mark.django_db


def _signed_in_profile(client):
    return client.get(reverse("accounts:profile"))


def test_a_signed_in_person_stays_signed_in(client, citizen):
    client.force_login(citizen)
    assert _signed_in_profile(client).status_code == 200


def test_a_deactivated_or_removed_account_is_signed_out(client, citizen):
    client.force_login(citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert _signed_in_profile(client).status_code == 302
    client.force_login(User.objects.create_user("other@example.org", "x" * 12))
    User.objects.filter(email="other@example.org").delete()
    assert _signed_in_profile(client).status_code == 302
