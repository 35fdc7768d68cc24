"""Pages of public institutions and their staff. Thin: check the named permission,
parse the form, call one service or selector, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..filters.institutions import InstitutionFilter
from ..forms.institutions import (
    InstitutionForm,
    JoinForm,
    StaffDecisionForm,
    StaffRoleForm,
    add_service_errors,
)
from ..models import Institution, InstitutionStaff
from ..selectors.institutions import (
    institution_detail as select_institution,
)
from ..selectors.institutions import (
    institution_list_rows,
    institution_staff,
    institution_unpublished_officials,
    institutions_of_user,
    staff_request_of,
)
from ..selectors.reference import domains_version
from ..services import institutions as services

PAGE_SIZE = 25


def authorize(request, perm: str, obj=None):
    """None when the user has `perm`; else a redirect to sign in for an anonymous
    visitor, and 403 (PermissionDenied) for a signed-in user."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page (the last one when the number is too large, the first when
    it is not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def list_context(request, filterset, title: str) -> dict:
    """A list page's context: the filterset and the requested page of its results."""
    page = paginate(request, filterset.qs)
    return {
        "filter": filterset,
        "page_obj": page,
        "object_list": page.object_list,
        "title": title,
        # The filter form is a cached fragment: a new version when a domain changes.
        "filters_version": domains_version(),
    }


# --- Public pages ------------------------------------------------------------------


def institution_list(request):
    filterset = InstitutionFilter(request.GET or None, queryset=institution_list_rows())
    context = list_context(request, filterset, _("Public institutions"))
    return render(request, "registry/institution_list.html", context)


def institution_detail(request, pk: int):
    try:
        institution = select_institution(pk)
    except Institution.DoesNotExist:
        raise Http404 from None
    context = {
        "institution": institution,
        "my_request": staff_request_of(request.user, institution),
    }
    if request.user.has_perm("registry.manage_officials", institution):
        context["unpublished_officials"] = list(institution_unpublished_officials(institution))
    return render(request, "registry/institution_detail.html", context)


# --- Coordinators and institution administrators ----------------------------------


def institution_create(request):
    if denied := authorize(request, "registry.add_institution"):
        return denied
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The institution was added to the registry."))
            return redirect(institution)
    return render(request, "registry/institution_form.html", {"form": form, "institution": None})


def institution_or_404(pk: int) -> Institution:
    """One institution, its own columns (its forms and the pages of its staff)."""
    return get_object_or_404(Institution, pk=pk)


def institution_edit(request, pk: int):
    institution = institution_or_404(pk)
    if denied := authorize(request, "registry.change_institution", institution):
        return denied
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_update(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The institution's data was saved."))
            return redirect(institution)
    return render(
        request, "registry/institution_form.html", {"form": form, "institution": institution}
    )


# --- Staff -------------------------------------------------------------------------


def institution_join(request, pk: int):
    institution = institution_or_404(pk)
    if denied := authorize(request, "registry.join_institution", institution):
        return denied
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_request_join(
                institution=institution, user=request.user, position=form.cleaned_data["position"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request was sent. You will receive an e-mail once an administrator "
                    "of the institution or a coordinator has answered it."
                ),
            )
            return redirect("registry:my-institutions")
    return render(
        request, "registry/institution_join.html", {"form": form, "institution": institution}
    )


def institution_staff_page(request, pk: int):
    institution = institution_or_404(pk)
    if denied := authorize(request, "registry.manage_staff", institution):
        return denied
    staff = institution_staff(institution)
    return render(
        request,
        "registry/institution_staff.html",
        {
            "institution": institution,
            "pending": staff["pending"],
            "members": staff["members"],
            "role_choices": InstitutionStaff.Role.choices,
        },
    )


def _staff_row(request, pk: int, staff_pk: int) -> tuple[Institution, InstitutionStaff]:
    """The institution and one of its staff rows: a row of another institution is not
    found, so a forged form cannot reach it."""
    institution = get_object_or_404(Institution, pk=pk)
    membership = get_object_or_404(
        InstitutionStaff.objects.select_related("user", "institution"),
        pk=staff_pk,
        institution=institution,
    )
    return institution, membership


def _staff_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def institution_staff_decide(request, pk: int, staff_pk: int):
    institution, membership = _staff_row(request, pk, staff_pk)
    if denied := authorize(request, "registry.manage_staff", institution):
        return denied
    form = StaffDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("registry:institution-staff", pk=institution.pk)
    try:
        if form.cleaned_data["decision"] == StaffDecisionForm.APPROVE:
            services.staff_approve(
                membership=membership,
                actor=request.user,
                role=form.cleaned_data["role"] or InstitutionStaff.Role.MEMBER,
            )
            messages.success(
                request, _("%(name)s is now on the staff.") % {"name": membership.user}
            )
        else:
            services.staff_reject(
                membership=membership, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The request of %(name)s was refused.") % {"name": membership.user}
            )
    except ValidationError as error:
        _staff_error(request, error)
    return redirect("registry:institution-staff", pk=institution.pk)


@require_POST
def institution_staff_role(request, pk: int, staff_pk: int):
    institution, membership = _staff_row(request, pk, staff_pk)
    if denied := authorize(request, "registry.manage_staff", institution):
        return denied
    form = StaffRoleForm(request.POST)
    if form.is_valid():
        try:
            services.staff_set_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            _staff_error(request, error)
        else:
            messages.success(
                request, _("The role of %(name)s was changed.") % {"name": membership.user}
            )
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("registry:institution-staff", pk=institution.pk)


@require_POST
def institution_staff_remove(request, pk: int, staff_pk: int):
    institution, membership = _staff_row(request, pk, staff_pk)
    if denied := authorize(request, "registry.manage_staff", institution):
        return denied
    try:
        services.staff_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        _staff_error(request, error)
    else:
        messages.success(
            request, _("%(name)s is no longer on the staff.") % {"name": membership.user}
        )
    return redirect("registry:institution-staff", pk=institution.pk)


@login_required
@require_POST
def institution_leave(request, pk: int):
    """The user leaves an institution's staff, or withdraws their request to join."""
    membership = get_object_or_404(InstitutionStaff, institution_id=pk, user=request.user)
    try:
        services.staff_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        _staff_error(request, error)
    else:
        messages.success(request, _("You are no longer linked to this institution."))
    return redirect("registry:my-institutions")


@login_required
def my_institutions(request):
    return render(
        request,
        "registry/institution_mine.html",
        {"memberships": institutions_of_user(request.user)},
    )
