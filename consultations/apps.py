from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import map_layer, selectors

        map_layer.register()
        connection_created.connect(
            selectors.register_sqlite_fold, dispatch_uid="consultations-sqlite-fold"
        )
