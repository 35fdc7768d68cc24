import os

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject


def platform(request):
    """What every page needs: the languages and the site URL."""
    return {
        "SITE_URL": settings.SITE_URL,
        "LANGUAGES": settings.LANGUAGES,
    }


# --- The CSRF token of a page ---------------------------------------------------------
#
# Django masks the session's CSRF secret anew for every page (against BREACH): 32
# characters drawn one at a time with secrets.choice, 32 reads of the system's random
# source, then a character-by-character cipher with str.index. Every page with a form (the
# language switcher, the sign-out button) pays it: more than the rest of the account menu.
# Here the mask's characters come from one read, each byte below 248 (= 4 x 62) giving one
# of the 62 characters with equal chance, and the cipher is Django's: the token is one
# CsrfViewMiddleware unmasks and checks as its own.

_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_UNIFORM_BELOW = 256 - 256 % _COUNT


def _mask() -> str:
    drawn: list[str] = []
    while len(drawn) < CSRF_SECRET_LENGTH:
        drawn += [_CHARS[byte % _COUNT] for byte in os.urandom(48) if byte < _UNIFORM_BELOW]
    return "".join(drawn[:CSRF_SECRET_LENGTH])


def masked_token(request) -> str:
    """django.middleware.csrf.get_token(request), its mask drawn as above. A request
    without a secret yet (or with one Django would not have written) goes to get_token,
    which also has the cookie set."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if not (
        isinstance(secret, str)
        and len(secret) == CSRF_SECRET_LENGTH
        and secret.isascii()
        and secret.isalnum()
    ):
        return get_token(request)
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie's expiry is renewed
    mask = _mask()
    index = _INDEX
    cipher = "".join(
        _CHARS[(index[s] + index[m]) % _COUNT] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def csrf(request):
    """{{ csrf_token }} (Django's csrf context processor's name), masked by masked_token
    once per page, when a template first asks for it."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
