"""Following domains, counties, regions and institutions; e-mail preferences; the list
of notifications; unsubscribing in one click without signing in."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from registry.models import OrganisationMembership

from .. import notifications, selectors, services
from ..forms import FollowForm, PreferenceForm
from ..models import Follow, NotificationPreference
from .common import denied

NOTIFICATIONS_PAGE_SIZE = 30


@login_required
def follows(request):
    """What the user (and the organisations they administer) follow, and how often
    they want e-mail."""
    if not request.user.has_perm("consultations.follow"):
        return denied(request)
    preference = NotificationPreference.objects.filter(user=request.user).first()
    preference_form = PreferenceForm(
        instance=preference or NotificationPreference(user=request.user)
    )
    admin_of = OrganisationMembership.objects.filter(
        user=request.user, role=OrganisationMembership.Role.ADMIN
    ).values("organisation_id")
    rows = (
        Follow.objects.filter(Q(user=request.user) | Q(organisation__in=admin_of))
        .select_related("domain", "county", "region", "institution", "consultation", "organisation")
        .order_by("organisation__name", "created_at")
    )
    return render(
        request,
        "consultations/follows.html",
        {
            "follows": rows,
            "form": FollowForm(user=request.user),
            "preference_form": preference_form,
        },
    )


@login_required
@require_POST
def follow(request):
    if not request.user.has_perm("consultations.follow"):
        return denied(request)
    form = FollowForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.follow_create(
                actor=request.user,
                target=form.cleaned_data["target"],
                organisation=form.cleaned_data["organisation"],
            )
        except PermissionDenied:
            return denied(request)
        messages.success(
            request,
            _("You now follow %(target)s.") % {"target": form.cleaned_data["target"]},
        )
    else:
        for error in form.non_field_errors() or [_("Choose what to follow.")]:
            messages.error(request, error)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("consultations:follows")


@login_required
@require_POST
def unfollow(request, pk):
    follow_row = get_object_or_404(Follow.objects.select_related("organisation"), pk=pk)
    try:
        services.follow_delete(actor=request.user, follow=follow_row)
    except PermissionDenied:
        return denied(request)
    messages.success(request, _("You no longer follow %(target)s.") % {"target": follow_row.target})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("consultations:follows")


@login_required
@require_POST
def preference(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your e-mail preference is saved."))
    else:
        messages.error(request, _("Choose how often you want e-mail."))
    return redirect("consultations:follows")


@login_required
def notification_list(request):
    """The user's notifications, newest first, with the unread ones marked."""
    page = Paginator(selectors.notifications_for(request.user), NOTIFICATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/notifications.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def notifications_read(request):
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()] or None
    services.notifications_mark_read(user=request.user, notification_ids=ids)
    return redirect("consultations:notifications")


@csrf_exempt  # the token in the URL is the credential; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from an e-mail stops all e-mail about consultations, without signing in.
    A POST (RFC 8058 one-click, or the button on the page) may undo it."""
    user_id = notifications.user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "consultations/unsubscribe.html", {"invalid": True}, status=400)
    resubscribe = request.method == "POST" and request.POST.get("action") == "resubscribe"
    frequency = (
        NotificationPreference.Frequency.IMMEDIATE
        if resubscribe
        else NotificationPreference.Frequency.NEVER
    )
    services.preference_set(user=user, frequency=frequency)
    return render(
        request,
        "consultations/unsubscribe.html",
        {"resubscribed": resubscribe, "token": token, "email": user.email},
    )
