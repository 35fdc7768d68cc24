"""Pages of advisory structures: the public list and page, and the staff's forms for
the structure, its seats, calls for members, applications and meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..filters.institutions import StructureFilter
from ..forms.institutions import (
    ApplicationDecisionForm,
    ApplicationForm,
    CallForm,
    MeetingForm,
    SeatEndForm,
    SeatForm,
    StructureForm,
    add_service_errors,
)
from ..models import (
    AdvisoryStructure,
    Meeting,
    MembershipApplication,
    MembershipCall,
    Organisation,
    Seat,
)
from ..rules.institutions import verified_admin_organisation_ids
from ..selectors.structures import (
    application_detail,
    call_applications,
    call_detail,
    organisations_administered_by,
    split_seats,
    structure_list_rows,
    structure_record,
)
from ..selectors.structures import structure_detail as select_structure
from ..services import structures as services
from .institutions import authorize, institution_or_404, list_context

STRUCTURE_DATA = (
    "name",
    "kind",
    "legal_basis",
    "territorial_level",
    "region",
    "county",
    "description",
)


def structure_list(request):
    filterset = StructureFilter(request.GET or None, queryset=structure_list_rows())
    context = list_context(request, filterset, _("Advisory structures"))
    return render(request, "registry/structure_list.html", context)


def structure_detail(request, pk: int):
    try:
        structure = select_structure(pk)
    except AdvisoryStructure.DoesNotExist:
        raise Http404 from None
    current, past = split_seats(structure.seat_list)
    open_calls = [c for c in structure.call_list if c.is_open()]
    return render(
        request,
        "registry/structure_detail.html",
        {
            "structure": structure,
            "current_seats": current,
            "past_seats": past,
            "open_calls": open_calls,
            "other_calls": [c for c in structure.call_list if c not in open_calls],
            "meetings": structure.meeting_list,
        },
    )


def structure_create(request, pk: int):
    institution = institution_or_404(pk)
    if denied := authorize(request, "registry.manage_structures", institution):
        return denied
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.structure_create(
                institution=institution,
                actor=request.user,
                domains=form.cleaned_data["domains"],
                **{f: form.cleaned_data[f] for f in STRUCTURE_DATA},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The advisory structure was added."))
            return redirect(structure)
    return render(
        request,
        "registry/structure_form.html",
        {"form": form, "institution": institution, "structure": None},
    )


def _structure(pk: int) -> AdvisoryStructure:
    structure = structure_record(pk)
    if structure is None:
        raise Http404
    return structure


def structure_edit(request, pk: int):
    structure = _structure(pk)
    if denied := authorize(request, "registry.manage_structures", structure):
        return denied
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.structure_update(
                structure=structure,
                actor=request.user,
                domains=form.cleaned_data["domains"],
                status=form.cleaned_data["status"],
                **{f: form.cleaned_data[f] for f in STRUCTURE_DATA},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(structure)
    return render(
        request,
        "registry/structure_form.html",
        {"form": form, "institution": structure.institution, "structure": structure},
    )


# --- Seats -------------------------------------------------------------------------


def seat_add(request, pk: int):
    structure = _structure(pk)
    if denied := authorize(request, "registry.manage_seats", structure):
        return denied
    form = SeatForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_add(structure=structure, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The seat was added."))
            return redirect(structure)
    return render(
        request, "registry/structure_seat_form.html", {"form": form, "structure": structure}
    )


def seat_end(request, pk: int):
    seat = get_object_or_404(
        Seat.objects.select_related(
            "structure__institution", "organisation", "official__institution"
        ),
        pk=pk,
    )
    if denied := authorize(request, "registry.manage_seats", seat.structure):
        return denied
    form = SeatEndForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(
                seat=seat, actor=request.user, mandate_end=form.cleaned_data["mandate_end"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The mandate was ended."))
            return redirect(seat.structure)
    return render(
        request,
        "registry/structure_seat_end.html",
        {"form": form, "seat": seat, "structure": seat.structure},
    )


# --- Calls for members and applications ------------------------------------------


def call_create(request, pk: int):
    structure = _structure(pk)
    if denied := authorize(request, "registry.create_call", structure):
        return denied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                structure=structure, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call for members was published."))
            return redirect(call)
    return render(
        request,
        "registry/call_form.html",
        {"form": form, "structure": structure, "call": None},
    )


def _call(pk: int) -> MembershipCall:
    try:
        return call_detail(pk)
    except MembershipCall.DoesNotExist:
        raise Http404 from None


def call_edit(request, pk: int):
    call = _call(pk)
    if denied := authorize(request, "registry.change_call", call):
        return denied
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_update(call=call, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(call)
    return render(
        request,
        "registry/call_form.html",
        {"form": form, "structure": call.structure, "call": call},
    )


@require_POST
def call_close(request, pk: int):
    call = _call(pk)
    if denied := authorize(request, "registry.change_call", call):
        return denied
    try:
        services.call_close(call=call, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The call was closed: no more applications are accepted."))
    return redirect(call)


def _apply_context(request, call: MembershipCall, form=None) -> dict:
    """What the call page needs to offer (or explain the refusal of) an application."""
    context = {"call": call, "structure": call.structure, "form": form, "cannot_apply": []}
    if not request.user.is_authenticated:
        return context
    organisations = list(organisations_administered_by(request.user))
    applied = set(
        MembershipApplication.objects.filter(
            call=call, organisation__in=[o.pk for o in organisations]
        ).values_list("organisation_id", flat=True)
    )
    context["applied"] = [o for o in organisations if o.pk in applied]
    verified = set(verified_admin_organisation_ids(request.user))
    context["cannot_apply"] = [
        o for o in organisations if o.pk not in verified and o.pk not in applied
    ]
    can_apply = [o for o in organisations if o.pk in verified and o.pk not in applied]
    if form is None and can_apply and request.user.has_perm("registry.apply_to_call", call):
        form = ApplicationForm(
            organisations=Organisation.objects.filter(pk__in=[o.pk for o in can_apply])
        )
    context["form"] = form
    return context


def call_detail_page(request, pk: int):
    call = _call(pk)
    return render(request, "registry/call_detail.html", _apply_context(request, call))


@require_POST
def call_apply(request, pk: int):
    call = _call(pk)
    if denied := authorize(request, "registry.apply_to_call", call):
        return denied
    # Every organisation the user administers is accepted here, so that a forged choice
    # of a pending or suspended one gets the service's clear refusal.
    form = ApplicationForm(request.POST, organisations=organisations_administered_by(request.user))
    if form.is_valid():
        try:
            services.application_submit(
                call=call,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The application of %(name)s was sent. You will receive an e-mail with "
                    "the institution's decision."
                )
                % {"name": form.cleaned_data["organisation"].name},
            )
            return redirect(call)
    return render(
        request, "registry/call_detail.html", _apply_context(request, call, form), status=400
    )


def call_applications_page(request, pk: int):
    call = _call(pk)
    if denied := authorize(request, "registry.view_applications", call):
        return denied
    return render(
        request,
        "registry/call_applications.html",
        {
            "call": call,
            "structure": call.structure,
            "applications": list(call_applications(call)),
        },
    )


def application_decide(request, pk: int):
    try:
        application = application_detail(pk)
    except MembershipApplication.DoesNotExist:
        raise Http404 from None
    if denied := authorize(request, "registry.decide_application", application):
        return denied
    form = ApplicationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accept = data["decision"] == ApplicationDecisionForm.ACCEPT
        try:
            services.application_decide(
                application=application,
                actor=request.user,
                accept=accept,
                reason=data["reason"],
                role=data["role"] or Seat.Role.MEMBER,
                mandate_start=data["mandate_start"],
                mandate_end=data["mandate_end"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if accept:
                message = _("%(name)s was accepted and now holds a seat.")
            else:
                message = _("The application of %(name)s was rejected.")
            messages.success(request, message % {"name": application.organisation.name})
            return redirect("registry:call-applications", pk=application.call_id)
    return render(
        request,
        "registry/call_application_decide.html",
        {"form": form, "application": application, "call": application.call},
    )


# --- Meetings ----------------------------------------------------------------------


def meeting_create(request, pk: int):
    structure = _structure(pk)
    if denied := authorize(request, "registry.add_meeting", structure):
        return denied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                structure=structure, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was added."))
            return redirect("registry:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "registry/meeting_form.html",
        {"form": form, "structure": structure, "meeting": None},
    )


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("structure__institution"), pk=pk)


def meeting_detail(request, pk: int):
    meeting = _meeting(pk)
    return render(
        request,
        "registry/meeting_detail.html",
        {"meeting": meeting, "structure": meeting.structure},
    )


def meeting_edit(request, pk: int):
    meeting = _meeting(pk)
    if denied := authorize(request, "registry.manage_structures", meeting.structure):
        return denied
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "registry/meeting_form.html",
        {"form": form, "structure": meeting.structure, "meeting": meeting},
    )
