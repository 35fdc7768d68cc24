"""Pages of organisations (NGOs), their members, the coordinators' verification queue
and the domains of activity. Thin: check the named permission, parse the form, call one
service or selector, render or redirect."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conect.core.pagination import CappedCountPaginator

from ..filters.organisations import OrganisationFilter
from ..forms.organisations import (
    ClaimForm,
    DomainForm,
    InvitationForm,
    MemberRoleForm,
    OrganisationForm,
    StatusChangeForm,
)
from ..models import Domain, Organisation, OrganisationInvitation, OrganisationMembership
from ..selectors import organisations as selectors
from ..selectors import profiles as profile_selectors
from ..selectors.reference import domains_version
from ..services import domains as domain_services
from ..services import organisations as services

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
# A rendered page of results is replaced as soon as an organisation changes (its key
# follows them); the timeout only bounds what the cache keeps.
ORGANISATION_RESULTS_TIMEOUT = 60 * 5
QUEUE_PAGE_SIZE = 25


def authorize(request, perm: str, obj=None):
    """None when the user has `perm`; else a redirect to sign in for an anonymous
    visitor, and 403 (PermissionDenied) for a signed-in user."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields when it names them,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _error_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _organisation(pk: int, *, with_authors: bool = False) -> Organisation:
    organisation = selectors.organisation_detail(pk, with_authors=with_authors)
    if organisation is None:
        raise Http404
    return organisation


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Public pages ------------------------------------------------------------------


def organisation_list(request):
    """Search and filter the public registry; every parameter is in the address, so a
    result can be shared. A page of results is kept rendered in the shared cache under
    what it shows (`selectors.organisation_list_key`): asked again before any
    organisation changed, it costs one small query."""
    # Always bound, so that the default ordering applies to the unfiltered list too.
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisation_list_public())
    per_page = _page_size(request)
    key = selectors.organisation_list_key(request.get_full_path(), get_language())
    results = cache.get(key)
    if results is None:
        rows = selectors.organisation_list_rows(filterset.qs)
        # Counted up to a cap: a broad filter of a million organisations says "more than".
        page = CappedCountPaginator(rows, per_page).get_page(request.GET.get("page"))
        results = render_to_string(
            "registry/includes/organisation_results.html",
            {
                "page_obj": page,
                "page_range": page.paginator.get_elided_page_range(page.number),
                "ellipsis": Paginator.ELLIPSIS,
                "organisations": page.object_list,
                "per_page": per_page,
                "page_sizes": PAGE_SIZES,
            },
            request,
        )
        cache.set(key, results, ORGANISATION_RESULTS_TIMEOUT)
    return render(
        request,
        "registry/organisation_list.html",
        {
            "filter": filterset,
            "results": mark_safe(results),
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "is_filtered": any(request.GET.get(name) for name in (*filterset.filters, "per_page")),
            # The filter form is a cached fragment: a new version when a domain changes.
            "filters_version": domains_version(),
        },
    )


def organisation_detail(request, pk: int):
    # Who created it and who changed its status are shown to the coordinators only.
    organisation = _organisation(
        pk, with_authors=request.user.has_perm("registry.verify_organisation")
    )
    if denied := authorize(request, "registry.view_organisation", organisation):
        return denied
    user = request.user
    can_manage = user.has_perm("registry.manage_members", organisation)
    can_verify = user.has_perm("registry.verify_organisation", organisation)
    claimable = (
        organisation.status == Organisation.Status.IMPORTED
        and not organisation.memberships.filter(
            role=OrganisationMembership.Role.ADMIN, user__is_active=True
        ).exists()
    )
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "domains": organisation.domains.all(),
            "seats": selectors.organisation_seats(organisation),
            "members": selectors.organisation_members(organisation) if can_manage else None,
            "can_change": user.has_perm("registry.change_organisation", organisation),
            "can_manage": can_manage,
            "can_verify": can_verify,
            "can_view_history": user.has_perm("registry.view_history", organisation),
            "actions": services.allowed_actions(organisation) if can_verify else [],
            "claimable": claimable,
            # Issue 18: where it works, federations, branches, projects, events, calls.
            **profile_selectors.organisation_profile(organisation),
            "can_add_activity": user.has_perm("registry.add_activity", organisation),
        },
    )


# --- Registering an organisation ---------------------------------------------------


