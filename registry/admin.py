"""The registry in the administration site: each part keeps its admin in its own module."""

from . import admin_institutions, admin_organisations  # noqa: F401  (registers the models)
