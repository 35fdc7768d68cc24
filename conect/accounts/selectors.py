"""Reads about a user's own account: their second factor, and everything the site holds
about them (the data download of the GDPR's right of access, article 15, and of
portability, article 20).

The data download reads other apps' tables; it only reads them, never changes them.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q

from conect.api.models import ApiToken
from consultations.models import (
    FOLLOW_TARGETS,
    DebateRegistration,
    DebateRequest,
    Follow,
    Notification,
    NotificationPreference,
    Recommendation,
    RecommendationReport,
)
from registry.models import (
    InstitutionStaff,
    MembershipApplication,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    RelationshipOfficial,
)

from .models import User


def user_has_totp(user: User) -> bool:
    """The user has activated an authenticator app (one query)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _when(value) -> str | None:
    """An aware time as ISO 8601 in UTC (a date as ISO 8601), or None."""
    return value.isoformat() if value is not None else None


def user_data_export(*, user: User) -> dict[str, list[dict]]:
    """Everything the site holds about `user`, as {section: [record, ...]}, each record a
    flat dict of strings, numbers, booleans and None (ready for JSON and for CSV).

    Secrets never leave: no password hash, no API token key (only its name and dates), no
    authenticator secret or recovery code (only the kind and dates). One query per
    section, whatever the number of records.
    """
    addresses = list(
        EmailAddress.objects.filter(user=user).order_by("pk").values("email", "verified", "primary")
    )
    emails = {row["email"].lower() for row in addresses} | {user.email.lower()}

    data: dict[str, list[dict]] = {}
    data["account"] = [
        {
            "name": user.name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "is_coordinator": user.is_coordinator,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        }
    ]
    data["email_addresses"] = addresses
    data["organisation_memberships"] = [
        {
            "organisation": m.organisation.name,
            "organisation_id": m.organisation_id,
            "role": m.role,
            "member_since": _when(m.created_at),
        }
        for m in OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .only("organisation__name", "role", "created_at")
        .order_by("created_at", "pk")
    ]
    data["organisation_invitations"] = [
        {
            "organisation": i.organisation.name,
            "email": i.email,
            "role": i.role,
            "sent_at": _when(i.created_at),
            "expires_at": _when(i.expires_at),
            "accepted_at": _when(i.accepted_at),
            "declined_at": _when(i.declined_at),
            "withdrawn_at": _when(i.revoked_at),
        }
        for i in OrganisationInvitation.objects.filter(
            Q(email__in=emails) | Q(accepted_by=user) | Q(invited_by=user)
        )
        .select_related("organisation")
        .order_by("created_at", "pk")
    ]
    data["organisations_created_or_administered"] = [
        {
            "id": o.pk,
            "name": o.name,
            "legal_form": o.legal_form,
            "fiscal_code": o.fiscal_code,
            "registry_number": o.registry_number,
            "registration_date": _when(o.registration_date),
            "county": o.county.name if o.county_id else "",
            "locality": o.locality,
            "address": o.address,
            "website": o.website,
            "email": o.email,
            "phone": o.phone,
            "description": o.description,
            "status": o.status,
            "created_by_you": o.created_by_id == user.pk,
            "created_at": _when(o.created_at),
        }
        for o in Organisation.objects.filter(
            Q(created_by=user)
            | Q(
                memberships__user=user,
                memberships__role=OrganisationMembership.Role.ADMIN,
            )
        )
        .distinct()
        .select_related("county")
        .defer("search_vector", "search_name")
        .order_by("pk")
    ]
    data["institution_memberships"] = [
        {
            "institution": s.institution.name,
            "institution_id": s.institution_id,
            "role": s.role,
            "position": s.position,
            "status": s.status,
            "requested_at": _when(s.requested_at),
            "decided_at": _when(s.decided_at),
        }
        for s in InstitutionStaff.objects.filter(user=user)
        .select_related("institution")
        .order_by("requested_at", "pk")
    ]
    data["relationship_official_records"] = [
        {
            "institution": r.institution.name,
            "name": r.name,
            "position": r.position,
            "email": r.email,
            "phone": r.phone,
            "language": r.language,
            "agreed_to_publication_at": _when(r.consented_at),
            "declined_publication_at": _when(r.declined_at),
            "removed_at": _when(r.removed_at),
            "created_at": _when(r.created_at),
        }
        for r in RelationshipOfficial.objects.filter(Q(user=user) | Q(email__in=emails))
        .select_related("institution")
        .order_by("created_at", "pk")
    ]
    data["membership_applications_submitted"] = [
        {
            "call": a.call.title,
            "organisation": a.organisation.name,
            "motivation": a.motivation,
            "status": a.status,
            "submitted_at": _when(a.submitted_at),
            "decided_at": _when(a.decided_at),
        }
        for a in MembershipApplication.objects.filter(submitted_by=user)
        .select_related("call", "organisation")
        .only(
            "call__title",
            "organisation__name",
            "motivation",
            "status",
            "submitted_at",
            "decided_at",
        )
        .order_by("submitted_at", "pk")
    ]
    data["follows"] = [
        {
            "kind": next(t for t in FOLLOW_TARGETS if getattr(f, f"{t}_id")),
            "followed": str(f.target),
            "since": _when(f.created_at),
        }
        for f in Follow.objects.filter(user=user)
        .select_related("domain", "county", "region", "institution")
        .order_by("created_at", "pk")
    ]
    data["notification_preferences"] = [
        {"email_frequency": p.frequency, "updated_at": _when(p.updated_at)}
        for p in NotificationPreference.objects.filter(user=user)
    ]
    data["notifications"] = [
        {
            "kind": n.kind,
            "consultation": n.consultation.title,
            "consultation_id": n.consultation_id,
            "detail": n.detail,
            "created_at": _when(n.created_at),
            "read_at": _when(n.read_at),
            "email_status": n.email_status,
            "emailed_at": _when(n.emailed_at),
        }
        for n in Notification.objects.filter(user=user)
        .select_related("consultation")
        .only(
            "kind",
            "consultation__title",
            "detail",
            "created_at",
            "read_at",
            "email_status",
            "emailed_at",
        )
        .order_by("created_at", "pk")
    ]
    data["recommendations"] = [
        {
            "id": r.pk,
            "consultation": r.consultation.title,
            "consultation_id": r.consultation_id,
            "article": r.article.label if r.article_id else "",
            "on_behalf_of": r.organisation.name if r.organisation_id else "",
            "text": r.text,
            "attachment": r.attachment_name,
            "name_hidden": r.hide_name,
            "status": r.status,
            "moderation_reason": r.moderation_reason,
            "disposition": r.disposition,
            "justification": r.justification,
            "sent_at": _when(r.created_at),
            "edited_at": _when(r.edited_at),
            "answered_at": _when(r.answered_at),
        }
        for r in Recommendation.objects.filter(author=user)
        .select_related("consultation", "organisation", "article")
        .only(
            "consultation__title",
            "organisation__name",
            "article__label",
            "text",
            "attachment_name",
            "hide_name",
            "status",
            "moderation_reason",
            "disposition",
            "justification",
            "created_at",
            "edited_at",
            "answered_at",
        )
        .order_by("created_at", "pk")
    ]
    data["recommendation_reports"] = [
        {
            "recommendation_id": r.recommendation_id,
            "reason": r.reason,
            "created_at": _when(r.created_at),
        }
        for r in RecommendationReport.objects.filter(reporter=user).order_by("created_at", "pk")
    ]
    data["debate_requests"] = [
        {
            "consultation": d.consultation.title,
            "organisation": d.organisation.name,
            "motivation": d.motivation,
            "status": d.status,
            "requested_at": _when(d.created_at),
        }
        for d in DebateRequest.objects.filter(requested_by=user)
        .select_related("consultation", "organisation")
        .only(
            "consultation__title",
            "organisation__name",
            "motivation",
            "status",
            "created_at",
        )
        .order_by("created_at", "pk")
    ]
    data["debate_registrations"] = [
        {
            "consultation": d.debate.consultation.title,
            "debate_starts_at": _when(d.debate.starts_at),
            "registered_at": _when(d.created_at),
        }
        for d in DebateRegistration.objects.filter(user=user)
        .select_related("debate__consultation")
        .only("debate__starts_at", "debate__consultation__title", "created_at")
        .order_by("created_at", "pk")
    ]
    data["api_tokens"] = [
        {
            "name": t.name,
            "created_at": _when(t.created_at),
            "last_used_at": _when(t.last_used_at),
            "revoked_at": _when(t.revoked_at),
        }
        for t in ApiToken.objects.filter(user=user)
        .only("name", "created_at", "last_used_at", "revoked_at")
        .order_by("created_at", "pk")
    ]
    data["two_factor_authenticators"] = [
        {"type": a.type, "created_at": _when(a.created_at), "last_used_at": _when(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user)
        .only("type", "created_at", "last_used_at")
        .order_by("created_at", "pk")
    ]
    return data


def user_sole_admin_of(*, user: User) -> list[str]:
    """Names of the organisations and institutions that would be left without an
    administrator if `user` left: they must hand over first."""
    organisations = (
        Organisation.objects.filter(
            memberships__user=user, memberships__role=OrganisationMembership.Role.ADMIN
        )
        .exclude(
            pk__in=OrganisationMembership.objects.filter(role=OrganisationMembership.Role.ADMIN)
            .exclude(user=user)
            .values("organisation_id")
        )
        .values_list("name", flat=True)
    )
    approved_admin = {
        "status": InstitutionStaff.Status.APPROVED,
        "role": InstitutionStaff.Role.ADMIN,
    }
    institutions = (
        InstitutionStaff.objects.filter(user=user, **approved_admin)
        .exclude(
            institution_id__in=InstitutionStaff.objects.filter(**approved_admin)
            .exclude(user=user)
            .values("institution_id")
        )
        .values_list("institution__name", flat=True)
    )
    return sorted([*organisations, *institutions])
