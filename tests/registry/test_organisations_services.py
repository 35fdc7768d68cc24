"""Services of organisations: registering, claiming, verifying, editing, members and
invitations, with the e-mails they send and the history they keep."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image
from stdnum.ro import cui

from conect.core.text import fold
from registry.models import (
    Domain,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
)
from registry.rules.predicates import is_ngo_representative, is_organisation_admin
from registry.services import organisations as services
from registry.stats import STATS_VERSION_KEY, stats_version
from tests.conftest import make_user

Status = Organisation.Status
Role = OrganisationMembership.Role


def valid_cui(seed: int) -> str:
    """A fiscal code with a correct control digit, different for each seed."""
    base = str(1_000_000 + seed * 7919)
    return base + cui.calc_check_digit(base)


def image_upload(fmt="PNG", size=(64, 48), name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def make_org(status=Status.VERIFIED, *, seed=1, name=None, admin=None, member=None, **extra):
    organisation = Organisation.objects.create(
        name=name or f"Asociația Test {seed}",
        legal_form=Organisation.LegalForm.ASSOCIATION,
        fiscal_code=valid_cui(seed),
        status=status,
        search_name=fold(name or f"Asociația Test {seed}"),
        **extra,
    )
    if admin is not None:
        OrganisationMembership.objects.create(
            organisation=organisation, user=admin, role=Role.ADMIN
        )
    if member is not None:
        OrganisationMembership.objects.create(
            organisation=organisation, user=member, role=Role.MEMBER
        )
    return organisation


def create(actor, **fields):
    data = {
        "name": "Asociația  Şcoala Verde",
        "legal_form": Organisation.LegalForm.ASSOCIATION,
        "fiscal_code": "RO " + valid_cui(50),
    }
    data.update(fields)
    return services.organisation_create(actor=actor, **data)


def snapshot(organisation):
    return Organisation.objects.filter(pk=organisation.pk).values().get()


# --- Registering ---------------------------------------------------------------------


def test_create_makes_a_pending_profile_with_its_creator_as_admin(citizen, county):
    """A verified user registers an organisation: pending, the user its administrator,
    the name tidied and folded for search, the fiscal code without RO and spaces."""
    domain = Domain.objects.get(slug="education")
    organisation = create(citizen, county=county, domains=[domain], website="www.verde.ro")
    organisation.refresh_from_db()
    assert organisation.status == Status.PENDING
    assert organisation.created_by == citizen
    assert organisation.status_changed_by == citizen
    assert organisation.name == "Asociația Școala Verde"  # spaces and cedilla fixed
    assert organisation.search_name == "asociatia scoala verde"
    assert organisation.fiscal_code == valid_cui(50)
    assert organisation.website == "https://www.verde.ro"
    assert list(organisation.domains.all()) == [domain]
    membership = OrganisationMembership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (citizen, Role.ADMIN)
    # A pending organisation cannot act yet.
    assert not is_ngo_representative(citizen)


def test_create_records_the_acting_user_in_the_history(citizen):
    """The history of a new profile names who created it."""
    organisation = create(citizen)
    record = organisation.history.earliest()
    assert record.history_type == "+"
    assert record.history_user == citizen


def test_create_bumps_the_statistics_version(citizen, django_capture_on_commit_callbacks):
    """The map's cached statistics are invalidated once the new organisation is saved."""
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        create(citizen)
    assert cache.get(STATS_VERSION_KEY) == before + 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("12AB", "Enter a fiscal code of 2 to 10 digits"),
        ("12345678901", "Enter a fiscal code of 2 to 10 digits"),
        ("18547291", "its control digit does not match"),
    ],
)
def test_create_refuses_an_invalid_fiscal_code(citizen, code, expected):
    """A malformed fiscal code or a wrong control digit is refused with a clear message,
    and nothing is created."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, fiscal_code=code)
    assert expected in " ".join(exc.value.message_dict["fiscal_code"])
    assert not Organisation.objects.exists()
    assert not OrganisationMembership.objects.exists()


def test_create_refuses_a_duplicate_fiscal_code(citizen, organisation):
    """A fiscal code already registered (with or without RO) is refused, pointing to the
    claim instead."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, fiscal_code="RO" + organisation.fiscal_code)
    assert "claim it" in exc.value.message_dict["fiscal_code"][0]
    assert Organisation.objects.count() == 1


