"""Public debates: requested by associations, scheduled or declined by the institution,
attended by registered people, documented by published minutes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import DebateRequestForm, DebateScheduleForm, MinutesForm, ReasonForm
from ..models import Debate, DebateRequest
from .common import apply_errors, denied, get_consultation, show_errors


@login_required
def debate_request(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.request_debate", consultation):
        return denied(request)
    form = DebateRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_request_create(
                consultation=consultation,
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent. The institution must schedule the debate or say "
                    "publicly why it will not."
                ),
            )
            return redirect(consultation)
    return render(
        request,
        "consultations/debate_request_form.html",
        {"consultation": consultation, "form": form},
    )


@login_required
def debate_schedule(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.schedule_debate", consultation):
        return denied(request)
    form = DebateScheduleForm(
        request.POST if request.method == "POST" else None, consultation=consultation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.debate_schedule(
                consultation=consultation,
                actor=request.user,
                starts_at=data["starts_at"],
                place=data["place"],
                online_url=data["online_url"],
                details=data["details"],
                request_ids=[r.pk for r in data["requests"]],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The public debate is scheduled and announced."))
            return redirect(consultation)
    return render(
        request,
        "consultations/debate_schedule_form.html",
        {
            "consultation": consultation,
            "form": form,
            "notice_days": settings.CONSULTATION_DEBATE_MIN_NOTICE_DAYS,
        },
    )


@login_required
def debate_decline(request, pk):
    debate_request = get_object_or_404(
        DebateRequest.objects.select_related("consultation", "organisation"), pk=pk
    )
    consultation = debate_request.consultation
    if not request.user.has_perm("consultations.schedule_debate", consultation):
        return denied(request)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_request_decline(
                debate_request=debate_request,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request is declined; the reason is public."))
            return redirect(consultation)
    return render(
        request,
        "consultations/debate_decline_form.html",
        {"consultation": consultation, "debate_request": debate_request, "form": form},
    )


@login_required
@require_POST
def debate_register(request, pk):
    debate = get_object_or_404(Debate.objects.select_related("consultation"), pk=pk)
    consultation = debate.consultation
    if not request.user.has_perm("consultations.view_consultation", consultation):
        return denied(request)
    if not request.user.has_perm("consultations.register_debate"):
        return denied(request)
    try:
        if request.POST.get("action") == "unregister":
            services.debate_unregister(debate=debate, user=request.user)
            messages.success(request, _("Your registration is cancelled."))
        else:
            services.debate_register(debate=debate, user=request.user)
            messages.success(request, _("You are registered for the public debate."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(consultation.get_absolute_url() + f"#debate-{debate.pk}")


@login_required
def debate_minutes(request, pk):
    debate = get_object_or_404(Debate.objects.select_related("consultation"), pk=pk)
    consultation = debate.consultation
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return denied(request)
    form = MinutesForm(
        request.POST if request.method == "POST" else None, initial={"minutes": debate.minutes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_publish_minutes(
                debate=debate, actor=request.user, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The minutes are published."))
            return redirect(consultation.get_absolute_url() + f"#debate-{debate.pk}")
    return render(
        request,
        "consultations/debate_minutes_form.html",
        {"consultation": consultation, "debate": debate, "form": form},
    )
