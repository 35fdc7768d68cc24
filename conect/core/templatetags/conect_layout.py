"""Template tags of the layout: only `{% record_url %}` is left, while its last uses go."""

from django import template

from conect.core.addresses import record_url, record_urls  # noqa: F401 - for templates' tags

register = template.Library()

register.simple_tag(record_url, name="record_url")
