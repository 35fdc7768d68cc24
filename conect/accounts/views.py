from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from . import exports, selectors, services
from .deletion_forms import AccountDeleteForm
from .profile_forms import ProfileForm


def _remember_language(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def set_language(request):
    """Switch the language; a signed-in user's choice is stored on their account.

    Only the languages CONECT offers are accepted: Django's own view would also set the
    cookie for any language it has a catalogue for.
    """
    if request.method == "POST" and request.POST.get("language") not in dict(settings.LANGUAGES):
        post = request.POST.copy()
        post.pop("language", None)
        request.POST = post
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language:
        # An unknown language was already ignored by Django's view; nothing to store.
        with suppress(ValidationError):
            services.user_set_language(user=request.user, language=language)
    return response


@login_required
def profile(request):
    initial = {"name": request.user.name, "preferred_language": request.user.preferred_language}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_profile(
            user=request.user,
            name=form.cleaned_data["name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        # The confirmation is shown in the language just chosen, which the browser keeps.
        with translation.override(user.preferred_language):
            messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.preferred_language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def data_export(request):
    """The page that explains the data download; ?format=json or ?format=csv downloads."""
    file_format = request.GET.get("format")
    if file_format not in ("json", "csv"):
        return render(request, "accounts/data_export.html")
    data = selectors.user_data_export(user=request.user)
    stamp = timezone.localdate().isoformat()
    if file_format == "json":
        response = HttpResponse(exports.data_as_json(data), content_type="application/json")
        filename = f"conect-data-{stamp}.json"
    else:
        response = HttpResponse(exports.data_as_csv_zip(data), content_type="application/zip")
        filename = f"conect-data-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    """Delete one's own account, after the password (and the second factor's code)."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    sole_admin_of = selectors.user_sole_admin_of(user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete_account(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "sole_admin_of": sole_admin_of})
