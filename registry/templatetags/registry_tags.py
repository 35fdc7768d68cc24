"""Template helpers of the registry's pages, written in Python because they run once per
row or per option: a list of a hundred organisations and a search form of ninety options
render several times faster this way than through an {% include %} or a {% for %} each."""

from html import escape
from urllib.parse import quote

from django import template
from django.forms import ModelChoiceField
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from conect.core.templatetags.conect_layout import record_urls
from conect.core.text import choice_labels as labels

from ..models import Seat
from ..reference import reference

register = template.Library()

NONE = "—"  # an empty fact
SEARCH_SELECTS = ("select", "csvselect")  # drop-down lists (an ordering is a CSV drop-down)
SEARCH_TEXTS = ("text", "search")

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
