"""Public debates: requested by associations, scheduled or declined by the institution,
attended by registered people, documented by published minutes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import (
    DebateRecordForm,
    DebateRegistrationForm,
    DebateRequestForm,
    DebateRequestRecordForm,
    DebateScheduleForm,
    MinutesForm,
    ReasonForm,
)
from ..models import Debate, DebateRegistration, DebateRequest
from .common import apply_errors, denied, get_consultation, show_errors


@login_required
def debate_request(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.request_debate", consultation):
        return denied(request)
    form = DebateRequestForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        consultation=consultation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_request_create(
                consultation=consultation,
                organisation=form.cleaned_data["organisation"],
                institution=form.cleaned_data.get("institution"),
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
                capacity=data["capacity"],
                minutes_per_speaker=data["minutes_per_speaker"],
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
        DebateRequest.objects.select_related("consultation", "organisation", "institution"), pk=pk
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
            form = DebateRegistrationForm(request.POST)
            form.is_valid()
            data = form.cleaned_data
            registration = services.debate_register(
                debate=debate,
                user=request.user,
                mode=data.get("mode") or DebateRegistration.Mode.IN_PERSON,
                wants_to_speak=data.get("wants_to_speak", False),
            )
            if registration.status == DebateRegistration.Status.WAITING:
                messages.success(
                    request,
                    _(
                        "The debate is full: you are on the waiting list, and will move up "
                        "if someone cancels."
                    ),
                )
            else:
                messages.success(request, _("You are registered for the public debate."))
    except ValidationError as error:
        show_errors(request, error)
    if request.POST.get("next") == "debate":
        return redirect("consultations:debate-detail", debate.pk)
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


def debate_detail(request, pk):
    """A debate: where and when, the sign-up (in person or online, to speak or not), the
    order of speaking with each speaker's time, the waiting list, the attendance, the
    minutes and the recording; and, for the institution, running it."""
    try:
        debate = selectors.debate_detail(pk)
    except Debate.DoesNotExist:
        raise Http404 from None
    consultation = debate.consultation
    user = request.user
    if not user.has_perm("consultations.view_consultation", consultation):
        return denied(request)
    can_run = user.has_perm("consultations.run_debate", debate)
    registrations = list(debate.registrations.all())
    own = next((r for r in registrations if r.user_id == user.pk), None)
    confirmed = [r for r in registrations if r.status == DebateRegistration.Status.CONFIRMED]
    waiting = [r for r in registrations if r.status == DebateRegistration.Status.WAITING]
    return render(
        request,
        "consultations/debate_detail.html",
        {
            "consultation": consultation,
            "debate": debate,
            "speakers": selectors.speaking_order(debate),
            "confirmed_count": len(confirmed),
            "online_count": sum(r.mode == DebateRegistration.Mode.ONLINE for r in confirmed),
            "waiting": waiting,
            "own": own,
            "can_run": can_run,
            "can_record": can_run
            and user.has_perm("consultations.record_recommendation", consultation),
            "can_register": user.has_perm("consultations.register_debate"),
            "form": DebateRegistrationForm(),
        },
    )


def _debate_to_run(request, pk):
    debate = get_object_or_404(Debate.objects.select_related("consultation__institution"), pk=pk)
    if not request.user.has_perm("consultations.run_debate", debate):
        raise PermissionDenied
    return debate


@login_required
@require_POST
def debate_speaker_spoken(request, pk):
    """The staff mark a speaker as having spoken; the last one ends the debate."""
    registration = get_object_or_404(
        DebateRegistration.objects.select_related("debate__consultation"), pk=pk
    )
    if not request.user.has_perm("consultations.run_debate", registration.debate):
        return denied(request)
    try:
        debate = services.debate_mark_spoken(registration=registration, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if debate.ended_at:
            messages.success(request, _("Every registered speaker has spoken: the debate ended."))
        else:
            messages.success(request, _("Recorded."))
    return redirect("consultations:debate-detail", registration.debate_id)


@login_required
@require_POST
def debate_end(request, pk):
    try:
        debate = _debate_to_run(request, pk)
    except PermissionDenied:
        return denied(request)
    try:
        services.debate_end(debate=debate, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The debate ended."))
    return redirect("consultations:debate-detail", debate.pk)


@login_required
def debate_record(request, pk):
    """The staff record the attendance, the recording and the minutes' dates."""
    try:
        debate = _debate_to_run(request, pk)
    except PermissionDenied:
        return denied(request)
    form = DebateRecordForm(
        request.POST if request.method == "POST" else None,
        debate=debate,
        initial={
            "attendance_count": debate.attendance_count,
            "organisations": list(debate.attending_organisations.values_list("pk", flat=True)),
            "attending_others": debate.attending_others,
            "recording_url": debate.recording_url,
            "minutes_drawn_up_on": debate.minutes_drawn_up_on,
            "minutes_archived_on": debate.minutes_archived_on,
            "minutes_archive_reference": debate.minutes_archive_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.debate_record(
                debate=debate,
                actor=request.user,
                attendance_count=data["attendance_count"],
                organisations=data["organisations"],
                attending_others=data["attending_others"],
                recording_url=data["recording_url"],
                minutes_drawn_up_on=data["minutes_drawn_up_on"],
                minutes_archived_on=data["minutes_archived_on"],
                minutes_archive_reference=data["minutes_archive_reference"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The record of the debate is saved."))
            return redirect("consultations:debate-detail", debate.pk)
    return render(
        request,
        "consultations/debate_record_form.html",
        {"consultation": debate.consultation, "debate": debate, "form": form},
    )


@login_required
def debate_request_record(request, pk):
    """The staff record a request for a debate received by letter, e-mail, phone..."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.record_debate_request", consultation):
        return denied(request)
    form = DebateRequestRecordForm(
        request.POST if request.method == "POST" else None, consultation=consultation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.debate_request_create(
                consultation=consultation,
                actor=request.user,
                organisation=data["organisation"],
                institution=data["institution"],
                channel=data["channel"],
                requested_on=data["requested_on"],
                motivation=data["motivation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request for a debate is recorded."))
            return redirect(consultation.get_absolute_url() + "#debates-heading")
    return render(
        request,
        "consultations/debate_request_record_form.html",
        {"consultation": consultation, "form": form},
    )
