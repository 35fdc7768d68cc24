"""Template helpers of the registry's pages, written in Python because they run once per
row or per option: a list of a hundred organisations and a search form of ninety options
render several times faster this way than through an {% include %} or a {% for %} each."""

from html import escape
from urllib.parse import quote

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from conect.core.templatetags.conect_layout import record_urls
from conect.core.text import choice_labels as labels

from ..models import Seat

register = template.Library()

NONE = "—"  # an empty fact

BADGE_CLASSES = {
    "verified": "text-bg-success",
    "imported": "text-bg-secondary",
    "pending": "text-bg-warning",
}


@register.filter
def status_badge(organisation):
    """The organisation's status as a coloured badge (red for rejected and suspended)."""
    css = BADGE_CLASSES.get(organisation.status, "text-bg-danger")
    label = labels(organisation.Status).get(organisation.status, "")
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def organisation_rows(organisations):
    """The rows of the organisation list (registry/organisation_list.html): name and
    locality, legal form, county and region, domains, status. Each organisation comes
    from the view's `_rows()`, with its address and labels worked out once per page.
    Every value is escaped (the standard library's html.escape, as Django's escape does,
    without its checks for lazy text: the labels are plain text by now)."""
    rows = []
    badges = {}
    for organisation in organisations:
        locality = organisation.locality
        locality = f'<div class="small text-muted">{escape(locality)}</div>' if locality else ""
        county = organisation.county
        place = (
            f'{escape(county.name)}<div class="small text-muted">{escape(county.region.name)}</div>'
            if county is not None
            else "—"
        )
        badge = badges.get(organisation.status)
        if badge is None:
            badge = badges[organisation.status] = status_badge(organisation)
        rows.append(
            f'<tr><th scope="row"><a href="{escape(organisation.url)}">'
            f"{escape(organisation.name)}</a>{locality}</th>"
            f"<td>{escape(organisation.legal_form_label)}</td><td>{place}</td>"
            f"<td>{escape(organisation.domain_names or '—')}</td><td>{badge}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


@register.simple_tag
def organisation_facts(organisation, list_url):
    """The public facts of an organisation's page (registry/organisation_detail.html), as
    the rows of a description list; the county and the region link to the list filtered
    by them. Labels are translated here, values escaped."""
    county = organisation.county
    registered = organisation.registration_date
    phone = organisation.phone
    rows = [
        (gettext("Fiscal code (CUI/CIF)"), escape(organisation.fiscal_code)),
        (
            gettext("Number in the National NGO Registry"),
            escape(organisation.registry_number or "") or NONE,
        ),
        (
            gettext("Registration date"),
            date_format(registered, "DATE_FORMAT") if registered else NONE,
        ),
        (
            gettext("County"),
            f'<a href="{list_url}?county={quote(county.code)}">{escape(county.name)}</a>'
            if county
            else NONE,
        ),
        (
            gettext("Development region"),
            f'<a href="{list_url}?region={quote(county.region.code)}">'
            f"{escape(county.region.name)}</a>"
            if county
            else NONE,
        ),
        (gettext("Locality"), escape(organisation.locality or "") or NONE),
        (gettext("Address"), escape(organisation.address or "") or NONE),
        (
            gettext("Website"),
            f'<a href="{escape(organisation.website)}" rel="noopener nofollow">'
            f"{escape(organisation.website)}</a>"
            if organisation.website
            else NONE,
        ),
        (
            gettext("Public e-mail"),
            f'<a href="mailto:{escape(organisation.email)}">{escape(organisation.email)}</a>'
            if organisation.email
            else NONE,
        ),
        (
            gettext("Phone"),
            f'<a href="tel:{escape(phone.replace(" ", ""))}">{escape(phone)}</a>'
            if phone
            else NONE,
        ),
    ]
    return mark_safe(
        "".join(
            f'<dt class="col-sm-5">{escape(label)}</dt><dd class="col-sm-7">{value}</dd>'
            for label, value in rows
        )
    )


@register.simple_tag
def domain_badges(domains, list_url):
    """An organisation's domains as badges, each linking to the list filtered by it."""
    return mark_safe(
        "".join(
            f'<li class="list-inline-item"><a class="badge text-bg-light border" '
            f'href="{list_url}?domain={quote(domain.slug)}">{escape(domain.name)}</a></li>'
            for domain in domains
        )
    )


@register.simple_tag
def organisation_seat_rows(seats):
    """The rows of an organisation's seats (registry/organisation_detail.html): the
    structure (linked) and its institution, the role, the mandate, and "ended" for a
    mandate that is not current."""
    roles = labels(Seat.Role)
    no_end, ended = escape(gettext("no end date")), escape(gettext("ended"))
    structure_url = record_urls("registry:structure-detail")
    rows = []
    for seat in seats:
        url = structure_url(seat.structure_id)
        start = date_format(seat.mandate_start, "SHORT_DATE_FORMAT")
        end = date_format(seat.mandate_end, "SHORT_DATE_FORMAT") if seat.mandate_end else no_end
        badge = "" if seat.current else f' <span class="badge text-bg-light border">{ended}</span>'
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{escape(seat.structure_name)}</a></th>'
            f"<td>{escape(seat.institution_name)}</td>"
            f"<td>{escape(roles.get(seat.role, ''))}</td>"
            f"<td>{start} \N{EN DASH} {end}{badge}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above