def test_create_refuses_a_duplicate_registry_number(citizen):
    """A number in the National NGO Registry already used is refused."""
    make_org(registry_number="1234/A/2010")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, registry_number=" 1234/A/2010 ")
    assert "National NGO Registry" in exc.value.message_dict["registry_number"][0]
    assert Organisation.objects.count() == 1


def test_create_neutralises_html_in_the_description(citizen):
    """Scripts, event handlers and styles are removed from the description; simple
    formatting stays."""
    organisation = create(
        citizen,
        description='<p onclick="x()">Bine <strong>ați</strong> venit</p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">link</a>',
    )
    organisation.refresh_from_db()
    assert "<script" not in organisation.description
    assert "onclick" not in organisation.description
    assert "javascript:" not in organisation.description
    assert "<strong>ați</strong>" in organisation.description


def test_create_refuses_coordinates_outside_romania(citizen):
    """Coordinates must come in pairs and lie in Romania."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, latitude="52.52", longitude="13.40")
    assert "not in Romania" in exc.value.message_dict["latitude"][0]
    with pytest.raises(ValidationError) as exc:
        create(citizen, latitude="46.77")
    assert "longitude" in exc.value.message_dict
    assert not Organisation.objects.exists()


def test_create_with_a_logo_stores_a_reencoded_image(citizen):
    """A real image is accepted, re-encoded and at most 1024 pixels on its longer side."""
    organisation = create(citizen, logo=image_upload(size=(2000, 1000)))
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 1024


def test_create_refuses_a_file_that_is_not_an_image(citizen):
    """A text file named .png is refused by its content, and nothing is created."""
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, logo=fake)
    assert "PNG, JPEG, GIF or WebP" in exc.value.message_dict["logo"][0]
    assert not Organisation.objects.exists()


def test_create_refuses_an_oversized_logo(citizen):
    """A logo over 2 MB is refused with its size in the message."""
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create(citizen, logo=big)
    assert "at most 2 MB" in exc.value.message_dict["logo"][0]
    assert not Organisation.objects.exists()


def test_create_refuses_an_unknown_field(citizen):
    """A programming mistake (a field the service does not know) fails loudly."""
    with pytest.raises(TypeError):
        create(citizen, status=Status.VERIFIED)


# --- Claiming ------------------------------------------------------------------------


def test_claim_makes_the_claimant_admin_and_the_organisation_pending(citizen):
    """A verified user claims an imported organisation by its fiscal code: they become
    its administrator and it waits for verification."""
    imported = make_org(Status.IMPORTED, seed=7)
    organisation = services.organisation_claim(actor=citizen, fiscal_code="RO" + valid_cui(7))
    assert organisation.pk == imported.pk
    organisation.refresh_from_db()
    assert organisation.status == Status.PENDING
    assert organisation.claimed_at is not None
    assert organisation.created_by == citizen
    assert organisation.memberships.get().role == Role.ADMIN
    assert organisation.history.latest().history_user == citizen


def test_claim_is_refused_when_the_organisation_has_an_admin(citizen, ngo_admin, organisation):
    """An organisation that already has an administrator cannot be claimed; nothing
    changes."""
    before = snapshot(organisation)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_claim(actor=citizen, fiscal_code=organisation.fiscal_code)
    assert "already has an administrator" in exc.value.message_dict["fiscal_code"][0]
    assert snapshot(organisation) == before
    assert not organisation.memberships.filter(user=citizen).exists()


def test_claim_of_an_unknown_or_invalid_fiscal_code_is_refused(citizen):
    """An unknown fiscal code points to registration; an invalid one says why."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_claim(actor=citizen, fiscal_code=valid_cui(99))
    assert "create its profile" in exc.value.message_dict["fiscal_code"][0]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_claim(actor=citizen, fiscal_code="18547291")
    assert "control digit" in exc.value.message_dict["fiscal_code"][0]


