"""Permission checks for function views that behave like the rest of CONECT:
an anonymous visitor is sent to sign in, a signed-in user without permission gets 403.

(rules' own `permission_required` decorator does one or the other for everybody,
depending on `raise_exception`; its `PermissionRequiredMixin` for class-based views
already behaves like this one.)
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url


def permission_required(perm: str, fn=None):
    """Decorate a view so that it runs only for users with `perm`.

    `fn(request, *args, **kwargs)` returns the object the permission is asked about
    (e.g. the organisation from the URL), or None for a permission without an object.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if request.user.has_perm(perm, obj):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                raise PermissionDenied
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))

        return wrapped

    return decorator
