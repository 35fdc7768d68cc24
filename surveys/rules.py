"""Every permission on questionnaires, by name (`user.has_perm("surveys.answer_survey",
survey)`). Authors are coordinators and civil servants; a survey is managed by its author,
the staff of its institution and the coordinators."""

import rules

from conect.accounts.rules import is_authenticated, is_coordinator, is_verified
from registry.models import Institution
from registry.rules.predicates import (
    _institution_roles,
    _org_roles,
    is_civil_servant,
    is_institution_staff,
)

from .models import Survey


@rules.predicate
def is_survey_manager(user, survey):
    """The author, a civil servant of the survey's institution, or a coordinator."""
    if survey is None or not is_authenticated(user):
        return False
    if survey.created_by_id == user.pk:
        return True
    return bool(
        survey.institution_id and is_institution_staff(user, Institution(pk=survey.institution_id))
    )


@rules.predicate
def is_published(user, survey):
    return survey is not None and survey.status != Survey.Status.DRAFT


@rules.predicate
def is_accepting(user, survey):
    return survey is not None and survey.is_accepting


@rules.predicate
def results_are_public(user, survey):
    return survey is not None and survey.results_public and survey.status != Survey.Status.DRAFT


@rules.predicate
def is_roster_member(user, survey):
    """The user acts for an institution or organisation invited to this survey."""
    if survey is None or not is_authenticated(user):
        return False
    return bool(invitations_for(user, survey))


def invitations_for(user, survey):
    """The survey's invitations the user may answer (kept on the user for the request)."""
    cache = getattr(user, "_conect_survey_invitations", None)
    if cache is None:
        cache = user._conect_survey_invitations = {}
    if survey.pk not in cache:
        from .models import Invitation

        institutions = list(_institution_roles(user))
        organisations = list(_org_roles(user))
        cache[survey.pk] = list(
            Invitation.objects.filter(survey=survey)
            .filter(rules_q(institutions=institutions, organisations=organisations))
            .select_related("institution", "organisation", "response")
        )
    return cache[survey.pk]


def rules_q(*, institutions, organisations):
    from django.db.models import Q

    return Q(institution_id__in=institutions) | Q(organisation_id__in=organisations)


@rules.predicate
def audience_allows(user, survey):
    if survey is None:
        return False
    if survey.audience == Survey.Audience.PUBLIC:
        return True
    if survey.audience == Survey.Audience.SIGNED_IN:
        return is_verified(user)
    return is_roster_member(user, survey)


can_author = is_coordinator | is_civil_servant
can_manage = is_coordinator | is_survey_manager

rules.add_perm("surveys.add_survey", can_author)
rules.add_perm("surveys.change_survey", can_manage)
rules.add_perm("surveys.manage_roster", can_manage)
rules.add_perm("surveys.view_survey", can_manage | (is_published & audience_allows))
rules.add_perm("surveys.answer_survey", is_accepting & audience_allows)
rules.add_perm("surveys.view_results", can_manage | results_are_public)
rules.add_perm("surveys.export_responses", can_manage)
rules.add_perm("surveys.view_notices", is_authenticated)
