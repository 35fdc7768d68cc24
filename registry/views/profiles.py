"""Pages of the richer profile of an organisation (issue 18): where it works, its links and
contact person, its federations and coalitions, its branches, and its projects, events and
calls for volunteers with their public lists. Thin: check the named permission, parse the
form, call one service or selector, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..filters.activities import ActivityFilter
from ..forms.profiles import ActivityForm, AffiliationForm, BranchForm, OrganisationProfileForm
from ..models import OrganisationActivity, OrganisationAffiliation, OrganisationBranch
from ..selectors import profiles as selectors
from ..selectors.reference import domains_version
from ..services import profiles as services
from .autocomplete import _check, _suggestions
from .organisations import _organisation, add_service_errors, authorize

Kind = OrganisationActivity.Kind
ACTIVITY_PAGE_SIZE = 25
# The public list of each kind: its address name and its heading.
LIST_URL_NAMES = {
    Kind.PROJECT: "registry:project-list",
    Kind.EVENT: "registry:event-list",
    Kind.VOLUNTEERING: "registry:volunteering-list",
}


# --- The profile -------------------------------------------------------------------


def organisation_profile_edit(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update_profile(
                organisation=organisation, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(organisation)
    return render(
        request,
        "registry/organisation_profile_form.html",
        {"form": form, "organisation": organisation},
    )


# --- Federations and coalitions ----------------------------------------------------


def organisation_affiliations(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    form = AffiliationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = services.affiliation_add(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added to the profile.") % {"name": affiliation.display_name},
            )
            return redirect("registry:organisation-affiliations", pk=organisation.pk)
    return render(
        request,
        "registry/organisation_affiliations.html",
        {
            "organisation": organisation,
            "affiliations": selectors.organisation_profile(organisation)["affiliations"],
            "form": form,
        },
    )


@require_POST
def affiliation_remove(request, pk: int, affiliation_pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    affiliation = get_object_or_404(
        OrganisationAffiliation.objects.select_related("parent"),
        pk=affiliation_pk,
        organisation=organisation,
    )
    services.affiliation_remove(affiliation=affiliation, actor=request.user)
    messages.success(
        request,
        _("%(name)s was taken off the profile.") % {"name": affiliation.display_name},
    )
    return redirect("registry:organisation-affiliations", pk=organisation.pk)


@require_GET
def affiliation_options(request, pk: int):
    """The public organisations this one may say it belongs to (JSON suggestions)."""
    organisation = _organisation(pk)
    _check(request, "registry.change_organisation", organisation)
    return _suggestions(request, selectors.affiliation_parent_choices(organisation), str)


# --- Branches ----------------------------------------------------------------------


def organisation_branches(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    form = BranchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            branch = services.branch_add(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The branch %(name)s was added.") % {"name": branch.name})
            return redirect("registry:organisation-branches", pk=organisation.pk)
    return render(
        request,
        "registry/organisation_branches.html",
        {
            "organisation": organisation,
            "branches": selectors.organisation_profile(organisation)["branches"],
            "form": form,
        },
    )


@require_POST
def branch_remove(request, pk: int, branch_pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    branch = get_object_or_404(OrganisationBranch, pk=branch_pk, organisation=organisation)
    services.branch_remove(branch=branch, actor=request.user)
    messages.success(request, _("The branch %(name)s was removed.") % {"name": branch.name})
    return redirect("registry:organisation-branches", pk=organisation.pk)


# --- Projects, events and calls for volunteers -------------------------------------


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404
    return kind


def activity_create(request, pk: int, kind: str):
    organisation = _organisation(pk)
    kind = _kind(kind)
    if denied := authorize(request, "registry.add_activity", organisation):
        return denied
    form = ActivityForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                organisation=organisation, actor=request.user, kind=kind, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” was published.") % {"title": activity.title})
            return redirect(activity)
    return render(
        request,
        "registry/activity_form.html",
        {"form": form, "organisation": organisation, "kind": kind, "kind_label": Kind(kind).label},
    )


def _activity(pk: int) -> OrganisationActivity:
    activity = selectors.activity_detail(pk)
    if activity is None:
        raise Http404
    return activity


def activity_detail(request, pk: int):
    activity = _activity(pk)
    if denied := authorize(request, "registry.view_activity", activity):
        return denied
    return render(
        request,
        "registry/activity_detail.html",
        {
            "activity": activity,
            "organisation": activity.organisation,
            "list_url": reverse(LIST_URL_NAMES[activity.kind]),
            "can_change": request.user.has_perm("registry.change_activity", activity),
        },
    )


def activity_edit(request, pk: int):
    activity = _activity(pk)
    if denied := authorize(request, "registry.change_activity", activity):
        return denied
    form = ActivityForm(request.POST or None, instance=activity, kind=activity.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(activity)
    return render(
        request,
        "registry/activity_form.html",
        {
            "form": form,
            "organisation": activity.organisation,
            "activity": activity,
            "kind": activity.kind,
            "kind_label": activity.get_kind_display(),
            "can_delete": request.user.has_perm("registry.delete_activity", activity),
        },
    )


@require_POST
def activity_delete(request, pk: int):
    activity = _activity(pk)
    if denied := authorize(request, "registry.delete_activity", activity):
        return denied
    organisation = activity.organisation
    services.activity_delete(activity=activity, actor=request.user)
    messages.success(request, _("“%(title)s” was removed.") % {"title": activity.title})
    return redirect(organisation)


LIST_TITLES = {
    Kind.PROJECT: lambda: _("Projects of organisations"),
    Kind.EVENT: lambda: _("Events of organisations"),
    Kind.VOLUNTEERING: lambda: _("Calls for volunteers"),
}


def activity_list(request, kind: str):
    """The public list of one kind, searchable and filtered by domain, place and dates;
    every parameter is in the address, so a result can be shared."""
    filterset = ActivityFilter(request.GET, queryset=selectors.activity_list_public(kind))
    page = Paginator(filterset.qs, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/activity_list.html",
        {
            "kind": kind,
            "title": LIST_TITLES[kind](),
            "list_url": reverse(LIST_URL_NAMES[kind]),
            "filter": filterset,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "ellipsis": Paginator.ELLIPSIS,
            "activities": page.object_list,
            "is_filtered": any(request.GET.get(name) for name in filterset.filters),
            "filters_version": domains_version(),
        },
    )


def project_list(request):
    return activity_list(request, Kind.PROJECT)


def event_list(request):
    return activity_list(request, Kind.EVENT)


def volunteering_list(request):
    return activity_list(request, Kind.VOLUNTEERING)
