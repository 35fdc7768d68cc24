"""Template helpers of the registry's pages, written in Python because they run once per
row or per option: a list of a hundred organisations and a search form of ninety options
render several times faster this way than through an {% include %} or a {% for %} each."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

register = template.Library()

BADGE_CLASSES = {
    "verified": "text-bg-success",
    "imported": "text-bg-secondary",
    "pending": "text-bg-warning",
}


@register.filter
def status_badge(organisation):
    """The organisation's status as a coloured badge (red for rejected and suspended)."""
    css = BADGE_CLASSES.get(organisation.status, "text-bg-danger")
    # A list sets `status_label` once per page; get_status_display() translates each time.
    label = getattr(organisation, "status_label", None) or capfirst(
        organisation.get_status_display()
    )
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def organisation_rows(organisations):
    """The rows of the organisation list (registry/organisation_list.html): name and
    locality, legal form, county and region, domains, status. Each organisation comes
    from the view's `_rows()`, with its address and labels worked out once per page."""
    rows = []
    for organisation in organisations:
        locality = (
            format_html('<div class="small text-muted">{}</div>', organisation.locality)
            if organisation.locality
            else ""
        )
        county = organisation.county
        place = (
            format_html('{}<div class="small text-muted">{}</div>', county.name, county.region.name)
            if county is not None
            else "—"
        )
        rows.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a>{}</th><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td></tr>",
                organisation.url,
                organisation.name,
                locality,
                organisation.legal_form_label,
                place,
                organisation.domain_names or "—",
                status_badge(organisation),
            )
        )
    return mark_safe("\n".join(rows))  # every row is built by format_html


@register.simple_tag
def select_options(choices, selected):
    """The <option> elements of a drop-down list, `selected` (a value, a list of values
    or None) marked."""
    if selected is None:
        selected = {""}
    elif isinstance(selected, list | tuple):
        selected = {str(value) for value in selected} or {""}
    else:
        selected = {str(selected)}
    parts = []
    for value, label in choices:
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        value, label = conditional_escape(value), conditional_escape(label)
        parts.append(f'<option value="{value}"{mark}>{label}</option>')
    return mark_safe("".join(parts))  # every value and label is escaped above