def organisation_create(request):
    if denied := authorize(request, "registry.add_organisation"):
        return denied
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            organisation = services.organisation_create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The profile of %(name)s was created. It is pending verification: the "
                    "coordinators will check it and you will receive an e-mail."
                )
                % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "registry/organisation_form.html", {"form": form, "creating": True})


def organisation_claim(request):
    if denied := authorize(request, "registry.claim_organisation"):
        return denied
    initial = {
        "fiscal_code": request.GET.get("fiscal_code", "")[:14],
        "registry_number": request.GET.get("registry_number", "")[:40],
        "organisation": request.GET.get("organisation", "")[:12] or None,
    }
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_claim(
                actor=request.user,
                fiscal_code=form.cleaned_data["fiscal_code"],
                registry_number=form.cleaned_data["registry_number"],
                organisation_id=form.cleaned_data["organisation"],
                proof=form.cleaned_data["proof"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "You claimed %(name)s. It is pending verification: the coordinators will "
                    "check your claim and you will receive an e-mail."
                )
                % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "registry/organisation_claim.html", {"form": form})


def organisation_claim_proof(request, pk: int):
    """Issue 18: the document sent with a claim by registry number, for the coordinators
    who verify the claim."""
    organisation = get_object_or_404(Organisation.objects.only("pk", "claim_proof"), pk=pk)
    if denied := authorize(request, "registry.verify_organisation", organisation):
        return denied
    if not organisation.claim_proof:
        raise Http404
    name = organisation.claim_proof.name.rsplit("/", 1)[-1]
    return FileResponse(
        organisation.claim_proof.open("rb"), as_attachment=True, filename=f"claim-{pk}-{name}"
    )


def organisation_edit(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.change_organisation", organisation):
        return denied
    lock_identity = organisation.status != Organisation.Status.PENDING and not (
        request.user.has_perm("registry.verify_organisation")
    )
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        lock_identity=lock_identity,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(organisation)
    return render(
        request,
        "registry/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False},
    )


# --- Members and invitations -------------------------------------------------------


def organisation_members(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.manage_members", organisation):
        return denied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.organisation_invite(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("registry:organisation-members", pk=organisation.pk)
    members = list(selectors.organisation_members(organisation))
    return render(
        request,
        "registry/organisation_members.html",
        {
            "organisation": organisation,
            "members": members,
            "admin_count": sum(m.role == OrganisationMembership.Role.ADMIN for m in members),
            "invitations": selectors.organisation_open_invitations(organisation),
            "form": form,
            # Translated once, not once for each member's drop-down list.
            "roles": [(value, str(label)) for value, label in OrganisationMembership.Role.choices],
        },
    )


def _membership(request, pk: int, membership_pk: int, perm: str = "registry.manage_members"):
    """The membership and its organisation, after checking `perm` on the organisation in
    the address: a membership of another organisation is not found."""
    organisation = _organisation(pk)
    if denied := authorize(request, perm, organisation):
        return None, denied
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user", "organisation"),
        pk=membership_pk,
        organisation=organisation,
    )
    return membership, None


@require_POST
def organisation_member_role(request, pk: int, membership_pk: int):
    membership, denied = _membership(request, pk, membership_pk)
    if denied:
        return denied
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.organisation_member_set_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": membership.user.name, "role": membership.get_role_display()},
            )
    return redirect("registry:organisation-members", pk=pk)


@require_POST
def organisation_member_remove(request, pk: int, membership_pk: int):
    membership, denied = _membership(request, pk, membership_pk)
    if denied:
        return denied
    try:
        services.organisation_member_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member.") % {"name": membership.user.name},
        )
    return redirect("registry:organisation-members", pk=pk)


@require_POST
def organisation_leave(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.leave_organisation", organisation):
        return denied
    membership = get_object_or_404(
        OrganisationMembership, organisation=organisation, user=request.user
    )
    try:
        services.organisation_member_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("You left %(name)s.") % {"name": organisation.name})
    return redirect("registry:my-organisations")


@require_POST
def organisation_invitation_revoke(request, pk: int, invitation_pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.manage_members", organisation):
        return denied
    invitation = get_object_or_404(
        OrganisationInvitation, pk=invitation_pk, organisation=organisation
    )
    try:
        services.organisation_invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
        )
    return redirect("registry:organisation-members", pk=pk)


