"""Personal API tokens in the profile: create one with a name (its key is shown once),
see them, revoke one. The API itself lives in registry/api/ and conect/api_urls.py."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ApiTokenCreateForm
from .selectors import api_token_list


def _authorize(request, perm: str, obj=None):
    """None when the user has `perm`; a redirect to sign in for an anonymous visitor;
    403 (PermissionDenied) for a signed-in user without it."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """The user's tokens and the form to create one. After a creation the same page
    shows the new key, this once; it is never stored nor cached."""
    if denied := _authorize(request, "api.manage_tokens"):
        return denied
    form = ApiTokenCreateForm(request.POST or None)
    new_key, new_token = None, None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenCreateForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": api_token_list(user=request.user),
            "new_key": new_key,
            "new_token": new_token,
        },
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, pk: int):
    """Ask for confirmation, then revoke one of the user's own tokens (another user's
    token is not found: 404)."""
    if denied := _authorize(request, "api.manage_tokens"):
        return denied
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    if denied := _authorize(request, "api.revoke_token", token):
        return denied
    if request.method == "POST":
        services.api_token_revoke(token=token, actor=request.user)
        messages.success(
            request,
            _("The token “%(name)s” was revoked: programs that use it can no longer call the API.")
            % {"name": token.name},
        )
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
