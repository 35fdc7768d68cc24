"""Atom feeds of new consultations (all, per domain, per institution) and the
iCalendar file of deadlines, filtered like the list."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from conect.core.site import absolute_url
from registry.models import Domain, Institution

from .filters import ConsultationFilter
from .models import Consultation, Debate
from .views.common import get_consultation

FEED_SIZE = 50


def _published():
    return (
        Consultation.objects.filter(state__in=Consultation.PUBLIC_STATES)
        .exclude(published_at__isnull=True)
        .select_related("institution")
        .prefetch_related("domains")
        .order_by("-published_at", "-pk")
    )


class ConsultationFeed(Feed):
    """Every consultation as it is announced. Its links are absolute, on SITE_URL (the
    syndication framework would otherwise put the Sites framework's domain in them)."""

    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute_url(request.path)
        return feed

    title = gettext_lazy("CONECT: new public consultations")
    subtitle = gettext_lazy("Draft decisions open for recommendations, as they are announced.")

    def link(self):
        return absolute_url(reverse("consultations:list"))

    def items(self):
        return _published()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return strip_tags(item.summary)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.institution.name

    def item_categories(self, item):
        return [domain.name for domain in item.domains.all()]


class DomainFeed(ConsultationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Domain, slug=slug)

    def title(self, obj):
        return _("CONECT: new public consultations on %(domain)s") % {"domain": obj.name}

    def link(self, obj):
        return absolute_url(reverse("consultations:list") + f"?domain={obj.slug}")

    def items(self, obj):
        return _published().filter(domains=obj)[:FEED_SIZE]


class InstitutionFeed(ConsultationFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Institution, pk=pk)

    def title(self, obj):
        return _("CONECT: new public consultations of %(institution)s") % {"institution": obj.name}

    def link(self, obj):
        return absolute_url(reverse("consultations:list") + f"?institution={obj.pk}")

    def items(self, obj):
        return _published().filter(institution=obj)[:FEED_SIZE]


# --- iCalendar ------------------------------------------------------------------------


_absolute = absolute_url


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//CONECT//consultations//RO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _deadline_events(consultation: Consultation, stamp) -> list[Event]:
    url = _absolute(consultation.get_absolute_url())
    deadline = Event()
    deadline.add("uid", f"consultation-{consultation.pk}-deadline@conect")
    deadline.add("dtstamp", stamp)
    deadline.add(
        "summary",
        _("Last day for recommendations: %(title)s") % {"title": consultation.title},
    )
    deadline.add("dtstart", consultation.closes_on)
    deadline.add("dtend", consultation.closes_on + datetime.timedelta(days=1))
    deadline.add("description", f"{consultation.institution.name}\n{url}")
    deadline.add("url", url)
    deadline.add("transp", "TRANSPARENT")
    return [deadline]


def _debate_event(debate: Debate, stamp) -> Event:
    consultation = debate.consultation
    url = _absolute(consultation.get_absolute_url()) + f"#debate-{debate.pk}"
    event = Event()
    event.add("uid", f"debate-{debate.pk}@conect")
    event.add("dtstamp", stamp)
    event.add("summary", _("Public debate: %(title)s") % {"title": consultation.title})
    event.add("dtstart", debate.starts_at)
    event.add("dtend", debate.starts_at + datetime.timedelta(hours=2))
    event.add("location", debate.place or debate.online_url)
    event.add("description", url)
    event.add("url", url)
    return event


def _ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_all(request):
    """Deadlines of the consultations still open or announced (filters as the list),
    and their public debates."""
    queryset = (
        Consultation.objects.filter(state=Consultation.State.OPEN)
        .select_related("institution")
        .order_by("closes_on", "pk")
    )
    filterset = ConsultationFilter(request.GET or None, queryset=queryset)
    consultations = list(filterset.qs if filterset.is_bound and filterset.is_valid() else queryset)
    stamp = timezone.now()
    calendar = _calendar(_("CONECT: consultation deadlines"))
    for consultation in consultations:
        for event in _deadline_events(consultation, stamp):
            calendar.add_component(event)
    debates = Debate.objects.filter(
        consultation__in=[c.pk for c in consultations], starts_at__gte=stamp
    ).select_related("consultation")
    for debate in debates:
        calendar.add_component(_debate_event(debate, stamp))
    return _ics_response(calendar, "conect-consultations.ics")


def calendar_consultation(request, pk):
    """One consultation's deadline and debates."""
    consultation = get_consultation(pk)
    if not consultation.is_public:
        from .views.common import denied

        if not request.user.has_perm("consultations.view_consultation", consultation):
            return denied(request)
    stamp = timezone.now()
    calendar = _calendar(consultation.title)
    for event in _deadline_events(consultation, stamp):
        calendar.add_component(event)
    for debate in consultation.debates.all():
        debate.consultation = consultation
        calendar.add_component(_debate_event(debate, stamp))
    return _ics_response(calendar, f"consultation-{consultation.pk}.ics")
