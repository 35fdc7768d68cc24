"""The feedback's sections on pages of other apps: an institution's page in the registry
and the coordinators' dashboard. Each asks one cached selector (no query when the
answers have not changed), so that those pages need only a one-line addition."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import charts, selectors

register = template.Library()


@register.inclusion_tag("feedback/includes/institution_panel.html", takes_context=True)
def feedback_institution_panel(context, institution):
    """The institution's satisfaction index by month and per service, with its chart."""
    data = selectors.institution_feedback(institution)
    user = context.get("user")
    can_manage = bool(user and user.has_perm("feedback.manage_services", institution))
    version = selectors.institution_version(institution.pk)
    return {
        "fragment": f"{institution.pk}-{version}-{int(can_manage)}-{get_language()}",
        "institution": institution,
        "series": charts.series_table(data["series"]),
        "service_rows": charts.area_rows(
            data["services"], lambda row: reverse("feedback:service-detail", args=[row["code"]])
        ),
        "charts": {"feedback_series": charts.series_chart(data["series"])},
        "indicators": selectors.INDICATOR_LABELS,
        "min_answers": selectors.MIN_ANSWERS,
        "can_manage": can_manage,
        "has_services": bool(data["services"]),
    }


@register.inclusion_tag("feedback/includes/dashboard_section.html")
def feedback_dashboard_section():
    """The coordinators' view of the indices: by month, by region, the institutions with
    the lowest share of satisfied answers and the comments waiting for moderation."""
    data = selectors.feedback_dashboard()

    def region_url(row):
        return f"{reverse('feedback:index')}?region={row['code']}"

    return {
        "fragment": f"{selectors.national_version()}-{get_language()}",
        "data": data,
        "series": charts.series_table(data["series"]),
        "region_rows": charts.area_rows(data["regions"], region_url),
        "lowest_rows": charts.area_rows(
            data["lowest"], lambda row: reverse("feedback:institution", args=[row["id"]])
        ),
        "charts": {
            "feedback_series": charts.series_chart(data["series"]),
            "feedback_regions": charts.bars_chart(
                str(selectors.INDICATOR_LABELS[0][1]), data["regions"]
            ),
        },
        "indicators": selectors.INDICATOR_LABELS,
        "min_answers": selectors.MIN_ANSWERS,
    }


@register.inclusion_tag("feedback/includes/map_panel.html")
def feedback_map_panel(layer_id, region=None):
    """The national map's view of the satisfaction index, under the map: by development
    region (a chart and its table) and by county (the counties of `region` when the map
    shows one). Drawn only for the feedback layer (no query for the other layers); for
    them, a hidden link that static/js/feedback.js shows when a reader picks the
    feedback layer on the map."""
    from ..map_layer import LAYER

    shown = layer_id == LAYER.id
    context = {"shown": shown, "layer_id": LAYER.id, "region": region}
    if not shown:
        return context
    data = selectors.national_feedback()
    region_code = region["code"] if region else None
    counties = [c for c in data["counties"] if not region_code or c["region__code"] == region_code]

    def area_url(param):
        return lambda row: f"{reverse('feedback:index')}?{param}={row['code']}"

    return {
        **context,
        "fragment": f"{selectors.national_version()}-{region_code or ''}-{get_language()}",
        "series": charts.series_table(data["series"]),
        "region_rows": charts.area_rows(data["regions"], area_url("region")),
        "county_rows": charts.area_rows(counties, area_url("county")),
        "charts": {
            "feedback_map_regions": charts.bars_chart(_("Satisfied answers (%)"), data["regions"]),
        },
        "indicators": selectors.INDICATOR_LABELS,
        "min_answers": selectors.MIN_ANSWERS,
    }
