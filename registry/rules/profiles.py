"""Permissions on the richer profile of an organisation (issue 18): its projects, events
and calls for volunteers. The profile fields, federations and coalitions and branches are
part of the profile: `registry.change_organisation` covers them.

- anyone sees the activities of a public (verified or imported) organisation; its members
  and the coordinators also see those of a pending, rejected or suspended one;
- the organisation's administrators (while it may act, or while it is pending) and the
  coordinators add, change and remove them.
"""

import rules

from conect.accounts.rules import is_coordinator

from .organisations import belongs_to_organisation, can_administer, is_public_organisation


@rules.predicate
def administers_activity_organisation(user, activity):
    return activity is not None and can_administer.test(user, activity.organisation)


@rules.predicate
def may_see_activity_organisation(user, activity):
    if activity is None:
        return False
    organisation = activity.organisation
    return (is_public_organisation | belongs_to_organisation | is_coordinator).test(
        user, organisation
    )


# On the organisation: may it have a new activity?
rules.add_perm("registry.add_activity", can_administer)
# On the activity.
rules.add_perm("registry.view_activity", may_see_activity_organisation)
rules.add_perm("registry.change_activity", administers_activity_organisation)
rules.add_perm("registry.delete_activity", administers_activity_organisation)

# The administration site: coordinators read them with their history; superusers write.
rules.add_perm("registry.view_organisationactivity", is_coordinator)
rules.add_perm("registry.view_organisationaffiliation", is_coordinator)
rules.add_perm("registry.view_organisationbranch", is_coordinator)
