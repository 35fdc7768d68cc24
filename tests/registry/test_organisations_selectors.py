"""Reads of organisations: what is public, search, duplicates, history and e-mails."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from conect.core.emails import render_email
from registry.filters.organisations import OrganisationFilter
from registry.models import Domain, Organisation, OrganisationMembership
from registry.selectors import organisations as selectors
from registry.services import organisations as services
from tests.conftest import make_user
from tests.registry.test_organisations_services import make_org

Status = Organisation.Status


def test_public_list_holds_only_verified_and_imported(db):
    """Pending, rejected and suspended organisations never reach the public list."""
    for seed, status in enumerate(Status.values):
        make_org(status, seed=700 + seed)
    statuses = set(selectors.organisation_list_public().values_list("status", flat=True))
    assert statuses == {Status.VERIFIED, Status.IMPORTED}


def test_search_finds_words_of_the_description_and_locality(citizen):
    """Search also looks at the locality and the description (full text on PostgreSQL,
    the name elsewhere), ignoring diacritics."""
    organisation = services.organisation_create(
        actor=citizen,
        name="Asociația Ursus",
        legal_form="association",
        fiscal_code="18547290",
        locality="Târgu Mureș",
        description="Protejăm urșii bruni din Carpați.",
    )
    Organisation.objects.filter(pk=organisation.pk).update(status=Status.VERIFIED)
    found = selectors.organisation_search(selectors.organisation_list_public(), "ursus")
    assert list(found) == [organisation]
    from registry.search import uses_postgres

    if uses_postgres():
        for text in ("carpati", "targu"):
            found = selectors.organisation_search(selectors.organisation_list_public(), text)
            assert list(found) == [organisation]


def test_filter_orders_by_folded_name_then_id(db):
    """Without ordering, names sort ignoring diacritics ("Ș" with "S"), ties by id."""
    for seed, name in enumerate(["Zâmbet", "Șansa", "Sara", "Sara"]):
        make_org(Status.VERIFIED, seed=720 + seed, name=name)
    qs = OrganisationFilter({}, queryset=selectors.organisation_list_public()).qs
    assert [o.name for o in qs] == ["Șansa", "Sara", "Sara", "Zâmbet"]
    ids = [o.pk for o in qs if o.name == "Sara"]
    assert ids == sorted(ids)


def test_duplicates_are_other_organisations_with_the_same_folded_name(db):
    """The queue shows, for each organisation, the others with the same name."""
    first = make_org(Status.PENDING, seed=730, name="Asociația Lumina")
    second = make_org(Status.VERIFIED, seed=731, name="ASOCIATIA LUMINA")
    third = make_org(Status.PENDING, seed=732, name="Altceva")
    selectors.attach_duplicates([first, third])
    assert first.duplicates == [second]
    assert third.duplicates == []
    assert (first.duplicate_count, third.duplicate_count) == (1, 0)


def test_a_common_name_shows_a_few_duplicates_and_counts_them_all(db, django_assert_num_queries):
    """A name shared by many organisations (the homeowners' associations of a city) shows
    the oldest few records and the number of all of them; two queries for the page."""
    shown = selectors.DUPLICATES_SHOWN
    pending = make_org(Status.PENDING, seed=740, name="Asociația de Proprietari")
    others = [
        make_org(Status.IMPORTED, seed=741 + i, name="ASOCIATIA DE PROPRIETARI")
        for i in range(shown + 4)
    ]
    lone = make_org(Status.PENDING, seed=770, name="Unica")
    with django_assert_num_queries(2):
        selectors.attach_duplicates([pending, lone])
    assert len(pending.duplicates) == shown
    assert {o.pk for o in pending.duplicates} <= {o.pk for o in others}
    assert pending.duplicate_count == shown + 4
    assert (lone.duplicates, lone.duplicate_count) == ([], 0)


def test_queue_orders_by_waiting_time_and_counts_tabs(db):
    """The queue shows the longest waiting first and counts each tab."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    late = make_org(Status.PENDING, seed=740, status_changed_at=now - timedelta(days=3))
    early = make_org(Status.PENDING, seed=741, status_changed_at=now - timedelta(days=9))
    make_org(Status.SUSPENDED, seed=742)
    assert list(selectors.verification_queue()) == [early, late]
    assert selectors.queue_counts() == {"pending": 2, "rejected": 0, "suspended": 1}


def test_history_of_members(ngo_admin, ngo_member, organisation):
    """The history lists members joining, changing role and leaving, with who did it."""
    membership = organisation.memberships.get(user=ngo_member)
    services.organisation_member_set_role(
        membership=membership, role=OrganisationMembership.Role.ADMIN, actor=ngo_admin
    )
    services.organisation_member_remove(membership=membership, actor=ngo_admin)
    history = selectors.organisation_history(organisation)
    kinds = [(e["type"], e["member_id"]) for e in history["member_entries"]]
    assert kinds[:2] == [("-", ngo_member.pk), ("~", ngo_member.pk)]
    change = history["member_entries"][1]
    assert str(change["old_role"]) == "member" or change["old_role"] == "membru"
    assert change["user"] == ngo_admin


def test_invitations_for_user_only_open_ones_to_verified_addresses(ngo_admin, organisation):
    """A user sees the open invitations sent to their verified addresses only."""
    invitee = make_user("inv@example.org")
    unverified = make_user("unv@example.org", verified=False)
    services.organisation_invite(organisation=organisation, actor=ngo_admin, email=invitee.email)
    services.organisation_invite(organisation=organisation, actor=ngo_admin, email=unverified.email)
    assert [i.email for i in selectors.invitations_for_user(invitee)] == [invitee.email]
    assert selectors.invitations_for_user(unverified) == []


def test_invitations_for_user_leave_out_expired_and_answered_ones(
    ngo_admin, organisation, django_assert_num_queries
):
    """Expired, accepted, declined and withdrawn invitations are left out; the open ones
    come newest first with their organisation's name, in one query."""
    from datetime import timedelta

    from django.utils import timezone

    from registry.models import OrganisationInvitation

    invitee = make_user("inv@example.org")
    organisations = [organisation] + [
        Organisation.objects.create(
            name=f"Fundația {index}",
            legal_form=Organisation.LegalForm.FOUNDATION,
            fiscal_code=f"9000000{index}",
            status=Organisation.Status.VERIFIED,
        )
        for index in range(1, 5)
    ]
    made = [
        OrganisationInvitation.objects.create(
            organisation=organisations[index],
            email=invitee.email,
            nonce=f"n{index}",
            invited_by=ngo_admin,
            expires_at=timezone.now() + timedelta(days=7),
        )
        for index in range(5)
    ]
    now = timezone.now()
    invitations = OrganisationInvitation.objects
    invitations.filter(pk=made[0].pk).update(expires_at=now - timedelta(seconds=1))
    invitations.filter(pk=made[1].pk).update(accepted_at=now)
    invitations.filter(pk=made[2].pk).update(declined_at=now)
    invitations.filter(pk=made[3].pk).update(revoked_at=now)
    invitations.filter(pk=made[4].pk).update(created_at=now + timedelta(seconds=1))
    with django_assert_num_queries(1):
        found = selectors.invitations_for_user(invitee)
        names = [i.organisation.name for i in found]
    assert [i.pk for i in found] == [made[4].pk]
    assert names == ["Fundația 4"]


def test_memberships_of_user_name_each_organisation_with_its_county(
    ngo_admin, organisation, django_assert_num_queries
):
    """Every organisation of the user, whatever its status, by name, with its status,
    reason and county, in one query."""
    other = Organisation.objects.create(
        name="Asociația Alfa",
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code="14399840",
        status=Organisation.Status.SUSPENDED,
        status_reason="Date false",
    )
    OrganisationMembership.objects.create(organisation=other, user=ngo_admin)
    with django_assert_num_queries(1):
        memberships = selectors.memberships_of_user(ngo_admin)
        seen = [
            (m.organisation.name, m.organisation.status, m.organisation.status_reason)
            for m in memberships
        ]
        counties = [m.organisation.county and m.organisation.county.name for m in memberships]
    assert seen == [
        ("Asociația Alfa", "suspended", "Date false"),
        (organisation.name, "verified", ""),
    ]
    assert counties == [None, "Cluj"]


@pytest.mark.parametrize("language", ["ro", "en"])
@pytest.mark.parametrize(
    "template",
    [
        "organisation_verified",
        "organisation_rejected",
        "organisation_claim_rejected",
        "organisation_suspended",
        "organisation_reinstated",
        "organisation_invitation",
    ],
)
def test_every_email_renders_in_both_languages(db, template, language):
    """Each e-mail has a one-line subject, a text and an HTML part in either language,
    with the organisation's name and its link."""
    user = SimpleNamespace(name="Ana", email="ana@example.org", preferred_language=language)
    context = {
        "organisation_name": "Asociația <Test>",
        "organisation_path": reverse("registry:organisation-detail", args=[1]),
        "reason": "Motivul",
        "inviter_name": "Ion",
        "role": "admin",
        "accept_url": "http://testserver/registry/invitations/x/",
        "valid_days": 14,
        "has_account": False,
    }
    message = render_email(user=user, template=f"registry/emails/{template}", context=context)
    assert "\n" not in message.subject and message.subject
    assert "Asociația <Test>" in message.body  # plain text is not escaped
    html = message.alternatives[0][0]
    assert "Asociația &lt;Test&gt;" in html
    link = "/registry/invitations/x/" if template == "organisation_invitation" else "/registry/"
    assert link in message.body and link in html


def test_domains_of_a_profile_keep_an_inactive_domain_already_chosen(ngo_admin, organisation):
    """The edit form still offers a deactivated domain the organisation already has."""
    from registry.forms.organisations import OrganisationForm

    sport = Domain.objects.get(slug="sport")
    organisation.domains.add(sport)
    Domain.objects.filter(pk=sport.pk).update(is_active=False)
    assert sport in OrganisationForm(instance=organisation).fields["domains"].queryset
    assert sport not in OrganisationForm().fields["domains"].queryset
