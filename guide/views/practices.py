"""The library of good practices and the innovation network."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from registry.models import Institution, Organisation

from .. import selectors, services
from ..forms import JoinNetworkForm, PracticeFilterForm, PracticeForm
from ..models import NetworkMember, PracticeDocument
from .common import apply_errors, denied, file_response, permission_required

PAGE_SIZE = 20


@require_safe
def practice_list(request):
    """The public, searchable library (filters: words, domain, method, county, region)."""
    form = PracticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    practices = selectors.practices_public(
        text=filters.get("q") or "",
        domain=filters.get("domain"),
        method=filters.get("method"),
        county=filters.get("county"),
    )
    if filters.get("region"):
        practices = practices.filter(county__region=filters["region"])
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    can_publish = request.user.has_perm("guide.publish_practice")
    return render(
        request,
        "guide/practice_list.html",
        {
            "form": form,
            "page": page,
            "waiting": selectors.practices_waiting() if can_publish else None,
            "can_add": request.user.has_perm("guide.add_practice"),
        },
    )


@require_safe
def practice_detail(request, pk):
    practice = selectors.practice_detail(pk)
    if not request.user.has_perm("guide.view_practice", practice):
        return denied(request)
    return render(
        request,
        "guide/practice_detail.html",
        {
            "practice": practice,
            "can_publish": request.user.has_perm("guide.publish_practice", practice),
        },
    )


@login_required
@permission_required("guide.add_practice")
def practice_create(request):
    form = PracticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document, document_title = data.pop("document"), data.pop("document_title")
        try:
            practice = services.practice_submit(
                actor=request.user,
                documents=[(document_title, document)] if document else [],
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error("institution", str(error))
        else:
            messages.success(
                request,
                _("Thank you: the coordinators will read the practice and publish it."),
            )
            return redirect(practice)
    return render(request, "guide/practice_form.html", {"form": form})


@require_POST
@permission_required("guide.publish_practice")
def practice_decide(request, pk):
    practice = selectors.practice_detail(pk)
    publish = request.POST.get("decision") == "publish"
    try:
        services.practice_decide(actor=request.user, practice=practice, publish=publish)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The practice is published.") if publish else _("The practice is not published."),
        )
    return redirect(practice)


@require_safe
def practice_document(request, pk, document_pk):
    document = get_object_or_404(
        PracticeDocument.objects.select_related("practice"), pk=document_pk, practice_id=pk
    )
    if not request.user.has_perm("guide.view_practice", document.practice):
        return denied(request)
    return file_response(document.file, document.file.name.rsplit("/", 1)[-1])


@require_safe
def network(request):
    """The innovation network: its members and its events (training sessions marked as
    the network's)."""
    members = list(selectors.network_members())
    return render(
        request,
        "guide/network.html",
        {
            "institutions": [m for m in members if m.institution_id],
            "organisations": [m for m in members if m.organisation_id],
            "events": selectors.sessions(upcoming=True, network=True),
            "past_events": selectors.sessions(upcoming=False, network=True)[:10],
            "join_form": (
                JoinNetworkForm(user=request.user)
                if request.user.has_perm("guide.join_network")
                else None
            ),
        },
    )


@require_POST
@login_required
@permission_required("guide.join_network")
def network_join(request):
    form = JoinNetworkForm(request.POST, user=request.user)
    if form.is_valid():
        key = form.cleaned_data["body"]
        body_id = int(key[1:])
        try:
            member = services.network_join(
                actor=request.user,
                institution=Institution.objects.get(pk=body_id) if key[0] == "i" else None,
                organisation=Organisation.objects.get(pk=body_id) if key[0] == "o" else None,
            )
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(name)s joined the network.") % {"name": member.body.name}
            )
    else:
        messages.error(request, _("Choose an institution or an organisation you administer."))
    return redirect("guide:network")


@require_POST
@login_required
def network_leave(request, pk):
    member = get_object_or_404(NetworkMember, pk=pk)
    try:
        services.network_leave(actor=request.user, member=member)
    except PermissionDenied:
        return denied(request)
    messages.success(request, _("It left the network."))
    return redirect("guide:network")
