"""How a view checks a permission: the named rules (``rules.add_perm``), asked through
``request.user.has_perm``. Whoever lacks the permission gets the same answer everywhere: a
visitor who is not signed in is sent to sign in (and back), a signed-in user gets 403.

- a class-based view: ``PermissionRequiredMixin`` (rules' mixin: the object is the view's
  ``get_object()`` or ``get_permission_object()``);
- a function view: ``@permission_required("app.perm", fn=...)``, where ``fn(request,
  *args, **kwargs)`` gives the object the permission is asked about (or no ``fn``);
- a function view that reads its object itself:
  ``if not request.user.has_perm("app.perm", obj): return denied(request)``.

(rules' own ``permission_required`` decorator either redirects everybody or raises 403 for
everybody, depending on ``raise_exception``; the decorator below does both, as the mixin.)
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin

__all__ = ["PermissionRequiredMixin", "denied", "permission_required"]


def denied(request):
    """The answer to a user without the permission: 403 for a signed-in user, the sign-in
    page (and back here) for a visitor."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


def permission_required(perm: str, fn=None):
    """Decorate a function view so that it runs only for users with `perm` (on the object
    `fn(request, *args, **kwargs)` returns, when `fn` is given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not request.user.has_perm(perm, obj):
                return denied(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
