"""Training sessions: the list, a session's page, announcing, registering and cancelling,
the iCal file, attendance, feedback and the certificate of attendance."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from .. import selectors, services
from ..feedback import feedback_survey, feedback_url
from ..forms import RegisterForm, SessionForm, TrainingFeedbackForm
from ..models import Registration, TrainingSession
from ..pdf import certificate_pdf
from .common import apply_errors, denied, permission_required


@require_safe
def session_list(request):
    return render(
        request,
        "guide/training_list.html",
        {
            "upcoming": selectors.sessions(upcoming=True),
            "past": selectors.sessions(upcoming=False)[:20],
            "my_registrations": (
                selectors.my_registrations(request.user) if request.user.is_authenticated else []
            ),
        },
    )


@require_safe
def session_detail(request, pk):
    session = selectors.session_detail(pk)
    registration = selectors.user_registration(session, request.user)
    can_manage = request.user.has_perm("guide.change_trainingsession", session)
    return render(
        request,
        "guide/training_detail.html",
        {
            "session": session,
            "sections": selectors.session_sections(session),
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration),
            "register_form": RegisterForm(user=request.user),
            "can_register": request.user.has_perm("guide.register_trainingsession", session),
            "can_manage": can_manage,
            "registrations": selectors.session_registrations(session) if can_manage else None,
            "feedback_url": feedback_url(registration, session) if registration else None,
        },
    )


@login_required
def session_form(request, pk=None):
    session = get_object_or_404(TrainingSession, pk=pk) if pk else None
    perm = "guide.change_trainingsession" if session else "guide.add_trainingsession"
    if not request.user.has_perm(perm, session):
        return denied(request)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sections = data.pop("sections")
        try:
            saved = services.session_save(
                actor=request.user, session=session, sections=sections, **data
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error("institution", str(error))
            else:
                apply_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(saved)
    return render(request, "guide/training_form.html", {"form": form, "session": session})


@require_POST
@login_required
def session_cancel(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk)
    if not request.user.has_perm("guide.change_trainingsession", session):
        return denied(request)
    services.session_cancel(actor=request.user, session=session)
    messages.success(request, _("The session is cancelled; everyone registered is told."))
    return redirect(session)


@require_POST
@login_required
def register(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk)
    if not request.user.has_perm("guide.register_trainingsession", session):
        return denied(request)
    form = RegisterForm(request.POST, user=request.user)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(session)
    try:
        registration = services.register(
            session=session,
            user=request.user,
            institution=form.cleaned_data.get("institution"),
            organisation=form.cleaned_data.get("organisation"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("You are registered. A confirmation is on its way by e-mail.")
            )
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on the waiting list, and you will get a "
                    "place by yourself as soon as someone cancels."
                ),
            )
    return redirect(session)


@require_POST
@login_required
def cancel(request, pk):
    registration = get_object_or_404(Registration, session_id=pk, user=request.user)
    try:
        services.cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("guide:training-detail", pk=pk)


@require_safe
def calendar(request, pk):
    """The session as an iCalendar file."""
    session = get_object_or_404(TrainingSession.objects.select_related("institution"), pk=pk)
    url = settings.SITE_URL.rstrip("/") + session.get_absolute_url()
    calendar = Calendar()
    calendar.add("prodid", "-//CONECT//guide//RO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", session.topic)
    event = Event()
    event.add("uid", f"training-{session.pk}@conect")
    event.add("dtstamp", timezone.now())
    event.add("summary", _("Training: %(topic)s") % {"topic": session.topic})
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("location", session.place or session.online_url)
    event.add("description", f"{session.trainers}\n{url}")
    event.add("url", url)
    if session.status == TrainingSession.Status.CANCELLED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    return response


@login_required
def attendance(request, pk):
    """The organiser marks who attended."""
    session = get_object_or_404(TrainingSession.objects.select_related("institution"), pk=pk)
    if not request.user.has_perm("guide.change_trainingsession", session):
        return denied(request)
    if request.method == "POST":
        try:
            count = services.attendance_mark(
                actor=request.user, session=session, present_ids=request.POST.getlist("present")
            )
        except (ValidationError, ValueError) as error:
            for message in getattr(error, "messages", [_("Choose people from the list.")]):
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance is saved: %(count)d person present.",
                    "Attendance is saved: %(count)d people present.",
                    count,
                )
                % {"count": count},
            )
            return redirect("guide:training-attendance", pk=pk)
    confirmed = [
        r
        for r in selectors.session_registrations(session)
        if r.status == Registration.Status.CONFIRMED
    ]
    return render(
        request,
        "guide/training_attendance.html",
        {"session": session, "registrations": confirmed},
    )


def _attendee_registration(request, pk):
    registration = (
        Registration.objects.select_related(
            "session", "session__institution", "session__feedback_survey", "user"
        )
        .filter(session_id=pk, user=request.user)
        .first()
    )
    if registration is None:
        raise PermissionDenied
    return registration


@login_required
def feedback(request, pk):
    """The short built-in feedback form (see guide/feedback.py for the questionnaires)."""
    registration = _attendee_registration(request, pk)
    if not request.user.has_perm("guide.give_training_feedback", registration):
        return denied(request)
    survey = feedback_survey(registration.session)
    if survey is not None:
        # The organiser asks through a questionnaire: one place for every answer.
        return redirect("surveys:answer", pk=survey.pk)
    form = TrainingFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(
                registration=registration, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(registration.session)
    return render(
        request,
        "guide/training_feedback.html",
        {"form": form, "session": registration.session},
    )


@require_safe
@login_required
def certificate(request, pk):
    """The certificate of attendance, for those marked as present only."""
    registration = _attendee_registration(request, pk)
    if not request.user.has_perm("guide.get_certificate", registration):
        return denied(request)
    pdf = certificate_pdf(registration, request.GET.get("language") or get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{registration.session_id}.pdf"'
    )
    return response


@permission_required("guide.view_monitoring")
def coverage(request):
    """Who was trained, by institution, county and region, against the institutions that
    have a relationship official (the same numbers as the dashboard, in full)."""
    return render(
        request,
        "guide/training_coverage.html",
        {"coverage": selectors.training_coverage(limit=500)},
    )