def test_claim_of_a_rejected_or_suspended_organisation_is_refused(citizen):
    """Only imported (or verified, admin-less) records can be claimed."""
    for seed, status in ((11, Status.REJECTED), (12, Status.SUSPENDED)):
        org = make_org(status, seed=seed)
        with pytest.raises(ValidationError):
            services.organisation_claim(actor=citizen, fiscal_code=org.fiscal_code)
        org.refresh_from_db()
        assert org.status == status
    assert not OrganisationMembership.objects.exists()


# --- Verification --------------------------------------------------------------------


def test_verify_makes_the_organisation_act_and_emails_its_admins_in_their_language(
    citizen, coordinator, django_capture_on_commit_callbacks
):
    """Verification records who and when, lets the admin act, and sends one e-mail in
    the admin's language; running the task again sends nothing more."""
    citizen.preferred_language = "en"
    citizen.save()
    organisation = create(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(organisation=organisation, actor=coordinator)
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED
    assert organisation.status_changed_by == coordinator
    assert organisation.verified_at is not None
    assert organisation.history.latest().history_user == coordinator
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "is verified on CONECT" in mail.outbox[0].subject
    assert organisation.get_absolute_url() in mail.outbox[0].body
    fresh = type(citizen).objects.get(pk=citizen.pk)
    assert is_organisation_admin(fresh, organisation)


def test_status_emails_use_the_recipients_language(
    citizen, coordinator, django_capture_on_commit_callbacks
):
    """A Romanian-speaking admin receives the rejection in Romanian, with the reason."""
    citizen.preferred_language = "ro"
    citizen.save()
    organisation = create(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(
            organisation=organisation, actor=coordinator, reason="Documente lipsă."
        )
    assert len(mail.outbox) == 1
    assert "Documente lipsă." in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_reject_requires_a_reason_and_changes_nothing_without_one(citizen, coordinator):
    """Rejecting without a reason is refused; the organisation stays pending."""
    organisation = create(citizen)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_reject(organisation=organisation, actor=coordinator, reason="  ")
    assert "reason" in exc.value.message_dict
    organisation.refresh_from_db()
    assert organisation.status == Status.PENDING


def test_reject_records_the_reason(citizen, coordinator):
    """A rejected organisation keeps who rejected it, when and why."""
    organisation = create(citizen)
    services.organisation_reject(organisation=organisation, actor=coordinator, reason="Fals.")
    organisation.refresh_from_db()
    assert organisation.status == Status.REJECTED
    assert organisation.status_reason == "Fals."
    assert organisation.status_changed_by == coordinator


def test_a_rejected_claim_returns_the_record_to_the_registry(
    citizen, coordinator, django_capture_on_commit_callbacks
):
    """A rejected claim does not hide the imported record: it is imported again, the
    claimant is no longer its admin and is told why."""
    imported = make_org(Status.IMPORTED, seed=8)
    services.organisation_claim(actor=citizen, fiscal_code=imported.fiscal_code)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(organisation=imported, actor=coordinator, reason="Not you.")
    imported.refresh_from_db()
    assert imported.status == Status.IMPORTED
    assert imported.claimed_at is None
    assert not imported.memberships.exists()
    assert len(mail.outbox) == 1
    assert "Not you." in mail.outbox[0].body


def test_suspend_and_reinstate(coordinator, django_capture_on_commit_callbacks):
    """A suspended organisation cannot act; reinstating it makes it verified again (or
    imported, for a record never verified), and each step e-mails its admins once."""
    admin = make_user("a@ngo.example.org")
    organisation = make_org(Status.VERIFIED, admin=admin, verified_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_suspend(organisation=organisation, actor=coordinator, reason="X")
    organisation.refresh_from_db()
    assert organisation.status == Status.SUSPENDED
    assert not is_ngo_representative(type(admin).objects.get(pk=admin.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reinstate(organisation=organisation, actor=coordinator)
    organisation.refresh_from_db()
    assert organisation.status == Status.VERIFIED
    assert len(mail.outbox) == 2

    imported = make_org(Status.IMPORTED, seed=9)
    services.organisation_suspend(organisation=imported, actor=coordinator, reason="Dissolved?")
    services.organisation_reinstate(organisation=imported, actor=coordinator)
    imported.refresh_from_db()
    assert imported.status == Status.IMPORTED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.VERIFIED, "verify"),
        (Status.IMPORTED, "verify"),
        (Status.SUSPENDED, "verify"),
        (Status.VERIFIED, "reject"),
        (Status.REJECTED, "reject"),
        (Status.PENDING, "suspend"),
        (Status.REJECTED, "suspend"),
        (Status.VERIFIED, "reinstate"),
        (Status.PENDING, "reinstate"),
    ],
)
def test_transitions_not_listed_are_refused(coordinator, status, action):
    """Only the transitions listed in TRANSITIONS happen; any other is refused and the
    organisation keeps its status."""
    organisation = make_org(status)
    with pytest.raises(ValidationError):
        services.organisation_change_status(
            organisation=organisation, action=action, actor=coordinator, reason="r"
        )
    organisation.refresh_from_db()
    assert organisation.status == status


def test_allowed_actions_follow_the_transitions():
    """The buttons offered match the transitions."""
    assert services.allowed_actions(Organisation(status=Status.PENDING)) == [
        "verify",
        "reject",
    ]
    assert services.allowed_actions(Organisation(status=Status.VERIFIED)) == ["suspend"]
    assert services.allowed_actions(Organisation(status=Status.IMPORTED)) == ["suspend"]
    assert services.allowed_actions(Organisation(status=Status.SUSPENDED)) == ["reinstate"]
    assert services.allowed_actions(Organisation(status=Status.REJECTED)) == ["verify"]


def test_status_change_bumps_the_statistics(coordinator, django_capture_on_commit_callbacks):
    """Suspending changes what the map counts, so its cache is invalidated."""
    organisation = make_org(Status.VERIFIED)
    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_suspend(organisation=organisation, actor=coordinator, reason="x")
    assert stats_version() == before + 1


# --- Editing -------------------------------------------------------------------------


def test_update_changes_the_profile_and_keeps_one_version_with_the_domains(
    ngo_admin, organisation, county
):
    """An edit saves the fields and domains as one version in the history, by the admin."""
    education = Domain.objects.get(slug="education")
    versions = organisation.history.count()
    services.organisation_update(
        organisation=organisation,
        actor=ngo_admin,
        locality="Cluj-Napoca",
        domains=[education],
        phone=" 0264 123 456 ",
    )
    organisation.refresh_from_db()
    assert organisation.locality == "Cluj-Napoca"
    assert organisation.phone == "0264 123 456"
    assert list(organisation.domains.all()) == [education]
    assert organisation.history.count() == versions + 1
    latest = organisation.history.latest()
    assert latest.history_user == ngo_admin
    assert list(latest.domains.values_list("domain_id", flat=True)) == [education.pk]


def test_update_of_the_county_bumps_the_statistics(
    ngo_admin, organisation, django_capture_on_commit_callbacks
):
    """Moving an organisation to another county changes the map."""
    from registry.models import County

    before = stats_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(
            organisation=organisation, actor=ngo_admin, county=County.objects.get(code="RO321")
        )
    assert stats_version() == before + 1


def test_identity_of_a_verified_organisation_is_changed_only_by_a_coordinator(
    ngo_admin, coordinator, organisation
):
    """An admin cannot rename a verified organisation nor change its fiscal code;
    a coordinator can."""
    before = snapshot(organisation)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=organisation, actor=ngo_admin, name="Altceva")
    assert "only a coordinator" in exc.value.message_dict["name"][0]
    assert organisation.name == "Asociația Exemplu"  # the instance is restored too
    assert snapshot(organisation) == before
    services.organisation_update(organisation=organisation, actor=coordinator, name="Altceva")
    organisation.refresh_from_db()
    assert organisation.name == "Altceva"


def test_update_refuses_a_taken_registry_number_and_changes_nothing(ngo_admin, organisation):
    """A duplicate registry number is refused and the other fields are not saved either."""
    make_org(seed=20, registry_number="99/B/2001")
    organisation.status = Status.PENDING
    organisation.save()
    before = snapshot(organisation)
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(
            organisation=organisation,
            actor=ngo_admin,
            registry_number="99/B/2001",
            locality="Turda",
        )
    assert "registry_number" in exc.value.message_dict
    assert snapshot(organisation) == before


def test_update_replaces_and_removes_the_logo(ngo_admin, organisation):
    """A new logo replaces the old one; None removes it."""
    services.organisation_update(organisation=organisation, actor=ngo_admin, logo=image_upload())
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")
    services.organisation_update(organisation=organisation, actor=ngo_admin, logo=None)
    organisation.refresh_from_db()
    assert not organisation.logo


def test_update_accepts_jpeg_and_webp_and_refuses_other_formats(ngo_admin, organisation):
    """JPEG and WebP logos are kept in their format; a BMP is refused."""
    services.organisation_update(
        organisation=organisation, actor=ngo_admin, logo=image_upload("JPEG", name="l.jpg")
    )
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".jpg")
    with pytest.raises(ValidationError):
        services.organisation_update(
            organisation=organisation, actor=ngo_admin, logo=image_upload("BMP", name="l.bmp")
        )


