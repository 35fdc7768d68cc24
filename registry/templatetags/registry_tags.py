"""Template helpers of the registry's pages, written in Python because they run once per
row or per option: a list of a hundred organisations and a search form of ninety options
render several times faster this way than through an {% include %} or a {% for %} each."""

from html import escape
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils.formats import date_format, get_format, localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from conect.core.templatetags.conect_layout import record_url, record_urls
from conect.core.text import choice_labels as labels
from conect.core.text import format_datetime

from ..models import AdvisoryStructure, ImportJob, Institution, Seat

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
def structure_seat_rows(seats, can_manage_seats=False):
    """The rows of a structure's current members (registry/structure_detail.html): the
    holder, the role, the mandate and, for those who manage the seats, a link to end it."""
    roles = labels(Seat.Role)
    since, between = gettext("since %(start)s"), gettext("from %(start)s to %(end)s")
    end_link = escape(gettext("End the mandate"))
    end_url = record_urls("registry:seat-end")
    rows = []
    for seat in seats:
        start = date_format(seat.mandate_start, "SHORT_DATE_FORMAT")
        if seat.mandate_end:
            end = date_format(seat.mandate_end, "SHORT_DATE_FORMAT")
            mandate = between % {"start": start, "end": end}
        else:
            mandate = since % {"start": start}
        action = f'<td><a href="{end_url(seat.pk)}">{end_link}</a></td>' if can_manage_seats else ""
        rows.append(
            f'<tr><th scope="row">{seat_holder(seat)}</th>'
            f"<td>{escape(roles.get(seat.role, ''))}</td><td>{escape(mandate)}</td>{action}</tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above (seat_holder too)


@register.simple_tag
def structure_past_seats(seats):
    """A structure's former and future members, one <li> each: holder, role, mandate."""
    between = gettext("from %(start)s to %(end)s")
    items = []
    for seat in seats:
        start = date_format(seat.mandate_start, "SHORT_DATE_FORMAT")
        end = date_format(seat.mandate_end, "SHORT_DATE_FORMAT") if seat.mandate_end else NONE
        role = seat.get_role_display()
        mandate = between % {"start": start, "end": end}
        items.append(f"<li>{seat_holder(seat)} — {escape(role)}, {escape(mandate)}</li>")
    return mark_safe("".join(items))  # every value is escaped above (seat_holder too)


@register.simple_tag
def official_seat_items(current, past):
    """An official's seats (registry/official_detail.html), one <li> each: the structure
    (linked), the role and the mandate, current seats first."""
    since, between = gettext("since %(start)s"), gettext("from %(start)s to %(end)s")
    structure_url = record_urls("registry:structure-detail")
    items = []
    for seat, is_current in [*((s, True) for s in current), *((s, False) for s in past)]:
        start = date_format(seat.mandate_start, "SHORT_DATE_FORMAT")
        if is_current:
            mandate = since % {"start": start}
        else:
            end = date_format(seat.mandate_end, "SHORT_DATE_FORMAT") if seat.mandate_end else NONE
            mandate = between % {"start": start, "end": end}
        items.append(
            f'<li><a href="{structure_url(seat.structure_id)}">{escape(seat.structure.name)}</a>: '
            f"{escape(seat.get_role_display())}, {escape(mandate)}</li>"
        )
    return mark_safe("".join(items))  # every value is escaped above


@register.simple_tag
def seat_holder(seat):
    """Who holds a seat (registry/structure_detail.html): the organisation, linked when it
    is public, or the official with their institution, linked when published; a removed
    or unpublished official is not named."""
    organisation = seat.organisation
    if organisation is not None:
        name = escape(organisation.name)
        if organisation.is_public:
            url = record_url("registry:organisation-detail", organisation.pk)
            name = f'<a href="{url}">{name}</a>'
        return mark_safe(
            f'{name} <span class="small text-muted">({escape(gettext("organisation"))})</span>'
        )
    official = seat.official
    if official is not None and official.is_published:
        url = record_url("registry:official-detail", official.pk)
        return mark_safe(
            f'<a href="{url}">{escape(official.name)}</a> '
            f'<span class="small text-muted">({escape(official.institution.name)})</span>'
        )
    return mark_safe(
        f'<span class="text-muted">{escape(gettext("A former relationship official"))}</span>'
    )


# --- Rows of the public sector's lists ---------------------------------------------
# Built here for the reason organisation_rows is: a page of 25 rows, each with a few
# links and labels, renders several times faster than through {% for %} and filters.


def _names(items, empty: str) -> str:
    return escape(", ".join(item.name for item in items)) or escape(empty)


@register.simple_tag
def institution_rows(institutions):
    """The rows of the institution list (registry/institution_list.html)."""
    kinds, levels = labels(Institution.Kind), labels(Institution.Level)
    under = gettext("under %(parent)s")
    url_of = record_urls("registry:institution-detail")
    rows = []
    for institution in institutions:
        url = url_of(institution.pk)
        parent = ""
        if institution.parent_id is not None:
            text = under % {"parent": institution.parent.name}
            parent = f'<div class="small text-muted">{escape(text)}</div>'
        county = institution.county
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{escape(institution.name)}</a>{parent}</th>'
            f"<td>{escape(kinds.get(institution.kind, ''))}</td>"
            f"<td>{escape(levels.get(institution.level, ''))}</td>"
            f"<td>{escape(county.name) if county is not None else NONE}</td>"
            f'<td class="text-end">{institution.officials_count}</td>'
            f'<td class="text-end">{institution.structures_count}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


@register.simple_tag
def official_rows(officials):
    """The rows of the relationship officials' list (registry/official_list.html)."""
    all_domains, whole_country = gettext("All domains"), gettext("The whole country")
    official_url = record_urls("registry:official-detail")
    institution_url_of = record_urls("registry:institution-detail")
    rows = []
    for official in officials:
        url = official_url(official.pk)
        institution_url = institution_url_of(official.institution_id)
        email = escape(official.email)
        phone = ""
        if official.phone:
            phone = f'<br><a href="tel:{escape(official.phone)}">{escape(official.phone)}</a>'
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{escape(official.name)}</a>'
            f'<div class="small text-muted">{escape(official.position)}</div></th>'
            f'<td><a href="{institution_url}">{escape(official.institution.name)}</a></td>'
            f'<td><a href="mailto:{email}">{email}</a>{phone}</td>'
            f"<td>{_names(official.domain_list, all_domains)}</td>"
            f"<td>{_names(official.county_list, whole_country)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


@register.simple_tag
def structure_rows(structures):
    """The rows of the advisory structures' list (registry/structure_list.html)."""
    kinds = {value: str(label) for value, label in AdvisoryStructure.Kind.choices}
    levels = labels(AdvisoryStructure.TerritorialLevel)
    statuses = labels(AdvisoryStructure.Status)
    open_call = (
        f'<span class="badge text-bg-success">{escape(gettext("Call for members open"))}</span>'
    )
    structure_url = record_urls("registry:structure-detail")
    institution_url_of = record_urls("registry:institution-detail")
    rows = []
    for structure in structures:
        url = structure_url(structure.pk)
        institution_url = institution_url_of(structure.institution_id)
        area = structure.county or structure.region
        area = f": {escape(area.name)}" if area is not None else ""
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{escape(structure.name)}</a>'
            f'<div class="small text-muted">{escape(kinds.get(structure.kind, ""))}</div>'
            f"{open_call if structure.has_open_call else ''}</th>"
            f'<td><a href="{institution_url}">{escape(structure.institution.name)}</a></td>'
            f"<td>{escape(levels.get(structure.territorial_level, ''))}{area}</td>"
            f"<td>{_names(structure.domain_list, NONE)}</td>"
            f"<td>{escape(statuses.get(structure.status, ''))}</td>"
            f'<td class="text-end">{structure.current_seats}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


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


@register.simple_tag
def import_job_rows(jobs):
    """The rows of the imports page (registry/import_list.html): the file (linked to its
    page, marked when it was a dry run), when and by whom it was uploaded (the job's
    `created_by_name`), its status and its counts."""
    statuses = labels(ImportJob.Status)
    dry_run = f' <span class="badge text-bg-secondary">{escape(gettext("dry run"))}</span>'
    url_of = record_urls("registry:import-detail")
    # A whole number written as {{ n }} writes it: grouped only when the settings say so.
    number = localize if settings.USE_THOUSAND_SEPARATOR else str
    when = get_format("SHORT_DATETIME_FORMAT")
    rows = []
    for job in jobs:
        uploaded = escape(format_datetime(localtime(job.created_at), when))
        if job.created_by_id is not None:
            uploaded += f'<div class="small text-muted">{escape(job.created_by_name or "")}</div>'
        counts = "".join(
            f'<td class="text-end">{number(count)}</td>'
            for count in (
                job.created_count,
                job.updated_count,
                job.unchanged_count,
                job.error_count,
            )
        )
        rows.append(
            f'<tr><th scope="row"><a href="{url_of(job.pk)}">{escape(job.original_name)}</a>'
            f"{dry_run if job.dry_run else ''}</th><td>{uploaded}</td>"
            f"<td>{escape(statuses.get(job.status, job.status))}</td>{counts}</tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


@register.simple_tag(takes_context=True)
def staff_member_rows(context, institution, members, role_choices):
    """The rows of an institution's approved staff (registry/institution_staff.html): name
    and address, position, a form to change the role and one to remove the person."""
    token = escape(str(context.get("csrf_token", "")))
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    role_url = record_urls("registry:institution-staff-role", 2)
    remove_url = record_urls("registry:institution-staff-remove", 2)
    role_of, remove = gettext("Role of %(name)s"), gettext("Remove %(name)s")
    change = escape(gettext("Change the role"))
    choices = [(str(value), escape(str(label))) for value, label in role_choices]
    rows = []
    for member in members:
        name = escape(member.user.name)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if value == member.role else ""}>'
            f"{label}</option>"
            for value, label in choices
        )
        rows.append(
            f'<tr><th scope="row">{name}<div class="small text-muted">'
            f"{escape(member.user.email)}</div></th><td>{escape(member.position)}</td>"
            f'<td><form method="post" action="{role_url(institution.pk, member.pk)}" '
            f'class="d-flex gap-2">{csrf}<label class="visually-hidden" '
            f'for="member-role-{member.pk}">{role_of % {"name": name}}</label>'
            f'<select class="form-select form-select-sm" name="role" '
            f'id="member-role-{member.pk}">{options}</select>'
            f'<button type="submit" class="btn btn-outline-primary btn-sm">{change}</button>'
            f'</form></td><td><form method="post" '
            f'action="{remove_url(institution.pk, member.pk)}">{csrf}'
            f'<button type="submit" class="btn btn-outline-danger btn-sm">'
            f"{remove % {'name': name}}</button></form></td></tr>"
        )
    return mark_safe("\n".join(rows))  # every value is escaped above
