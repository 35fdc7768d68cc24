from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public REST API's shared parts: personal tokens, authentication, throttling,
    pagination, formats, conditional requests and the JSON error shape."""

    name = "conect.api"
    label = "api"
    verbose_name = _("Public API")

    def ready(self):
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