# --- Members -------------------------------------------------------------------------


def test_the_last_admin_can_be_neither_removed_nor_demoted(ngo_admin, organisation):
    """An organisation keeps at least one administrator."""
    membership = organisation.memberships.get(user=ngo_admin)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_member_remove(membership=membership, actor=ngo_admin)
    assert "at least one administrator" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.organisation_member_set_role(
            membership=membership, role=Role.MEMBER, actor=ngo_admin
        )
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_role_change_and_removal_with_history(ngo_admin, ngo_member, organisation):
    """An admin promotes a member, then the former admin can step down; removals are
    recorded with who made them."""
    member = organisation.memberships.get(user=ngo_member)
    services.organisation_member_set_role(membership=member, role=Role.ADMIN, actor=ngo_admin)
    admin = organisation.memberships.get(user=ngo_admin)
    services.organisation_member_remove(membership=admin, actor=ngo_admin)
    assert list(organisation.memberships.values_list("user_id", "role")) == [
        (ngo_member.pk, Role.ADMIN)
    ]
    deletion = OrganisationMembership.history.filter(history_type="-").get()
    assert deletion.history_user == ngo_admin


# --- Invitations ---------------------------------------------------------------------


def test_invite_an_existing_user_who_accepts(
    ngo_admin, organisation, django_capture_on_commit_callbacks
):
    """The invited user receives an e-mail with the link, in their language, and joins
    with the role they were invited to."""
    invitee = make_user("Invitee@Example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.organisation_invite(
            organisation=organisation, actor=ngo_admin, email="INVITEE@example.org", role=Role.ADMIN
        )
    assert invitation.email == "invitee@example.org"
    assert len(mail.outbox) == 1
    token = services.invitation_token(invitation)
    assert token in mail.outbox[0].body
    assert "Invitation to join" in mail.outbox[0].subject
    membership = services.organisation_invitation_accept(token=token, user=invitee)
    assert (membership.organisation, membership.role) == (organisation, Role.ADMIN)
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    with pytest.raises(ValidationError):  # a link works once
        services.organisation_invitation_accept(token=token, user=invitee)


