"""Permissions on the selection of NGO representatives through a call (issue 18).

The object is the call (`MembershipCall`), or the application for evaluating it and
appealing its result. Each step has its own named permission, which is true only at
that step."""

import rules

from conect.accounts.rules import is_coordinator

from ..models import (
    CallSelection,
    MembershipApplication,
    MembershipCall,
    OrganisationMembership,
    SelectionStage,
)
from .institutions import is_admin_of_verified_organisation, is_owner_staff

Stage = SelectionStage
PUBLISHED_STAGES = (Stage.APPEALS, Stage.FINAL, Stage.VOTING, Stage.COMPLETED)


def _call(obj):
    if isinstance(obj, MembershipApplication):
        return obj.call
    return obj if isinstance(obj, MembershipCall) else None


def _stage(obj):
    call = _call(obj)
    if call is None:
        return None
    try:
        return call.selection.stage
    except CallSelection.DoesNotExist:
        return None


def at_stage(*stages):
    @rules.predicate(name=f"at_stage_{'_'.join(map(str, stages))}")
    def predicate(user, obj):
        return _stage(obj) in stages

    return predicate


@rules.predicate
def administers_applicant(user, application):
    """An administrator of the organisation that applied."""
    if not isinstance(application, MembershipApplication) or not user.is_authenticated:
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=application.organisation_id,
        user=user,
        role=OrganisationMembership.Role.ADMIN,
    ).exists()


can_run = is_owner_staff | is_coordinator

rules.add_perm("registry.set_selection", can_run & (at_stage(Stage.REGISTRATION) | at_stage(None)))
rules.add_perm("registry.extend_registration", can_run & at_stage(Stage.REGISTRATION))
rules.add_perm("registry.close_registration", can_run & at_stage(Stage.REGISTRATION))
rules.add_perm("registry.evaluate_application", can_run & at_stage(Stage.EVALUATION))
rules.add_perm("registry.publish_provisional", can_run & at_stage(Stage.EVALUATION))
rules.add_perm("registry.view_selection_results", can_run | at_stage(*PUBLISHED_STAGES))
rules.add_perm("registry.file_appeal", administers_applicant & at_stage(Stage.APPEALS))
rules.add_perm("registry.decide_appeal", can_run & at_stage(Stage.APPEALS))
rules.add_perm("registry.publish_final", can_run & at_stage(Stage.APPEALS))
rules.add_perm("registry.open_vote", can_run & at_stage(Stage.FINAL))
rules.add_perm("registry.cast_vote", is_admin_of_verified_organisation & at_stage(Stage.VOTING))
rules.add_perm("registry.publish_vote_results", can_run & at_stage(Stage.VOTING))
