"""The feedback's sections on pages of other apps: an institution's page in the registry
and the coordinators' dashboard. Each asks one cached selector (no query when the
answers have not changed), so that those pages need only a one-line addition."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

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
