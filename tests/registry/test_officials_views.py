"""Pages of relationship officials, including the pages reached from e-mailed links."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from registry.models import County, Domain, RelationshipOfficial

from .test_institutions_fixtures import *  # noqa: F403
from .test_institutions_fixtures import make_published_official

# --- Public list and page --------------------------------------------------------------


def test_list_shows_only_published_officials(
    en_client, published_official, official, removed_official
):
    response = en_client.get(reverse("registry:official-list"))
    assert [o.name for o in response.context["object_list"]] == ["Mihai Ionescu"]
    assert "Ioana Popescu" not in response.text


def test_search_ignores_diacritics(en_client, institution):
    make_published_official(institution, "Ștefan Țârlea")
    response = en_client.get(reverse("registry:official-list"), {"q": "stefan tarlea"})
    assert [o.name for o in response.context["object_list"]] == ["Ștefan Țârlea"]


def test_filters_find_who_covers_a_county_region_domain_or_institution(
    en_client, institution, other_institution, county
):
    """An official who names no county covers the whole country; one who names no domain
    covers every domain."""
    education = Domain.objects.get(slug="education")
    health = Domain.objects.get(slug="health")
    ilfov = County.objects.get(code="RO322")
    make_published_official(institution, "Cluj Educație", domains=[education], counties=[county])
    make_published_official(institution, "Ilfov Sănătate", domains=[health], counties=[ilfov])
    make_published_official(other_institution, "Național", domains=[], counties=[])
    url = reverse("registry:official-list")

    def names(**params):
        return sorted(o.name for o in en_client.get(url, params).context["object_list"])

    assert names(county=county.code) == ["Cluj Educație", "Național"]
    assert names(region="RO32") == ["Ilfov Sănătate", "Național"]
    assert names(domain="health") == ["Ilfov Sănătate", "Național"]
    assert names(domain="education", county=ilfov.code) == ["Național"]
    assert names(institution=other_institution.pk) == ["Național"]


def test_list_query_count_is_constant(
    en_client, institution, domain, county, django_assert_num_queries
):
    """Count, page, its domains and counties, and the filter form's regions, counties
    and domains offered: the same for few or many officials."""
    url = reverse("registry:official-list")
    make_published_official(institution, "Primul", domains=[domain], counties=[county])
    with django_assert_num_queries(7):
        en_client.get(url)
    for i in range(30):
        make_published_official(institution, f"Oficial {i}", domains=[domain], counties=[county])
    with django_assert_num_queries(4):  # the filter form's options: a cached fragment
        response = en_client.get(url)
    assert len(response.context["object_list"]) == 25


def test_detail_of_a_published_official(
    en_client, published_official, structure, today, django_assert_num_queries
):
    from registry.models import Seat

    Seat.objects.create(structure=structure, official=published_official, mandate_start=today)
    # the official with institution, domains, counties, seats with structures
    with django_assert_num_queries(4):
        en_client.get(published_official.get_absolute_url())
    for days in (10, 20, 30):
        Seat.objects.create(
            structure=structure,
            official=published_official,
            mandate_start=today - datetime.timedelta(days=days),
            mandate_end=today - datetime.timedelta(days=days - 5),
        )
    with django_assert_num_queries(4):
        response = en_client.get(published_official.get_absolute_url())
    assert "mihai.ionescu@edu.gov.ro" in response.text
    assert structure.name in response.text
    # Each seat: the structure, the role and the mandate, current seats first.
    with translation.override("en"):
        start = date_format(today, "SHORT_DATE_FORMAT")
        past = [
            date_format(today - datetime.timedelta(days=d), "SHORT_DATE_FORMAT") for d in (30, 25)
        ]
    items = re.findall(
        r"<li><a href=\"/registry/structures/\d+/\">[^<]+</a>: [^<]+</li>", response.text
    )
    assert items[0].endswith(f": member, since {start}</li>")
    assert any(item.endswith(f": member, from {past[0]} to {past[1]}</li>") for item in items[1:])
    assert len(items) == 4


def test_unpublished_officials_are_hidden_from_the_public_but_not_from_staff(
    en_client, official, removed_official, citizen, civil_servant, other_civil_servant, coordinator
):
    for user, status in (
        (None, 404),
        (citizen, 404),
        (other_civil_servant, 404),
        (civil_servant, 200),
        (coordinator, 200),
    ):
        en_client.logout()
        if user:
            en_client.force_login(user)
        for record in (official, removed_official):
            assert en_client.get(record.get_absolute_url()).status_code == status, (user, record)


# --- Staff forms -------------------------------------------------------------------------


def test_staff_name_an_official_who_receives_the_consent_link(
    en_client, institution, civil_servant, domain, county, django_capture_on_commit_callbacks
):
    en_client.force_login(civil_servant)
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            reverse("registry:official-create", args=[institution.pk]),
            {
                "name": "Ana Vasile",
                "position": "consilier",
                "email": "ana.vasile@edu.gov.ro",
                "phone": "",
                "language": "ro",
                "domains": [domain.pk],
                "counties": [county.pk],
            },
            follow=True,
        )
    assert "They will be published once they agree" in response.text
    official = RelationshipOfficial.objects.get(name="Ana Vasile")
    assert not official.is_published
    assert mail.outbox[0].to == ["ana.vasile@edu.gov.ro"]


def test_forged_post_for_another_institution_is_refused(
    en_client, institution, published_official, other_civil_servant
):
    """A civil servant of another institution can neither add, edit nor remove this
    institution's officials: 403 and nothing changes."""
    en_client.force_login(other_civil_servant)
    data = {"name": "Intrus", "position": "x", "email": "x@x.ro", "language": "ro"}
    assert (
        en_client.post(reverse("registry:official-create", args=[institution.pk]), data).status_code
        == 403
    )
    assert (
        en_client.post(
            reverse("registry:official-edit", args=[published_official.pk]), data
        ).status_code
        == 403
    )
    assert (
        en_client.post(
            reverse("registry:official-remove", args=[published_official.pk])
        ).status_code
        == 403
    )
    assert (
        en_client.post(
            reverse("registry:official-resend", args=[published_official.pk])
        ).status_code
        == 403
    )
    published_official.refresh_from_db()
    assert published_official.name == "Mihai Ionescu" and published_official.is_published
    assert not RelationshipOfficial.objects.filter(name="Intrus").exists()


