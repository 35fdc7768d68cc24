"""Every permission of the registry, registered by name. Views, the API and templates
ask these names (`user.has_perm("registry.change_organisation", organisation)`)."""

from . import (  # noqa: F401  (registers permissions)
    calls,
    institutions,
    map,
    organisations,
    profiles,
)
