"""CONECT's own versions of third-party middleware."""

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's csp decorators (csp_update, csp_replace, csp_exempt...) leave on a response.
_PER_RESPONSE = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace") for suffix in ("", "_ro")
)
_SETTING = {False: "CONTENT_SECURITY_POLICY", True: "CONTENT_SECURITY_POLICY_REPORT_ONLY"}
_HEADER = {False: HEADER, True: HEADER_REPORT_ONLY}
_EXEMPT = {False: "_csp_exempt", True: "_csp_exempt_ro"}
_policies: dict[bool, tuple[str, tuple[str, ...]]] = {}


def _settings_policy(report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The header the settings give every response, and the path prefixes left without it:
    built once (django-csp builds it again for every response)."""
    found = _policies.get(report_only)
    if found is None:
        setting = getattr(settings, _SETTING[report_only], None) or {}
        prefixes = tuple(setting.get("EXCLUDE_URL_PREFIXES", None) or ())
        found = _policies[report_only] = (build_policy(report_only=report_only), prefixes)
    return found


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting in _SETTING.values():
        _policies.clear()


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, which writes the policy of the settings from a string built
    once. A response whose view changed its policy (the csp decorators) or whose page used
    a nonce goes through django-csp as it is."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        for report_only in (False, True):
            policy, excluded = _settings_policy(report_only)
            header = _HEADER[report_only]
            if (
                policy
                and header not in response
                and getattr(response, _EXEMPT[report_only], False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
