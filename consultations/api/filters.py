"""The API's filters: the web list's own (same parameters, same meaning), plus
`updated_since`, orderings with a stable tie-break, and filters of recommendations."""

import django_filters
from django.utils.translation import gettext_lazy as _

from conect.api.filters import IdFilter, SinceFilter, StrictBooleanFilter
from conect.core.collation import collated_ordering
from conect.core.filters import LocalisedOrderingFilter

from ..filters import ConsultationFilter
from ..models import Channel, Recommendation
from ..selectors import recommendations_filtered

ORDERING_HELP = _(
    "Sort by one or more fields, separated by commas; a minus sign sorts in descending "
    "order. Records with equal values are ordered by id."
)


class StableOrderingFilter(LocalisedOrderingFilter):
    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("id")
        return qs.order_by(*collated_ordering(ordering))


class ConsultationApiFilter(ConsultationFilter):
    # By id, like the API's other references: an unknown id finds nothing.
    institution = IdFilter(field_name="institution_id", help_text=_("The institution's id."))
    national = StrictBooleanFilter(
        method="filter_national", help_text=_("true: only the national consultations.")
    )
    updated_since = SinceFilter(
        field_name="updated_at",
        help_text=_("Only consultations changed at or after this moment (ISO 8601)."),
    )
    ordering = StableOrderingFilter(
        fields=(
            ("id", "id"),
            ("opens_on", "opened"),
            ("closes_on", "closes"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "id": _("identifier"),
            "opens_on": _("opening date"),
            "closes_on": _("closing date"),
            "updated_at": _("date of the last change"),
        },
        help_text=ORDERING_HELP,
    )


class RecommendationApiFilter(django_filters.FilterSet):
    consultation = IdFilter(field_name="consultation_id", help_text=_("The consultation's id."))
    article = django_filters.CharFilter(
        field_name="article__label", help_text=_('The article\'s label, e.g. "Art. 3".')
    )
    general = StrictBooleanFilter(
        field_name="article",
        lookup_expr="isnull",
        help_text=_("true: only the recommendations on the draft in general."),
    )
    disposition = django_filters.ChoiceFilter(
        choices=Recommendation.Disposition.choices,
        method="filter_disposition",
        help_text=_("Only once the synthesis is published."),
    )
    organisation = IdFilter(field_name="organisation_id", help_text=_("The organisation's id."))
    sent_since = SinceFilter(field_name="created_at", help_text=_("Sent at or after (ISO 8601)."))
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices,
        help_text=_(
            "How it reached the institution: online (on this platform), or recorded by "
            "its staff from e-mail, post, a public debate, the phone or in person."
        ),
    )
    q = django_filters.CharFilter(
        method="filter_text",
        help_text=_("Words of the text, each of them present (case and diacritics ignored)."),
    )

    class Meta:
        model = Recommendation
        fields = ["consultation", "article", "general", "disposition", "organisation", "channel"]

    def filter_text(self, queryset, name, value):
        return recommendations_filtered(queryset, text=value)

    def filter_disposition(self, queryset, name, value):
        return queryset.filter(
            disposition=value, consultation__synthesis_published_at__isnull=False
        )
