"""The national map's proposals layers: public proposals per county, and those that
reached their threshold (the share is one over the other). Registered with
`registry.map.selectors.register_counter` when the app is ready; two queries whatever
the number of proposals."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registry.map.selectors import Layer, LayerCounts, register_counter

from .models import Proposal

State = Proposal.State
REACHED = (State.REFERRED, State.DECIDED, State.IMPLEMENTED)

LAYERS = (
    Layer(
        "proposals",
        _("Citizens' proposals"),
        _("Proposals put to the vote, in the county they concern."),
        "proposals:proposal-list",
        "/proposals/",
    ),
    Layer(
        "proposals_reached",
        _("Proposals that reached their threshold"),
        _(
            "Proposals whose yes votes reached the call's threshold and went to an advisory "
            "structure; compare with all the proposals put to the vote."
        ),
        "proposals:proposal-list",
        "/proposals/",
        (("reached", "1"),),
    ),
)


def proposal_counts(domain, geo) -> dict[str, LayerCounts]:
    proposals = Proposal.objects.filter(state__in=Proposal.VOTED_STATES)
    if domain is not None:
        proposals = proposals.filter(domain=domain)
    rows = proposals.values("county_id").annotate(
        n=Count("pk"), reached=Count("pk", filter=Q(state__in=REACHED))
    )
    every, reached = LayerCounts(), LayerCounts()
    for row in rows:
        for counts, n in ((every, row["n"]), (reached, row["reached"])):
            counts.total += n
            county_id = row["county_id"]
            if county_id is None or county_id not in geo.county_region:
                counts.national += n
                continue
            counts.by_county[county_id] += n
            counts.by_region[geo.county_region[county_id]] += n
    return {"proposals": every, "proposals_reached": reached}


def register() -> None:
    register_counter(proposal_counts, *LAYERS)
