"""Pages of relationship officials: the public list and page, the staff's forms, and
the pages an official reaches from the links e-mailed to them (no sign-in needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..filters.institutions import OfficialFilter
from ..forms.institutions import ConsentForm, OfficialForm, add_service_errors
from ..models import RelationshipOfficial
from ..selectors.officials import (
    official_by_consent_token,
    official_by_removal_token,
    official_list_rows,
)
from ..selectors.officials import official_detail as select_official
from ..selectors.structures import split_seats
from ..services import officials as services
from .institutions import authorize, institution_or_404, list_context

OFFICIAL_DATA = ("name", "position", "email", "phone", "language")


def official_list(request):
    filterset = OfficialFilter(request.GET or None, queryset=official_list_rows())
    context = list_context(request, filterset, _("Relationship officials"))
    return render(request, "registry/official_list.html", context)


def official_detail(request, pk: int):
    """Public once the official agreed; before that (or after removal) only the staff of
    the institution and the coordinators see it, and others find nothing."""
    try:
        official = select_official(pk)
    except RelationshipOfficial.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("registry.view_official", official):
        raise Http404
    current, past = split_seats(official.seat_list)
    return render(
        request,
        "registry/official_detail.html",
        {"official": official, "current_seats": current, "past_seats": past},
    )


def official_create(request, pk: int):
    institution = institution_or_404(pk)
    if denied := authorize(request, "registry.manage_officials", institution):
        return denied
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in OFFICIAL_DATA}
        try:
            official = services.official_create(
                institution=institution,
                actor=request.user,
                domains=form.cleaned_data["domains"],
                counties=form.cleaned_data["counties"],
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s was added. They will be published once they agree, through the "
                    "link we have e-mailed to %(email)s."
                )
                % {"name": official.name, "email": official.email},
            )
            return redirect(institution)
    return render(
        request,
        "registry/official_form.html",
        {"form": form, "institution": institution, "official": None},
    )


def _official(pk: int) -> RelationshipOfficial:
    return get_object_or_404(RelationshipOfficial.objects.select_related("institution"), pk=pk)


def official_edit(request, pk: int):
    official = _official(pk)
    if denied := authorize(request, "registry.manage_officials", official):
        return denied
    original_email = official.email
    form = OfficialForm(request.POST or None, instance=official)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in OFFICIAL_DATA}
        try:
            updated = services.official_update(
                official=official,
                actor=request.user,
                domains=form.cleaned_data["domains"],
                counties=form.cleaned_data["counties"],
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if updated.email != original_email:
                messages.success(
                    request,
                    _(
                        "The changes were saved. The official must agree again, through the "
                        "link sent to %(email)s."
                    )
                    % {"email": updated.email},
                )
            else:
                messages.success(request, _("The changes were saved."))
            return redirect("registry:official-detail", pk=official.pk)
    return render(
        request,
        "registry/official_form.html",
        {"form": form, "institution": official.institution, "official": official},
    )


def official_remove(request, pk: int):
    official = _official(pk)
    if denied := authorize(request, "registry.manage_officials", official):
        return denied
    if request.method == "POST":
        services.official_remove(official=official, actor=request.user)
        messages.success(
            request,
            _("%(name)s was removed from the registry.") % {"name": official.name},
        )
        return redirect(official.institution)
    return render(request, "registry/official_confirm_remove.html", {"official": official})


@require_POST
def official_resend(request, pk: int):
    official = _official(pk)
    if denied := authorize(request, "registry.manage_officials", official):
        return denied
    try:
        services.official_request_consent_again(official=official, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s.") % {"email": official.email},
        )
    return redirect(official.institution)


# --- Links e-mailed to the official ----------------------------------------------


def _token_problem(request, error: ValidationError):
    status = 410 if error.code == "expired" else 404
    return render(
        request,
        "registry/official_link_invalid.html",
        {"message": error.messages[0]},
        status=status,
    )


@never_cache
def official_consent(request, token: str):
    """The official agrees to publication or declines it. Opening the link changes
    nothing (mail scanners open links); only the button does."""
    try:
        official = official_by_consent_token(token)
    except ValidationError as error:
        return _token_problem(request, error)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["answer"] == ConsentForm.AGREE:
                official = services.official_give_consent(official=official)
            else:
                official = services.official_decline_consent(official=official)
            return render(request, "registry/official_consent_done.html", {"official": official})
    return render(request, "registry/official_consent.html", {"official": official})


@never_cache
def official_self_remove(request, token: str):
    """The official removes themselves from the registry with their personal link."""
    try:
        official = official_by_removal_token(token)
    except ValidationError as error:
        return _token_problem(request, error)
    if request.method == "POST":
        official = services.official_remove(official=official, by_self=True)
        return render(request, "registry/official_self_remove_done.html", {"official": official})
    return render(request, "registry/official_self_remove.html", {"official": official})
