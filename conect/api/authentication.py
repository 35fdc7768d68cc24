"""Personal API tokens in the Authorization header: `Token <key>` or `Bearer <key>`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .selectors import api_token_for_key
from .services import api_token_touch

KEYWORDS = ("token", "bearer")

MALFORMED_HEADER = _(
    "The Authorization header is malformed: send “Token <key>” with your personal API token."
)
INVALID_TOKEN = _("This API token is not valid, or it has been revoked.")
INACTIVE_USER = _("The account that owns this API token is disabled.")


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate a request by a personal API token (see conect.api.models.ApiToken).

    A request without an Authorization header is anonymous; a request with a wrong,
    revoked or malformed token is refused with 401, never served as anonymous."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_HEADER, code="malformed_header")
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                MALFORMED_HEADER, code="malformed_header"
            ) from exc
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN, code="invalid_token")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_USER, code="inactive_user")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