def test_invite_an_address_without_account(
    ngo_admin, organisation, django_capture_on_commit_callbacks
):
    """An address with no account receives the invitation in the inviter's language,
    telling them to create an account first; the task sends it only once."""
    from registry.tasks import send_organisation_invitation

    ngo_admin.preferred_language = "en"
    ngo_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.organisation_invite(
            organisation=organisation, actor=ngo_admin, email="new@example.org"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "create a CONECT account" in mail.outbox[0].body
    key = f"registry:organisation_invitation:{invitation.pk}:{invitation.nonce}"
    assert send_organisation_invitation(invitation_id=invitation.pk, key=key) is False
    assert len(mail.outbox) == 1


def test_inviting_again_voids_the_previous_link(ngo_admin, organisation):
    """A second invitation to the same address renews it: the old link stops working."""
    invitee = make_user("again@example.org")
    first = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="again@example.org"
    )
    old_token = services.invitation_token(first)
    second = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="again@example.org"
    )
    assert second.pk == first.pk
    assert OrganisationInvitation.objects.count() == 1
    with pytest.raises(ValidationError):
        services.organisation_invitation_accept(token=old_token, user=invitee)
    services.organisation_invitation_accept(token=services.invitation_token(second), user=invitee)


def test_invitation_is_refused_to_another_address_or_an_unverified_one(ngo_admin, organisation):
    """Only the verified owner of the invited address can accept; a forged token fails."""
    services.organisation_invite(organisation=organisation, actor=ngo_admin, email="x@example.org")
    invitation = OrganisationInvitation.objects.get()
    token = services.invitation_token(invitation)
    stranger = make_user("stranger@example.org")
    unverified = make_user("x@example.org", verified=False)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_invitation_accept(token=token, user=stranger)
    assert "another e-mail address" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.organisation_invitation_accept(token=token, user=unverified)
    with pytest.raises(ValidationError):
        services.organisation_invitation_accept(token=token + "x", user=stranger)
    assert organisation.memberships.count() == 1


