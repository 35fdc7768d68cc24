"""Reads for the home page: what is happening on CONECT now.

Built on the registry's and the consultations' own selectors, so that the home page
shows exactly what their list pages show, at a constant number of queries.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language, gettext

from consultations.models import Consultation
from consultations.selectors import consultation_list_visible
from registry.map.selectors import map_statistics
from registry.models import Organisation
from registry.selectors.institutions import institution_list_public
from registry.selectors.organisations import organisation_list_public
from registry.stats import stats_version

HOME_LIST_LENGTH = 5
TOTALS_TIMEOUT = 60 * 60 * 24  # a bump of the statistics version invalidates sooner


@dataclass(frozen=True)
class Total:
    """One of the map's totals, as the home page shows it."""

    key: str
    label: str
    count: int
    url: str


def open_consultations(*, limit: int = HOME_LIST_LENGTH) -> list[Consultation]:
    """The newest consultations open to recommendations, with their institution and
    their number of published recommendations (one query). An open consultation is
    public, so every visitor sees the same ones."""
    return list(
        consultation_list_visible(AnonymousUser())
        .filter(state=Consultation.State.OPEN)
        .prefetch_related(None)  # the home page does not show the domains
        .only("pk", "title", "closes_on", "opens_on", "published_at", "institution__name")
        .order_by("-published_at", "-opens_on", "-pk")[:limit]
    )


def recent_registrations(*, limit: int = HOME_LIST_LENGTH) -> list[Organisation]:
    """The organisations verified most recently, with their county (one query)."""
    return list(
        organisation_list_public()
        .filter(status=Organisation.Status.VERIFIED, verified_at__isnull=False)
        .select_related("county")
        .only("pk", "name", "locality", "verified_at", "county__name")
        .order_by("-verified_at", "-pk")[:limit]
    )


def _compute_totals() -> list[Total]:
    stats = map_statistics()
    total, links = stats["total"], stats["total_links"]

    def layer(key: str, label: str) -> Total:
        return Total(key, label, total[key], links[key])

    rows = [
        layer("organisations", gettext("Verified NGOs")),
        Total(
            "institutions",
            gettext("Public institutions"),
            institution_list_public().order_by().count(),
            reverse("registry:institution-list"),
        ),
        layer("officials", gettext("Relationship officials")),
        layer("structures", gettext("Advisory structures")),
    ]
    if "consultations" in total:  # the layer the consultations app registers
        rows.append(layer("consultations", gettext("Open consultations")))
    return rows


def home_totals() -> list[Total]:
    """The map's totals (verified organisations, institutions, published relationship
    officials, active advisory structures, open consultations), each with its list link
    and label in the active language. Kept in the shared cache under the statistics
    version, which every service that changes a count bumps: no query while nothing
    changed."""
    key = f"home:totals:{get_language() or 'ro'}:{stats_version()}"
    return cache.get_or_set(key, _compute_totals, TOTALS_TIMEOUT)


def home_page_data() -> dict:
    """Everything the home page shows besides its fixed text."""
    return {
        "open_consultations": open_consultations(),
        "recent_registrations": recent_registrations(),
        "totals": home_totals(),
    }
