"""Django's form renderer, with its most used widget templates written in Python.

Django renders every widget through the template engine: a select's every option is an
included template, and each of its attributes another include. A form with the 3,000
institutions of a "parent institution" list took a quarter of a second to draw, and an
organisation's profile form with its counties and domains twenty milliseconds, where the
database answered in three. This renderer writes the same markup as Django's own templates
(django/forms/templates/django/forms/widgets/, checked byte for byte by
tests/core/test_forms_renderer.py) for the widgets listed in FAST, and leaves every other
template (a form's layout, a field's, a widget a project overrides) to the engine.

FORM_RENDERER = "conect.core.forms_renderer.FormRenderer"
"""

from html import escape as html_escape

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from .kept import Kept

WIDGETS = "django/forms/widgets/"


def _escape(value) -> str:
    """conditional_escape, without its wrapping of each plain text in a SafeString (this
    renderer marks the whole widget safe once): the same characters."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(value if type(value) is str else str(value))


def _text(value) -> str:
    """{{ value }} as the template engine writes it: local time, local format, escaped."""
    if type(value) is str:
        return html_escape(value)
    if isinstance(value, Promise) or hasattr(value, "__html__"):
        return _escape(value)
    return _escape(localize(template_localtime(value)))


def _string(value) -> str:
    """{{ value|stringformat:'s' }}, escaped (the filter keeps a text marked safe safe)."""
    return html_escape(value) if type(value) is str else _escape(str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"` for each attribute, ` name` alone for True, nothing
    for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """input.html, with its final line break."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    """input_option.html (a radio button or a checkbox of a list), with its line break."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    target = widget["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _select_option(widget: dict) -> str:
    return (
        f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>\n"
    )


def _choice_option(widget: dict) -> str:
    """checkbox_option.html and radio_option.html: input_option.html and their own line
    break."""
    return _input_option(widget) + "\n"


OPTION_TEMPLATES = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "checkbox_option.html": _choice_option,
    WIDGETS + "radio_option.html": _choice_option,
}


def _option(option: dict) -> str | None:
    write = OPTION_TEMPLATES.get(option["template_name"])
    return None if write is None else write(option)


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            text = _option(option)
            if text is None:
                return None
            parts.append(f"\n  {text}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget: dict) -> str | None:
    target = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(target)}"' if target else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            text = _option(option)
            if text is None:
                return None
            parts.append(f"<div>\n    {text}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'
    )


def _clearable_file_input(widget: dict) -> str:
    """clearable_file_input.html: the file kept (a link to it, and a box to clear it when
    the field may be empty), then the input."""
    parts = []
    if widget["is_initial"]:
        value, attrs = widget["value"], widget["attrs"]
        parts.append(
            f'{_text(widget["initial_text"])}: <a href="{_text(value.url)}">{_text(value)}</a>'
        )
        if not widget["required"]:
            box = _text(widget["checkbox_id"])
            parts.append(
                f'\n<input type="checkbox" name="{_text(widget["checkbox_name"])}" id="{box}"'
                f"{' disabled' if attrs.get('disabled') else ''}"
                f"{' checked' if attrs.get('checked') else ''}>"
                f'\n<label for="{box}">{_text(widget["clear_checkbox_label"])}</label>'
            )
        parts.append(f"<br>\n{_text(widget['input_text'])}:")
    parts.append(
        f'\n<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{_attrs(widget['attrs'])}>\n"
    )
    return "".join(parts)


FAST = {
    **{
        WIDGETS + name: _input
        for name in (
            "input.html",
            "text.html",
            "email.html",
            "url.html",
            "tel.html",
            "number.html",
            "password.html",
            "hidden.html",
            "date.html",
            "datetime.html",
            "time.html",
            "search.html",
            "color.html",
            "checkbox.html",
            "file.html",
        )
    },
    WIDGETS + "select.html": _select,
    WIDGETS + "checkbox_select.html": _multiple_input,
    WIDGETS + "radio.html": _multiple_input,
    WIDGETS + "multiple_input.html": _multiple_input,
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "clearable_file_input.html": _clearable_file_input,
    **OPTION_TEMPLATES,
}


# --- Labels and help texts, translated once per language ----------------------------
#
# A field's label and help text are lazy translations, translated again each time they are
# read: Django's BoundField reads them several times per field (its label, whether there is
# a help text, aria-describedby, capfirst), about five translations per field and eighty for
# an organisation's profile. BoundField below gives the form's own copy of the field the
# texts of the active language, kept by the process per text and language.

_kept_texts = Kept(max_entries=4096)  # (id, language) -> (the lazy text, its text)


def translated(value):
    """A lazy text as a text of the active language (kept); anything else as it is."""
    if not isinstance(value, Promise):
        return value
    key = (id(value), get_language())
    kept = _kept_texts.get(key)
    if kept is not None and kept[0] is value:  # the same object, not one at its address
        return kept[1]
    return _kept_texts.keep(key, (value, str(value)))[1]


class BoundField(forms.BoundField):
    """Django's BoundField; the field (the form's own copy) first gets its label and help
    text in the active language (translated)."""

    def __init__(self, form, field, name):
        field.label = translated(field.label)
        field.help_text = translated(field.help_text)
        super().__init__(form, field, name)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField

    def __init__(self):
        super().__init__()
        # A project may override a widget's template (templates/django/forms/widgets/);
        # such a template is the engine's to render. Checked once, at the first render.
        self._fast = None

    def _fast_templates(self) -> dict:
        if self._fast is None:
            self._fast = {name: write for name, write in FAST.items() if not self._overridden(name)}
        return self._fast

    def _overridden(self, name: str) -> bool:
        template = self.engine.get_template(name)
        origin = getattr(getattr(template, "template", template), "origin", None)
        path = str(getattr(origin, "name", ""))
        return not path.replace("\\", "/").endswith(f"django/forms/templates/{name}")

    def writes(self, template_name) -> bool:
        """Whether this renderer writes the template itself (Django's own, not overridden)."""
        return template_name in self._fast_templates()

    def render(self, template_name, context, request=None):
        write = self._fast_templates().get(template_name)
        if write is not None and "widget" in context:
            text = write(context["widget"])
            if text is not None:
                return text.strip()
        return super().render(template_name, context, request)


# For the markup written outside a template (conect.core.fields.QuickSelect, the
# form_field tag's lists of choices).
text, attributes, escape = _text, _attrs, _escape
