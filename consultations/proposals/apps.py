from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "consultations.proposals"
    label = "proposals"
    verbose_name = _("Citizens' proposals")

    def ready(self):
        from . import map_layer

        map_layer.register()