def test_editing_the_address_asks_again(
    en_client, published_official, civil_servant, django_capture_on_commit_callbacks
):
    en_client.force_login(civil_servant)
    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(
            reverse("registry:official-edit", args=[published_official.pk]),
            {
                "name": "Mihai Ionescu",
                "position": "director",
                "email": "alt@edu.gov.ro",
                "language": "en",
            },
            follow=True,
        )
    assert "must agree again" in response.text
    published_official.refresh_from_db()
    assert not published_official.is_published


def test_staff_remove_an_official(en_client, published_official, civil_servant):
    en_client.force_login(civil_servant)
    url = reverse("registry:official-remove", args=[published_official.pk])
    assert "Remove from the registry" in en_client.get(url).text
    en_client.post(url)
    published_official.refresh_from_db()
    assert published_official.removed_at is not None
    assert published_official.removed_by == civil_servant


# --- Pages of the e-mailed links --------------------------------------------------------


def test_opening_the_consent_link_changes_nothing_and_agreeing_publishes(
    en_client, official, consent_link, django_capture_on_commit_callbacks
):
    token = consent_link(official)
    url = reverse("registry:official-consent", args=[token])
    page = en_client.get(url)
    assert page.status_code == 200
    assert "I agree to be published" in page.text
    official.refresh_from_db()
    assert not official.is_published
    with django_capture_on_commit_callbacks(execute=True):
        done = en_client.post(url, {"answer": "agree"})
    assert "now published" in done.text
    official.refresh_from_db()
    assert official.is_published
    # The link is used up.
    again = en_client.post(url, {"answer": "decline"})
    assert again.status_code == 404
    assert "This link is not valid" in again.text
    official.refresh_from_db()
    assert official.is_published


def test_declining_from_the_link(en_client, official, consent_link):
    token = consent_link(official)
    response = en_client.post(
        reverse("registry:official-consent", args=[token]), {"answer": "decline"}
    )
    assert "Nothing will be published" in response.text
    official.refresh_from_db()
    assert official.declined_at and not official.is_published


def test_an_expired_link_says_so_and_changes_nothing(en_client, official, consent_link):
    token = consent_link(official)
    RelationshipOfficial.objects.filter(pk=official.pk).update(
        consent_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = en_client.post(
        reverse("registry:official-consent", args=[token]), {"answer": "agree"}
    )
    assert response.status_code == 410
    assert "This link has expired" in response.text
    official.refresh_from_db()
    assert not official.is_published


def test_an_invalid_link_says_so(en_client, db):
    response = en_client.get(reverse("registry:official-consent", args=["a" * 43]))
    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_the_official_removes_themselves_without_signing_in(
    en_client, official, consent_link, django_capture_on_commit_callbacks
):
    token = consent_link(official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(reverse("registry:official-consent", args=[token]), {"answer": "agree"})
    removal = re.search(r"/officials/withdraw/([^/\s]+)/", mail.outbox[0].body).group(1)
    url = reverse("registry:official-self-remove", args=[removal])
    assert en_client.get(url).status_code == 200
    response = en_client.post(url)
    assert "You were removed from the registry" in response.text
    official.refresh_from_db()
    assert official.removed_at and official.removed_by_self
    assert en_client.get(url).status_code == 404
