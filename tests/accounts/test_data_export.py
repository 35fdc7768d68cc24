"""A signed-in person downloads everything the site holds about them, as JSON and as a
zip of CSV files."""

import csv
import io
import json
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from conect.api.models import ApiToken, hash_key
from consultations.models import Follow, Notification, NotificationPreference
from registry.models import OrganisationInvitation, RelationshipOfficial
from tests.accounts.test_mfa import activate_totp
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, make_recommendation

pytestmark = pytest.mark.django_db

URL = reverse("accounts:data-export")
# The session and the user, then one query for each section of the download.
EXPORT_QUERIES = 2 + 16


def _give_records(user, *, institution, organisation, county, n=1):
    consultation = make_consultation(institution)
    for i in range(n):
        make_recommendation(consultation, user, text=f'=HYPERLINK("http://evil") {i}')
        Notification.objects.create(
            user=user,
            kind=Notification.Kind.CONSULTATION_OPENED,
            event_key=f"opened:{consultation.pk}:{i}",
            consultation=consultation,
        )
        ApiToken.objects.create(
            user=user,
            name=f"script {i}",
            key_hash=hash_key(f"cnt_secret{user.pk}-{i}"),
            prefix="cnt_abcd",
        )
    Follow.objects.create(user=user, county=county)
    NotificationPreference.objects.create(user=user, frequency="daily")
    OrganisationInvitation.objects.create(
        organisation=organisation,
        email=user.email,
        nonce="n",
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    RelationshipOfficial.objects.create(
        institution=institution,
        user=user,
        name=user.name,
        position="Consilier",
        email="official@gov.example.ro",
    )
    return consultation


def test_page_explains_the_download(client, citizen):
    """The page says what is in the download and offers both formats."""
    client.force_login(citizen)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"?format=json" in response.content
    assert b"?format=csv" in response.content


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL + "?format=json")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_json_holds_every_section_and_no_secret(
    client, ngo_admin, institution, organisation, county
):
    """The JSON has the account, the memberships, the organisation administered, the
    invitation, the official's record, follows, the preference, notifications,
    recommendations, API tokens and authenticators; never a password, key or secret."""
    _give_records(ngo_admin, institution=institution, organisation=organisation, county=county)
    activate_totp(ngo_admin)
    client.force_login(ngo_admin)
    response = client.get(URL + "?format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"][0]["email"] == ngo_admin.email
    assert data["account"][0]["name"] == ngo_admin.name
    assert data["email_addresses"][0]["email"] == ngo_admin.email
    assert data["organisation_memberships"][0]["organisation"] == organisation.name
    assert data["organisations_created_or_administered"][0]["fiscal_code"] == "18547290"
    assert data["organisation_invitations"][0]["email"] == ngo_admin.email
    assert data["relationship_official_records"][0]["position"] == "Consilier"
    assert data["follows"][0]["kind"] == "county"
    assert data["notification_preferences"][0]["email_frequency"] == "daily"
    assert len(data["notifications"]) == 1
    assert data["recommendations"][0]["text"].startswith("=HYPERLINK")
    assert data["api_tokens"][0]["name"] == "script 0"
    assert {a["type"] for a in data["two_factor_authenticators"]} == {"totp", "recovery_codes"}

    body = response.content.decode()
    secret = Authenticator.objects.get(user=ngo_admin, type="totp").data["secret"]
    for forbidden in (
        ngo_admin.password,
        secret,
        "key_hash",
        hash_key(f"cnt_secret{ngo_admin.pk}-0"),
        "cnt_abcd",
    ):
        assert forbidden not in body


def test_someone_else_s_records_are_not_in_the_download(
    client, citizen, ngo_member, institution, organisation, county
):
    """Only the signed-in person's records: another person's recommendation is absent."""
    _give_records(ngo_member, institution=institution, organisation=organisation, county=county)
    client.force_login(citizen)
    data = json.loads(client.get(URL + "?format=json").content)
    assert data["recommendations"] == []
    assert data["notifications"] == []
    assert data["api_tokens"] == []
    assert data["account"][0]["email"] == citizen.email


def test_csv_zip_has_one_table_per_section_with_formulas_neutralised(
    client, citizen, institution, organisation, county
):
    """The CSV download is a zip of tables a spreadsheet opens; a cell that starts like a
    formula gets a leading apostrophe."""
    _give_records(citizen, institution=institution, organisation=organisation, county=county)
    client.force_login(citizen)
    response = client.get(URL + "?format=csv")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "conect-data/account.csv" in names
    assert "conect-data/recommendations.csv" in names
    text = archive.read("conect-data/recommendations.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["text"].startswith("'=HYPERLINK")
    account = list(
        csv.DictReader(io.StringIO(archive.read("conect-data/account.csv").decode("utf-8-sig")))
    )
    assert account[0]["name"] == "Ion Cetățean"


@pytest.mark.parametrize("n", [1, 4])
def test_query_count_does_not_grow_with_records(
    client, institution, organisation, county, django_assert_num_queries, n
):
    """The download costs the same number of queries for 1 and for 4 records of a kind."""
    user = make_user(f"many{n}@example.org", name="Many")
    _give_records(user, institution=institution, organisation=organisation, county=county, n=n)
    client.force_login(user)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(URL + "?format=json")
    assert len(json.loads(response.content)["recommendations"]) == n
