"""The site's contact, for the footer of every page."""

from django import template
from django.conf import settings

register = template.Library()

DEFAULT_CONTACT_EMAIL = "contact@conect.gov.ro"


def contact_email() -> str:
    return getattr(settings, "SITE_CONTACT_EMAIL", DEFAULT_CONTACT_EMAIL)


@register.simple_tag(name="site_contact_email")
def site_contact_email() -> str:
    """The public contact address (setting SITE_CONTACT_EMAIL)."""
    return contact_email()
