"""The address of the client, as the reverse proxies that we run saw it.

Each proxy in front of the site appends the address it was connected from to
X-Forwarded-For. With TRUSTED_PROXY_COUNT = N (environment variable of the same name),
the last N entries were written by our proxies and the Nth from the right is the client;
anything to its left was sent by the client and is never believed. With N = 0 (the
default) the site is reached directly and REMOTE_ADDR is the client.

allauth's rate limits ask for this address through the account adapter
(`AccountAdapter.get_client_ip`) and DRF's throttles compute the same one when
REST_FRAMEWORK["NUM_PROXIES"] equals TRUSTED_PROXY_COUNT; docs/deployment.md says how to
set it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)


def _clean(value: str) -> str | None:
    """The address in canonical form (so that spellings of one IPv6 address count
    together), without a port; None when it is not an address."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: the Nth entry from the right of X-Forwarded-For with N
    trusted proxies (the leftmost when there are fewer entries, as DRF does), else
    REMOTE_ADDR. A client that sends its own X-Forwarded-For only adds entries to the
    left of the ones our proxies write, so it cannot choose the address it is counted
    under."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = trusted_proxy_count()
    if count == 0:
        return _clean(remote_addr) or remote_addr
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if not forwarded:
        return _clean(remote_addr) or remote_addr
    return _clean(forwarded[-min(count, len(forwarded))]) or _clean(remote_addr) or remote_addr
