"""Template helpers that render form widgets with Bootstrap's classes.

Django (5.0+) already adds `aria-invalid` and `aria-describedby="<id>_helptext <id>_error"`
to a widget; `includes/form_fields.html` gives the help text and the errors those ids.
"""

from django import template

register = template.Library()

_SELECTS = {"select", "selectmultiple", "nullbooleanselect"}
_CHECKS = {"checkbox", "radioselect", "checkboxselectmultiple"}


def widget_class(bound_field) -> str:
    kind = bound_field.widget_type
    if kind in _CHECKS:
        css = "form-check-input"
    elif kind in _SELECTS:
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return css


@register.filter
def with_bootstrap(bound_field):
    """The field's widget with Bootstrap's class for its kind (and is-invalid on error).

    For radio buttons and multiple checkboxes, iterate the returned field's choices."""
    widget = bound_field.field.widget
    existing = widget.attrs.get("class", "")
    wanted = widget_class(bound_field)
    if wanted not in existing:
        widget.attrs["class"] = f"{existing} {wanted}".strip()
    return bound_field
