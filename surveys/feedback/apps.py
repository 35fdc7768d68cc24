from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "surveys.feedback"
    label = "feedback"
    verbose_name = _("Feedback on public services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import map_layer

        map_layer.register()
