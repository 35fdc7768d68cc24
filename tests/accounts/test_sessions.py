"""The session and the signed-in user are read with SQL written once (baked): the same
answers as Django's own reads, expiry and a removed or deactivated account included."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from conect.accounts.models import User
from conect.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _signed_in_profile(client):
    return client.get(reverse("accounts:profile"))


def test_a_signed_in_person_stays_signed_in(client, citizen):
    client.force_login(citizen)
    assert _signed_in_profile(client).status_code == 200


def test_an_expired_session_signs_the_person_out(client, citizen):
    client.force_login(citizen)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = _signed_in_profile(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_store_reads_its_data_and_forgets_an_unknown_key(citizen):
    store = SessionStore()
    store["colour"] = "blue"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "blue"}
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # a new key is made when it is saved


def test_a_deactivated_or_removed_account_is_signed_out(client, citizen):
    client.force_login(citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert _signed_in_profile(client).status_code == 302
    client.force_login(User.objects.create_user("other@example.org", "x" * 12))
    User.objects.filter(email="other@example.org").delete()
    assert _signed_in_profile(client).status_code == 302


def test_get_by_key_gives_the_orm_s_user(citizen):
    """User.objects.get(pk=...) (baked) gives the record the ORM's filter gives, every
    field read; a missing key raises DoesNotExist as the ORM does; other gets still work."""
    baked = User.objects.get(pk=citizen.pk)
    plain = User.objects.filter(pk=citizen.pk).get()
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(baked, f) for f in fields] == [getattr(plain, f) for f in fields]
    assert baked.get_deferred_fields() == set()
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=citizen.pk + 1000)
    assert User.objects.get(email=citizen.email) == citizen
    assert User.objects.get(pk=str(citizen.pk)) == citizen
