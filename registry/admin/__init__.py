"""The registry in the administration site: organisations (and domains) in one module,
institutions (and their staff, officials and advisory structures) in the other."""

from . import (  # noqa: F401  (registers the models)
    institutions,
    organisations,
    profiles,
)
