"""Fair sharing of the API: anonymous clients get a modest rate per IP address, signed-in
users (personal token or session) a higher one per account.

The rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (`anonymous`, `authenticated`;
environment variables API_RATE_ANONYMOUS and API_RATE_AUTHENTICATED) and are read on every
request, so a test may change them with override_settings. A refused request gets 429 with
Retry-After; every answer says the limit and what is left (RateLimit-Limit,
RateLimit-Remaining, RateLimit-Reset).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

ANONYMOUS = "anonymous"
AUTHENTICATED = "authenticated"


class ApiRateThrottle(SimpleRateThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        # The scope depends on the request; the rate is chosen in allow_request.
        pass

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = AUTHENTICATED if request.user.is_authenticated else ANONYMOUS
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        remaining = max(self.num_requests - len(self.history), 0)
        reset = int(self.duration - (self.now - self.history[-1])) if self.history else 0
        request._request.api_rate_limit = (self.num_requests, remaining, max(reset, 0))
        return allowed

    def get_cache_key(self, request, view):
        if request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