def test_expired_declined_and_withdrawn_invitations_cannot_be_accepted(ngo_admin, organisation):
    """An invitation past its date, declined or withdrawn, says so and adds nobody."""
    invitee = make_user("late@example.org")
    invitation = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="late@example.org"
    )
    token = services.invitation_token(invitation)
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_invitation_accept(token=token, user=invitee)
    assert "expired" in exc.value.messages[0]
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    services.organisation_invitation_revoke(invitation=invitation, actor=ngo_admin)
    with pytest.raises(ValidationError):
        services.organisation_invitation_accept(token=token, user=invitee)
    assert not organisation.memberships.filter(user=invitee).exists()


def test_invitation_to_an_existing_member_is_refused(ngo_admin, ngo_member, organisation):
    """Inviting someone already in the organisation says so."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.organisation_invite(
            organisation=organisation, actor=ngo_admin, email=ngo_member.email.upper()
        )
    assert "already a member" in exc.value.message_dict["email"][0]
    assert not OrganisationInvitation.objects.exists()


def test_a_suspended_organisation_can_neither_invite_nor_take_members(ngo_admin, organisation):
    """A suspended organisation cannot act: no invitation is sent or accepted."""
    invitee = make_user("s@example.org")
    invitation = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="s@example.org"
    )
    Organisation.objects.filter(pk=organisation.pk).update(status=Status.SUSPENDED)
    organisation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.organisation_invite(
            organisation=organisation, actor=ngo_admin, email="t@example.org"
        )
    with pytest.raises(ValidationError):
        services.organisation_invitation_accept(
            token=services.invitation_token(invitation), user=invitee
        )
    assert not organisation.memberships.filter(user=invitee).exists()


def test_decline(ngo_admin, organisation):
    """The invitee may decline; the invitation is closed."""
    invitee = make_user("no@example.org")
    invitation = services.organisation_invite(
        organisation=organisation, actor=ngo_admin, email="no@example.org"
    )
    services.organisation_invitation_decline(
        token=services.invitation_token(invitation), user=invitee
    )
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not organisation.memberships.filter(user=invitee).exists()