def invitation_accept(request, token: str):
    """The page the invitation e-mail links to: accept or decline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        invitation = services.open_invitation_for(token, request.user)
        error = None
    except ValidationError as exc:
        invitation, error = None, exc
    if request.method == "POST" and invitation is not None:
        decline = request.POST.get("action") == "decline"
        try:
            if decline:
                services.organisation_invitation_decline(token=token, user=request.user)
            else:
                membership = services.organisation_invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            error = exc
        else:
            if decline:
                messages.info(request, _("You declined the invitation."))
                return redirect("registry:my-organisations")
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect(membership.organisation)
    return render(
        request,
        "registry/organisation_invitation.html",
        {"invitation": invitation, "errors": error.messages if error else []},
        status=200 if invitation is not None else 400,
    )


def my_organisations(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitations = selectors.invitations_for_user(request.user)
    for invitation in invitations:
        invitation.token = services.invitation_token(invitation)
    return render(
        request,
        "registry/organisation_mine.html",
        {
            "memberships": selectors.memberships_of_user(request.user),
            "invitations": invitations,
            "can_add": request.user.has_perm("registry.add_organisation"),
        },
    )


# --- Coordinators ------------------------------------------------------------------


def verification_queue(request):
    if denied := authorize(request, "registry.view_verification_queue"):
        return denied
    status = request.GET.get("status", Organisation.Status.PENDING)
    if status not in selectors.QUEUE_STATUSES:
        status = Organisation.Status.PENDING
    counts = selectors.queue_counts()
    paginator = Paginator(selectors.verification_queue(status), QUEUE_PAGE_SIZE)
    paginator.count = counts[status]  # the tab's count: not counted a second time
    page = paginator.get_page(request.GET.get("page"))
    organisations = selectors.attach_duplicates(list(page.object_list))
    for organisation in organisations:
        organisation.actions = services.allowed_actions(organisation)
    tabs = [
        (value, label, counts[value])
        for value, label in Organisation.Status.choices
        if value in selectors.QUEUE_STATUSES
    ]
    return render(
        request,
        "registry/verification_queue.html",
        {
            "status": status,
            "status_label": Organisation.Status(status).label,
            "tabs": tabs,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "ellipsis": Paginator.ELLIPSIS,
            "organisations": organisations,
        },
    )


STATUS_MESSAGES = {
    "verify": lambda name: _("%(name)s was verified.") % {"name": name},
    "reject": lambda name: _("%(name)s was rejected.") % {"name": name},
    "suspend": lambda name: _("%(name)s was suspended.") % {"name": name},
    "reinstate": lambda name: _("%(name)s was reinstated.") % {"name": name},
}


@require_POST
def organisation_status(request, pk: int):
    """Verify, reject, suspend or reinstate (from the queue or the organisation's page)."""
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.verify_organisation", organisation):
        return denied
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This action is not available."))
    else:
        action = form.cleaned_data["action"]
        try:
            services.organisation_change_status(
                organisation=organisation,
                action=action,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, STATUS_MESSAGES[action](organisation.name))
    return redirect(_safe_next(request, organisation.get_absolute_url()))


def organisation_history(request, pk: int):
    organisation = _organisation(pk)
    if denied := authorize(request, "registry.view_history", organisation):
        return denied
    return render(
        request,
        "registry/organisation_history.html",
        {
            "organisation": organisation,
            **selectors.organisation_history(organisation),
            # Issue 18: its projects, events, calls for volunteers, federations, branches.
            "profile_entries": profile_selectors.organisation_profile_history(organisation),
        },
    )


# --- Domains of activity -----------------------------------------------------------


def domain_list(request):
    can_change = request.user.has_perm("registry.change_domain")
    return render(
        request,
        "registry/domain_list.html",
        {
            "domains": selectors.domains_with_counts(include_inactive=can_change),
            "can_change": can_change,
            "can_add": request.user.has_perm("registry.add_domain"),
        },
    )


def _domain_form(request, *, domain: Domain | None):
    form = DomainForm(request.POST or None, instance=domain)
    if request.method == "POST" and form.is_valid():
        try:
            if domain is None:
                domain_services.domain_create(actor=request.user, **form.cleaned_data)
            else:
                domain_services.domain_update(
                    domain=domain, actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The domain was saved."))
            return redirect("registry:domain-list")
    return render(request, "registry/domain_form.html", {"form": form, "domain": domain})


def domain_create(request):
    if denied := authorize(request, "registry.add_domain"):
        return denied
    return _domain_form(request, domain=None)


def domain_edit(request, pk: int):
    domain = get_object_or_404(Domain, pk=pk)
    if denied := authorize(request, "registry.change_domain", domain):
        return denied
    return _domain_form(request, domain=domain)
