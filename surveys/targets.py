"""What a questionnaire can be attached to: a consultation, a training session or a call
for proposals. For each: the parameter that names it when a questionnaire is created
(`surveys:create?training_session=<pk>`), the permission that lets a user attach one to
it, and who its participants are (the people its follow-up asks to answer)."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class Target:
    param: str
    model: str
    permission: str

    def get_model(self):
        return apps.get_model(self.model)


TARGETS = (
    Target("consultation", "consultations.Consultation", "consultations.manage_consultation"),
    Target("training_session", "guide.TrainingSession", "guide.change_trainingsession"),
    Target("call", "proposals.ProposalCall", "proposals.manage_call"),
)


def target_for(obj) -> Target | None:
    label = obj._meta.label
    return next((t for t in TARGETS if t.model == label), None)


def target_from(data, user):
    """(the Target, the record) named in `data` (a request's GET or POST) that `user` may
    attach a questionnaire to, or (None, None)."""
    for target in TARGETS:
        pk = data.get(target.param)
        if pk and str(pk).isdigit():
            obj = target.get_model().objects.filter(pk=pk).first()
            if obj is not None and user.has_perm(target.permission, obj):
                return target, obj
            return None, None
    return None, None


def participants(obj):
    """A filter of the users who took part in `obj`: the followers of a consultation (and
    the administrators of the organisations following it) and the authors of its
    recommendations; those registered to a training session (confirmed, not marked
    absent); the authors of the proposals of a call."""
    from registry.models import OrganisationMembership

    label = obj._meta.label
    if label == "consultations.Consultation":
        from consultations.models import Follow, Recommendation

        follows = Follow.objects.filter(consultation=obj)
        return (
            Q(pk__in=follows.filter(user__isnull=False).values("user_id"))
            | Q(
                pk__in=OrganisationMembership.objects.filter(
                    organisation_id__in=follows.filter(organisation__isnull=False).values(
                        "organisation_id"
                    ),
                    role=OrganisationMembership.Role.ADMIN,
                ).values("user_id")
            )
            | Q(
                pk__in=Recommendation.objects.filter(consultation=obj, author__isnull=False).values(
                    "author_id"
                )
            )
        )
    if label == "guide.TrainingSession":
        from guide.models import Registration

        return Q(
            pk__in=Registration.objects.filter(session=obj, status=Registration.Status.CONFIRMED)
            .exclude(attended=False)
            .values("user_id")
        )
    if label == "proposals.ProposalCall":
        from consultations.proposals.models import Proposal

        return Q(pk__in=Proposal.objects.filter(call=obj, author__isnull=False).values("author_id"))
    return Q(pk__in=[])


def participant_users(obj):
    """The active users who took part in `obj` (see `participants`)."""
    from conect.accounts.models import User

    return User.objects.filter(participants(obj), is_active=True).order_by("pk")
