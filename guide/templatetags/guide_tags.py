"""{% guide_link "key" %}: a help link to the guide's section `key` (see guide/help.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..help import help_label

register = template.Library()


@register.simple_tag
def guide_link(key: str, css_class: str = "guide-help-link small"):
    """A link "ⓘ How ... works (participation guide)" to the section `key`; no query."""
    return format_html(
        '<a class="{}" href="{}"><span aria-hidden="true">ⓘ</span> {} '
        '<span class="text-muted">({})</span></a>',
        css_class,
        reverse("guide:section", args=[key]),
        help_label(key),
        _("participation guide"),
    )
