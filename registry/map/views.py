"""The public national map, its data endpoints and the coordinators' dashboard."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View
from rules.contrib.views import PermissionRequiredMixin

from guide.dashboard import dashboard_context as guide_dashboard_context

from ..geography import ATTRIBUTION
from . import selectors
from .charts import chart_data, registrations_table, summary_table
from .i18n import map_messages
from .tables import map_csv, summary_csv, table_for

MODES = ("absolute", "per_capita")


def _domain_or_error(request):
    """The statistics for ?domain=, and an error message when the slug is unknown (then
    the numbers are those of every domain)."""
    slug = request.GET.get("domain", "").strip()
    try:
        return selectors.map_statistics(slug or None), slug or None, None
    except selectors.UnknownDomain:
        message = _("There is no domain of activity “%(domain)s”. Showing every domain.") % {
            "domain": slug
        }
        return selectors.map_statistics(None), None, message


def _tiles():
    """The optional background tile layer: (url, attribution) or None."""
    tiles = settings.LEAFLET_CONFIG.get("TILES") or []
    if isinstance(tiles, str):
        return {"url": tiles, "attribution": ""}
    if not tiles:
        return None
    first = tiles[0]
    if isinstance(first, str):
        return {"url": first, "attribution": ""}
    options = first[2] if len(first) > 2 else {}
    return {"url": first[1], "attribution": options.get("attribution", "")}


@require_safe
def map_page(request):
    """The national map: a choropleth drawn by static/js/map.js, and the same numbers in a
    server-rendered table that works without JavaScript."""
    stats, domain, domain_error = _domain_or_error(request)
    layer = request.GET.get("layer")
    if layer not in stats["layers"]:
        layer = selectors.DEFAULT_LAYER
    mode = request.GET.get("mode") if request.GET.get("mode") in MODES else "absolute"
    table = table_for(stats, layer, request.GET.get("region"))
    config = {
        "dataUrl": reverse("map:map-data"),
        "boundariesUrl": reverse("map:map-boundaries"),
        "csvUrl": reverse("map:map-csv"),
        "layer": layer,
        "mode": mode,
        "domain": domain or "",
        "region": table["region"]["code"] if table["region"] else "",
        "language": get_language(),
        "tiles": _tiles(),
        "center": settings.LEAFLET_CONFIG.get("DEFAULT_CENTER"),
        "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM"),
        "attribution": str(ATTRIBUTION),
    }
    context = {
        "stats": stats,
        "layers": [selectors.LAYERS[layer_id] for layer_id in stats["layers"]],
        "layer": selectors.LAYERS[layer],
        "mode": mode,
        "domain": domain,
        "domain_error": domain_error,
        "domains": selectors.active_domains(),
        "table": table,
        "map_config": config,
        "map_messages": map_messages(stats["layers"]),
        "population_source": selectors.POPULATION_SOURCE,
    }
    return render(request, "registry/map/map.html", context)


@require_safe
def map_data(request):
    """The map's numbers as JSON (every layer, by region and county). Answered from the
    cache without a query while the registry is unchanged; ETag for conditional GETs."""
    slug = request.GET.get("domain", "").strip() or None
    try:
        stats = selectors.map_statistics(slug)
    except selectors.UnknownDomain:
        return JsonResponse(
            {"domain": [_("There is no domain of activity “%(domain)s”.") % {"domain": slug}]},
            status=400,
        )
    etag = f'"map-{stats["version"]}-{slug or ""}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = JsonResponse(stats)
        response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def map_boundaries(request):
    """The GeoJSON boundaries of the regions and counties (cached; they change only with
    the reference data)."""
    response = JsonResponse(selectors.map_boundaries())
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def map_table_csv(request):
    """Every number of the map as CSV, for the domain in ?domain=."""
    stats, domain, _error = _domain_or_error(request)
    name = f"conect-map-{domain}.csv" if domain else "conect-map.csv"
    response = HttpResponse(map_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class DashboardView(PermissionRequiredMixin, TemplateView):
    """The coordinators' statistics: registrations, verification queue, institutions
    without an official, advisory structures, per-region summary."""

    permission_required = "registry.view_dashboard"
    template_name = "registry/map/dashboard.html"

    def get_context_data(self, **kwargs):
        data = selectors.dashboard_data_cached()
        registrations = registrations_table(data["registrations"], data["summary"]["rows"])
        return super().get_context_data(
            **kwargs,
            data=data,
            registrations=registrations,
            charts=chart_data(data, registrations),
            summary=summary_table(data["summary"]),
            summary_columns=selectors.SUMMARY_COLUMNS,
            guide=guide_dashboard_context(),
        )


class DashboardCsvView(PermissionRequiredMixin, View):
    """The dashboard's per-region summary as CSV."""

    permission_required = "registry.view_dashboard"
    http_method_names = ["get", "head"]

    def get(self, request):
        response = HttpResponse(
            summary_csv(selectors.region_summary()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="conect-summary-by-region.csv"'
        return response
