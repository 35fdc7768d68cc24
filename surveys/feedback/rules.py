"""Named permissions of the feedback on public services.

Every permission that takes an object accepts the institution, one of its services or an
answer to one of them: the rule looks up the institution it belongs to.

- Anyone (no account) answers the form of an active service and reads the indices, the
  published comments and the public replies.
- The approved staff of an institution manage its services, adopt services of the
  catalogue, read its answers (with the comments as typed), export them and reply.
- Coordinators keep the catalogue, moderate the comments (an institution never moderates
  what is said about itself) and do everything the staff do.
"""

import rules

from conect.accounts.rules import is_coordinator
from registry.models import Institution
from registry.rules.predicates import is_institution_staff

from .models import Answer, Service


def institution_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Institution):
        return obj
    if isinstance(obj, Service):
        return obj.institution
    if isinstance(obj, Answer):
        return obj.service.institution
    return None


@rules.predicate
def is_staff_of_owner(user, obj):
    """Approved staff of the institution that provides this service."""
    return is_institution_staff(user, institution_of(obj))


@rules.predicate
def is_active_service(user, service):
    return service is not None and service.is_active


can_manage = is_staff_of_owner | is_coordinator

rules.add_perm("feedback.view_service", is_active_service | can_manage)
rules.add_perm("feedback.manage_services", can_manage)
rules.add_perm("feedback.view_answers", can_manage)
rules.add_perm("feedback.reply_answer", can_manage)
rules.add_perm("feedback.moderate_answer", is_coordinator)
rules.add_perm("feedback.manage_catalogue", is_coordinator)
rules.add_perm("feedback.view_dashboard", is_coordinator)

# The administration site (read-only for coordinators).
for _model in ("commonservice", "answer", "reply", "monthlyindex"):
    rules.add_perm(f"feedback.view_{_model}", is_coordinator)
