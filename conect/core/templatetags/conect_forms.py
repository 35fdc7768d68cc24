"""Template helpers that render form widgets with Bootstrap's classes.

Django (5.0+) already adds `aria-invalid` and `aria-describedby="<id>_helptext <id>_error"`
to a widget; `includes/form_fields.html` gives the help text and the errors those ids.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


def _text(value) -> str:
    return conditional_escape(str(value))


@register.simple_tag
def form_field(bound_field):
    """One field, as includes/form_field.html draws it: label (a legend for a list of
    radio buttons or checkboxes), control, help text (id <auto_id>_helptext) and errors
    (id <auto_id>_error), matching the aria-describedby that Django puts on the control.
    Written here rather than by the template engine: a form page draws a dozen of them."""
    field = with_bootstrap(bound_field)
    auto_id = _text(field.auto_id)
    help_text, errors = field.help_text, field.errors
    required = (
        ' <span class="required-mark" aria-hidden="true">*</span>' if field.field.required else ""
    )
    if field.use_fieldset:
        described = " ".join(
            ([f"{auto_id}_helptext"] if help_text else [])
            + ([f"{auto_id}_error"] if errors else [])
        )
        parts = [
            '<fieldset class="mb-3"',
            f' aria-describedby="{described}"' if described else "",
            f'><legend class="form-label fs-6 mb-1">{_text(field.label)}{required}</legend>',
        ]
        for choice in field:
            parts.append(
                f'<div class="form-check">{choice.tag()}<label class="form-check-label" '
                f'for="{_text(choice.id_for_label)}">{_text(choice.choice_label)}</label></div>'
            )
        end = "</fieldset>"
    elif field.widget_type == "checkbox":
        parts = [
            f'<div class="mb-3 form-check">{field}<label class="form-check-label" '
            f'for="{_text(field.id_for_label)}">{_text(field.label)}</label>'
        ]
        end = "</div>"
    else:
        parts = [
            f'<div class="mb-3"><label class="form-label" for="{_text(field.id_for_label)}">'
            f"{_text(field.label)}{required}</label>{field}"
        ]
        end = "</div>"
    if help_text:
        parts.append(f'<div class="form-text" id="{auto_id}_helptext">{_text(help_text)}</div>')
    if errors:
        messages = "".join(f'<p class="mb-0">{_text(error)}</p>' for error in errors)
        parts.append(f'<div class="invalid-feedback d-block" id="{auto_id}_error">{messages}</div>')
    parts.append(end)
    return mark_safe("".join(parts))  # every value is escaped above; the controls are safe
