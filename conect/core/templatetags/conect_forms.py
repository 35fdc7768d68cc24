"""Template helpers that render form widgets with Bootstrap's classes.

Django (5.0+) already adds `aria-invalid` and `aria-describedby="<id>_helptext <id>_error"`
to a widget; `{% form_fields form %}` and `{% form_field field %}` give the help text and
the errors those ids.
"""

from html import escape as html_escape

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from conect.core.fields import KeyLabelIterator
from conect.core.forms_renderer import attributes
from conect.core.kept import Kept

register = template.Library()


def widget_class(bound_field) -> str:
    """Bootstrap's class for the widget's kind, a subclass included (the project's own
    drop-down list, QuickSelect, is a Select)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # and checkbox lists
        css = "form-check-input"
    elif isinstance(widget, forms.Select):  # and multiple and yes/no lists
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
    """conditional_escape(str(value)), with plain text escaped without Django's wrappers."""
    value = str(value)
    return html_escape(value) if type(value) is str else conditional_escape(value)


# Django's own lists of radio buttons and checkboxes; a subclass may draw its options its own
# way (create_option), so it goes through Django.
_CHOICE_LISTS = {forms.RadioSelect, forms.CheckboxSelectMultiple}


# Lists drawn from records' keys and names (conect.core.fields) are the same for every
# form that shows the same records with the same options checked: kept by the process,
# keyed by all that the markup is made of (the rows as read, the language of their labels,
# the field's attributes and what is checked). The rows are still read on every page.
_kept_lists = Kept(max_entries=256)


def _choice_list(field) -> list | None:
    """The options of a list of radio buttons or checkboxes, each an input and its label in
    a div.form-check, written straight from the field's choices: what iterating the bound
    field gives (ChoiceWidget.optgroups() and create_option(), a dictionary per option, then
    the option's template) costs a form of the registry's counties and domains most of its
    time. None when Django has to draw them: a widget of the project's own, a template it
    overrides, choices in groups, a field without an id."""
    widget = field.field.widget
    renderer = field.form.renderer
    if (
        type(widget) not in _CHOICE_LISTS
        or not getattr(renderer, "writes", lambda name: False)(widget.option_template_name)
        or not widget.option_inherits_attrs
    ):
        return None
    # As BoundField.subwidgets() and ChoiceWidget.create_option() build each option's attrs.
    target = widget.attrs.get("id") or field.auto_id
    if not target:
        return None
    attrs = {**widget.attrs, **field.build_widget_attrs({"id": target})}
    if any(name in attrs for name in widget.checked_attribute):
        return None
    names = list(attrs)
    place = names.index("id")
    before = attributes({name: attrs[name] for name in names[:place]})
    after = attributes({name: attrs[name] for name in names[place + 1 :]})
    checked = attributes(widget.checked_attribute)
    kind, name = _text(widget.input_type), _text(field.html_name)
    head = f'<div class="form-check"><input type="{kind}" name="{name}" value="'
    chosen = set(widget.format_value(field.value()))
    prefix = _text(widget.id_for_label(target, "")) if widget.add_id_index else None
    if prefix is None:
        return None
    multiple = widget.allow_multiple_selected
    choices = widget.choices
    kept = None
    if type(choices) is KeyLabelIterator and choices.field.empty_label is None:
        records = choices.field
        rows = tuple(records.option_rows())
        kept = (type(records), get_language(), rows, head, before, after, checked, prefix)
        kept += (frozenset(chosen), multiple)
        written = _kept_lists.get(kept)
        if written is not None:
            return [written]
        label = records.label_from_values
        choices = [(key, label(values)) for key, *values in rows]
    found = False
    parts = []
    for index, (value, label) in enumerate(choices):
        if isinstance(label, list | tuple):
            return None
        if value is None:
            value = ""
        key = str(value)
        selected = (multiple or not found) and key in chosen
        found |= selected
        written = key if type(value) is int else _text(key)  # a key's digits need no escape
        option_id = f"{prefix}{index}"
        parts.append(
            f'{head}{written}"{before} id="{option_id}"{after}{checked if selected else ""}>'
            f'<label class="form-check-label" for="{option_id}">{_text(label)}</label></div>'
        )
    if kept is not None:
        _kept_lists.keep(kept, "".join(parts))
    return parts


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
        choices = _choice_list(field)
        if choices is None:
            choices = [
                f'<div class="form-check">{choice.tag()}<label class="form-check-label" '
                f'for="{_text(choice.id_for_label)}">{_text(choice.choice_label)}</label></div>'
                for choice in field
            ]
        parts += choices
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


@register.simple_tag
def form_fields(form):
    """A whole form, accessibly: the summary of its errors (includes/form_errors.html, each
    linked to its field), its hidden fields, then each visible field as {% form_field %}
    draws it (label, control, help text and errors tied to the control)."""
    parts = []
    if form.errors:
        parts.append(render_to_string("includes/form_errors.html", {"form": form}))
    parts += [str(field) for field in form.hidden_fields()]
    parts += [form_field(field) for field in form.visible_fields()]
    return mark_safe("\n".join(parts))  # each part is safe (a template's or a field's)
