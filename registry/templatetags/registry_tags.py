"""Template helpers of the registry's pages, written in Python because they run once per
row or per option: a list of a hundred organisations and a search form of ninety options
render several times faster this way than through an {% include %} or a {% for %} each."""

from html import escape

from django import template
from django.conf import settings
from django.forms import ModelChoiceField
from django.template.loader import render_to_string
from django.utils.formats import date_format, get_format, localize
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from conect.core.templatetags.conect_layout import record_url, record_urls
from conect.core.text import choice_labels as labels
from conect.core.text import format_datetime

from ..models import AdvisoryStructure, ImportJob, Institution, Seat
from ..reference import reference

register = template.Library()

NONE = "—"  # an empty fact
SEARCH_SELECTS = ("select", "csvselect")  # drop-down lists (an ordering is a CSV drop-down)
SEARCH_TEXTS = ("text", "search")


@register.simple_tag
def filter_field(field, choices):
    """One field of a search form: its label, its control (a drop-down list when it has
    `choices`, else a text box) and its errors, linked to the control for screen readers.
    The same markup as includes/form_field.html, built here because a search page draws
    seven of them with ninety options on every request."""
    options = None if choices is None else select_options(choices, field.value())
    return _field_markup(field, options)


def _field_markup(field, options) -> str:
    """filter_field's markup, with the drop-down list's <option> elements given (None for
    a text box)."""
    control_id = field.id_for_label
    errors = field.errors
    error_id = f"{field.auto_id}_error"
    invalid = f' aria-invalid="true" aria-describedby="{escape(error_id)}"' if errors else ""
    name = escape(field.html_name)
    if options is not None:
        control = (
            f'<select name="{name}" id="{escape(control_id)}" '
            f'class="form-select{" is-invalid" if errors else ""}"{invalid}>'
            f"{options}</select>"
        )
    else:
        value = field.value()
        value = "" if value is None else str(value)
        control = (
            f'<input type="text" name="{name}" value="{escape(value)}" '
            f'id="{escape(control_id)}" class="form-control{" is-invalid" if errors else ""}"'
            f"{invalid}>"
        )
    feedback = ""
    if errors:
        messages = "".join(f'<p class="mb-0">{escape(str(error))}</p>' for error in errors)
        feedback = f'<div class="invalid-feedback d-block" id="{escape(error_id)}">{messages}</div>'
    return mark_safe(  # every value is escaped above
        f'<div class="mb-3"><label class="form-label" for="{escape(control_id)}">'
        f"{escape(str(field.label))}</label>{control}{feedback}</div>"
    )


@register.simple_tag
def search_field(field):
    """A field of any registry search form, written by filter_field: a drop-down list for
    a select, a text box for text. Other kinds of control, which these forms do not have
    today, go through includes/form_field.html.

    A drop-down list's options are escaped once per form, field and language, and kept
    with the reference snapshot they were read from (their choices are the reference
    data's or fixed in the code); each request only marks its selection. A list of
    records from the database (a ModelChoiceField), or the options of a form whose class
    is not made once (RegistryFilterSet's are), is read each time."""
    kind = field.widget_type
    if kind in SEARCH_SELECTS:
        if isinstance(field.field, ModelChoiceField) or not getattr(
            field.form, "keeps_options", False
        ):  # records read each time, or a form class made per request (keys would pile up)
            return filter_field(field, list(field.field.choices))
        key = ("search_field", type(field.form), field.name, get_language())
        memo = reference().memo
        options = memo.get(key)
        if options is None:
            options = memo[key] = [
                (value, _option(value, label, ""), _option(value, label, " selected"))
                for value, label in _plain_choices(field.field.choices)
            ]
        selected = _selected_values(field.value())
        html = "".join(chosen if value in selected else plain for value, plain, chosen in options)
        return _field_markup(field, mark_safe(html))  # escaped by _option
    if kind in SEARCH_TEXTS:
        return filter_field(field, None)
    return render_to_string("includes/form_field.html", {"field": field})


@register.simple_tag
def search_fields(form, hidden=""):
    """Every field of a registry search form, each by search_field; the fields named in
    `hidden` (comma-separated) are kept as hidden inputs when they have a value."""
    hidden = set(hidden.split(",")) if hidden else set()
    parts = []
    for field in form:
        if field.name in hidden:
            value = field.value()
            if value not in (None, ""):
                parts.append(
                    f'<input type="hidden" name="{escape(field.html_name)}" '
                    f'value="{escape(str(value))}">'
                )
        else:
            parts.append(search_field(field))
    return mark_safe("\n".join(parts))  # each part is escaped


def _selected_values(selected) -> set[str]:
    if selected is None:
        return {""}
    if isinstance(selected, list | tuple):
        return {str(value) for value in selected} or {""}
    return {str(selected)}


def _plain_choices(choices):
    for value, label in choices:
        yield ("" if value is None else str(value)), label


def _option(value: str, label, mark: str) -> str:
    # Safe text (with __html__) is kept as it is, as conditional_escape would.
    label = label.__html__() if hasattr(label, "__html__") else escape(str(label))
    return f'<option value="{escape(value)}"{mark}>{label}</option>'


def select_options(choices, selected):
    """The <option> elements of a drop-down list (for filter_field), `selected` (a value,
    a list of values or None) marked. Labels may be lazy text (read with str())."""
    selected = _selected_values(selected)
    parts = [
        _option(value, label, " selected" if value in selected else "")
        for value, label in _plain_choices(choices)
    ]
    return mark_safe("".join(parts))  # every value and label is escaped by _option


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
