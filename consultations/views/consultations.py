"""Pages of consultations: the list, a consultation with its clock, and what civil
servants do with it (create, edit, change state, articles, documents)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from conect.accounts.rules import is_verified
from conect.core.versions import version
from registry.selectors.reference import domains_version
from registry.stats import stats_version

from .. import selectors, services
from ..filters import ConsultationFilter
from ..forms import (
    ArticlesForm,
    ConsultationForm,
    DocumentForm,
    RecommendationForm,
    TransitionForm,
    VersionForm,
)
from ..models import Channel, Consultation, Document
from ..workflow import TRANSITIONS, transitions_from
from .common import apply_errors, denied, get_consultation

LIST_PAGE_SIZE = 20
RECOMMENDATIONS_PAGE_SIZE = 50
# How long a rendered list of recommendations stays in the cache. The services bump its
# version when a recommendation changes; the timeout bounds what they cannot see (an
# author who deletes their account, an organisation renamed).
RECOMMENDATIONS_CACHE_TIMEOUT = 120


FOLLOWABLE_FILTERS = ("domain", "county", "region", "institution")


def consultation_list(request):
    """Consultations with filters (state, institution, domain, region, county, kind,
    dates) and search; drafts only for their institution and coordinators."""
    queryset = selectors.consultation_list_visible(request.user)
    filterset = ConsultationFilter(request.GET or None, queryset=queryset)
    results = filterset.qs if filterset.is_bound else queryset
    follow_targets = []
    if filterset.is_bound and not filterset.is_valid():
        results = queryset.none()
    elif filterset.is_bound:
        # The list filtered by a domain, a county, a region or an institution is the page
        # of its consultations: it offers to follow them.
        follow_targets = [
            filterset.form.cleaned_data[name]
            for name in FOLLOWABLE_FILTERS
            if filterset.form.cleaned_data.get(name)
        ]
    page = Paginator(results, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("consultations.add_consultation"),
            "follow_targets": follow_targets,
            # The filter form is a cached fragment: new versions when a domain changes or
            # a consultation is published (its institution joins the choices).
            "filters_version": f"{domains_version()}.{stats_version()}",
        },
    )


def consultation_detail(request, pk):
    """A consultation: its clock, documents, articles, recommendations (paginated),
    debates and timeline, and what the visitor may do with it."""
    try:
        consultation = selectors.consultation_detail(pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not user.has_perm("consultations.view_consultation", consultation):
        return denied(request)
    recommendations = selectors.recommendations_visible(consultation, user)
    article_id = request.GET.get("article")
    articles = list(consultation.articles.all())
    selected_article = None
    if article_id == "general":
        recommendations = recommendations.filter(article__isnull=True)
    elif article_id and article_id.isdigit():
        selected_article = next((a for a in articles if a.pk == int(article_id)), None)
        recommendations = recommendations.filter(article_id=int(article_id))
    channel_filter = request.GET.get("channel", "")
    text_filter = request.GET.get("q", "").strip()[:200]
    recommendations = selectors.recommendations_filtered(
        recommendations, channel=channel_filter, text=text_filter
    )
    page = Paginator(recommendations, RECOMMENDATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    # A visitor who is not signed in sees only published recommendations and may neither
    # edit nor report one (the rules say so: both need an account), so their list is the
    # same for all of them: it is kept rendered under the recommendations' version and
    # read again only when one changes.
    cached_list = None
    if not user.is_authenticated:
        cached_list = [
            consultation.pk,
            version(selectors.recommendations_version_key(consultation.pk)),
            consultation.synthesis_published_at,
            request.get_full_path(),
            get_language(),
        ]
    else:
        for recommendation in page.object_list:
            recommendation.consultation = consultation
            recommendation.can_edit = user.has_perm(
                "consultations.change_recommendation", recommendation
            )
            recommendation.can_report = user.has_perm(
                "consultations.report_recommendation", recommendation
            )
    can_recommend = user.has_perm("consultations.add_recommendation", consultation)
    form = RecommendationForm(consultation=consultation, user=user) if can_recommend else None
    if form is not None:
        form.fields["article"].queryset = consultation.articles.all()
        form.fields["article"].choices = [("", form.fields["article"].empty_label)] + [
            (a.pk, a.label) for a in articles
        ]
    transitions = [
        t for t in transitions_from(consultation.state) if user.has_perm(t.permission, consultation)
    ]
    perms = {
        name: user.has_perm(f"consultations.{name}", consultation)
        for name in (
            "manage_consultation",
            "change_consultation",
            "delete_consultation",
            "manage_documents",
            "change_articles",
            "moderate_consultation",
            "answer_recommendations",
            "request_debate",
            "schedule_debate",
            "record_recommendation",
            "record_debate_request",
        )
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "articles": articles,
            "selected_article": selected_article,
            "article_filter": article_id or "",
            "channels": Channel.choices,
            "channel_filter": channel_filter if channel_filter in Channel.values else "",
            "text_filter": text_filter,
            "page": page,
            "cached_list": cached_list,
            "cached_list_timeout": RECOMMENDATIONS_CACHE_TIMEOUT,
            "query": query.urlencode(),
            "form": form,
            "transitions": transitions,
            "perms": perms,
            "can_register": user.has_perm("consultations.register_debate"),
            "is_verified": is_verified(user),
        },
    )


@login_required
def consultation_create(request):
    """A civil servant opens a draft consultation for their institution."""
    if not request.user.has_perm("consultations.add_consultation"):
        return denied(request)
    form = ConsultationForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_create(
                actor=request.user,
                institution=data["institution"],
                title=data["title"],
                summary=data["summary"],
                kind=data["kind"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                planned_adoption_on=data["planned_adoption_on"],
                planned_endorsement_on=data.get("planned_endorsement_on"),
                announcement_channels=data.get("announcement_channels", []),
                domains=data["domains"],
                counties=data["counties"],
                regions=data["regions"],
                is_national=data["is_national"],
                contact_official=data["contact_official"],
                is_urgent=data["is_urgent"],
                urgency_justification=data["urgency_justification"],
                moderation=data["moderation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The draft consultation is saved. Add its documents, then publish it."),
            )
            return redirect(consultation)
    return render(
        request, "consultations/consultation_form.html", {"form": form, "consultation": None}
    )


@login_required
def consultation_edit(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.change_consultation", consultation):
        return denied(request)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None, instance=consultation, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.consultation_update(consultation=consultation, actor=request.user, **changes)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect(consultation)
    consultation.refresh_from_db()
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


@login_required
def consultation_delete(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.delete_consultation", consultation):
        return denied(request)
    if request.method == "POST":
        services.consultation_delete(consultation=consultation, actor=request.user)
        messages.success(request, _("The draft is deleted."))
        return redirect("consultations:list")
    return render(request, "consultations/consultation_delete.html", {"consultation": consultation})


@login_required
def consultation_transition(request, pk, name):
    """Confirm and make one transition; only the allowed ones are offered."""
    consultation = get_consultation(pk)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return denied(request)
    form = TransitionForm(request.POST if request.method == "POST" else None, transition=transition)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_transition(
                consultation=consultation,
                actor=request.user,
                name=name,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, transition.done_message)
            return redirect(consultation)
    if request.method == "GET" and not request.user.has_perm(transition.permission, consultation):
        messages.error(request, services.transition_refusal(consultation, transition))
        return redirect(consultation)
    return render(
        request,
        "consultations/consultation_transition.html",
        {"consultation": consultation, "transition": transition, "form": form},
    )


@login_required
def articles_edit(request, pk):
    """The draft's text, split into articles that recommendations can point to."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.change_articles", consultation):
        return denied(request)
    initial = "\n\n".join(
        f"{article.label}\n{article.text}" for article in consultation.articles.all()
    )
    form = ArticlesForm(
        request.POST if request.method == "POST" else None, initial={"text": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            articles = services.consultation_set_articles(
                consultation=consultation, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The text is saved: %(count)d article.",
                    "The text is saved: %(count)d articles.",
                    len(articles),
                )
                % {"count": len(articles)},
            )
            return redirect(consultation)
    return render(
        request, "consultations/articles_form.html", {"consultation": consultation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.manage_documents", consultation):
        return denied(request)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                consultation=consultation,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is published."))
            return redirect(consultation)
    return render(
        request,
        "consultations/document_form.html",
        {"consultation": consultation, "form": form, "document": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_version_add(request, pk, document_pk):
    consultation = get_consultation(pk)
    document = get_object_or_404(Document, pk=document_pk, consultation=consultation)
    if not request.user.has_perm("consultations.manage_documents", consultation):
        return denied(request)
    form = VersionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_add_version(
                document=document,
                actor=request.user,
                file=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)d of “%(title)s” is published.")
                % {"number": version.number, "title": document.title},
            )
            return redirect(consultation)
    return render(
        request,
        "consultations/document_form.html",
        {"consultation": consultation, "form": form, "document": document},
    )
