"""Atom feeds of proposals put to the vote: all of them, and those of one call."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Proposal, ProposalCall

FEED_SIZE = 50


def _public():
    return (
        Proposal.objects.filter(state__in=Proposal.VOTED_STATES)
        .exclude(voting_opens_at__isnull=True)
        .select_related("call")
        .order_by("-voting_opens_at", "-pk")
    )


class ProposalFeed(Feed):
    """Every proposal as its vote opens."""

    feed_type = Atom1Feed
    title = gettext_lazy("CONECT: citizens' proposals")
    subtitle = gettext_lazy("Citizens' proposals as they open for votes.")

    def link(self):
        return reverse("proposals:proposal-list")

    def items(self):
        return _public()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.problem

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.voting_opens_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_state_display()]


class CallProposalFeed(ProposalFeed):
    """The proposals of one public call."""

    def get_object(self, request, pk):
        return get_object_or_404(ProposalCall, pk=pk, state__in=ProposalCall.PUBLIC_STATES)

    def title(self, obj):
        return _("CONECT: proposals to “%(call)s”") % {"call": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return _public().filter(call=obj)[:FEED_SIZE]
