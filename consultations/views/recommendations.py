"""Recommendations: sending and editing them, reporting, moderation, dispositions and
the published synthesis (page, CSV, PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from conect.accounts.rules import is_verified
from conect.core.exports import CSVWriter, plain_text
from conect.core.versions import version
from registry.models import Institution
from registry.rules.predicates import is_institution_staff

from .. import selectors, services
from ..forms import AnswerForm, ModerationForm, ReasonForm, RecommendationForm
from ..models import Consultation, Recommendation
from ..synthesis_pdf import pdf_language, render_synthesis_pdf, stored_synthesis_pdf
from .common import apply_errors, csv_delimiter, denied, get_consultation, show_errors

QUEUE_PAGE_SIZE = 50
ANSWER_PAGE_SIZE = 100


def _window_closed_or_denied(request, consultation):
    """After the window, a verified user gets a clear message instead of a 403."""
    if (
        is_verified(request.user)
        and consultation.is_public
        and not is_institution_staff(request.user, Institution(pk=consultation.institution_id))
    ):
        try:
            services.check_accepting(consultation)
        except ValidationError as error:
            show_errors(request, error)
            return redirect(consultation)
    return denied(request)


@login_required
def recommend(request, pk):
    """Send a recommendation, as oneself or for an organisation; each form is saved once."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.add_recommendation", consultation):
        return _window_closed_or_denied(request, consultation)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        consultation=consultation,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_submit(
                consultation=consultation,
                author=request.user,
                text=data["text"],
                submission_key=data["submission_key"],
                organisation=data["organisation"],
                article=data["article"],
                attachment=data["attachment"],
                hide_name=data["hide_name"],
            )
        except services.DuplicateSubmission as duplicate:
            messages.info(request, duplicate.messages[0])
            return redirect(duplicate.recommendation.get_absolute_url())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if recommendation.status == Recommendation.Status.PENDING:
                messages.success(
                    request,
                    _(
                        "Thank you. Your recommendation is saved and will appear once the "
                        "moderators approve it."
                    ),
                )
            else:
                messages.success(request, _("Thank you. Your recommendation is published."))
            return redirect(recommendation.get_absolute_url())
    return render(
        request,
        "consultations/recommendation_form.html",
        {"consultation": consultation, "form": form, "recommendation": None},
    )


@login_required
def recommendation_edit(request, pk):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("consultation__institution"), pk=pk
    )
    consultation = recommendation.consultation
    if not request.user.has_perm("consultations.change_recommendation", recommendation):
        if recommendation.author_id == request.user.pk:
            if recommendation.status == Recommendation.Status.HIDDEN:
                messages.error(
                    request, _("A recommendation hidden by the moderators cannot be edited.")
                )
                return redirect(consultation)
            return _window_closed_or_denied(request, consultation)
        return denied(request)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        consultation=consultation,
        user=request.user,
        recommendation=recommendation,
        initial={
            "text": recommendation.text,
            "article": recommendation.article_id,
            "hide_name": recommendation.hide_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_update(
                recommendation=recommendation,
                actor=request.user,
                text=data["text"],
                article=data["article"],
                hide_name=data.get("hide_name"),
                attachment=data["attachment"],
                remove_attachment=data.get("remove_attachment", False),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your recommendation is saved."))
            return redirect(recommendation.get_absolute_url())
    return render(
        request,
        "consultations/recommendation_form.html",
        {"consultation": consultation, "form": form, "recommendation": recommendation},
    )


def recommendation_attachment(request, pk):
    """A recommendation's attachment, to whoever may see the recommendation (anyone while
    it is published; its author, the moderators and the coordinators once it is hidden),
    always as a download, never shown in the browser."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("consultation"), pk=pk)
    if not request.user.has_perm("consultations.view_recommendation", recommendation):
        return denied(request)
    if not recommendation.attachment:
        raise Http404
    try:
        content = recommendation.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        content,
        as_attachment=True,
        filename=recommendation.attachment_name or recommendation.attachment.name,
        content_type=recommendation.attachment_type or "application/octet-stream",
    )
    # Never kept by a shared cache: the recommendation may be hidden later.
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def recommendation_report(request, pk):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("consultation", "author", "organisation"), pk=pk
    )
    if not request.user.has_perm("consultations.report_recommendation", recommendation):
        return denied(request)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_report(
                recommendation=recommendation,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Thank you. The moderators will review your report."))
        return redirect(recommendation.get_absolute_url())
    return render(
        request,
        "consultations/recommendation_report.html",
        {"recommendation": recommendation, "form": form},
    )


@login_required
def moderation_queue(request, pk):
    """The moderators' queue: most reported first; tabs for pending and hidden."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.moderate_consultation", consultation):
        return denied(request)
    tab = request.GET.get("tab", "reported")
    if tab not in selectors.MODERATION_TABS:
        tab = "reported"
    queue = selectors.moderation_queue(consultation, tab)
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/moderation_queue.html",
        {
            "consultation": consultation,
            "tab": tab,
            "tabs": _queue_tabs(),
            "counts": selectors.moderation_counts(consultation),
            "page": page,
        },
    )


def _queue_tabs():
    return [
        ("reported", _("Reported")),
        ("pending", _("Awaiting approval")),
        ("hidden", _("Hidden")),
        ("all", _("All")),
    ]


@login_required
@require_POST
def moderate(request, pk):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("consultation__institution"), pk=pk
    )
    consultation = recommendation.consultation
    if not request.user.has_perm("consultations.moderate_consultation", consultation):
        return denied(request)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a moderation action."))
    else:
        try:
            entry = services.recommendation_moderate(
                recommendation=recommendation,
                actor=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("The moderation is recorded (%(action)s, recommendation #%(number)d).")
                % {"number": recommendation.pk, "action": entry.get_action_display()},
            )
    tab = request.POST.get("tab", "reported")
    if tab not in selectors.MODERATION_TABS:
        tab = "reported"
    return redirect(reverse("consultations:moderation", args=[consultation.pk]) + f"?tab={tab}")


@login_required
def moderation_log(request, pk):
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.moderate_consultation", consultation):
        return denied(request)
    page = Paginator(selectors.moderation_log(consultation), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "consultations/moderation_log.html", {"consultation": consultation, "page": page}
    )


@login_required
def answers(request, pk):
    """Record dispositions, one by one or in bulk; identical recommendations are grouped
    so they can share a justification."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.answer_recommendations", consultation):
        if request.user.has_perm("consultations.manage_consultation", consultation):
            messages.error(
                request,
                _("Dispositions are recorded while the recommendations are under analysis."),
            )
            return redirect(consultation)
        return denied(request)
    unanswered_only = request.GET.get("show") != "all"
    queue = selectors.answer_queue(consultation, unanswered_only=unanswered_only)
    page = Paginator(queue, ANSWER_PAGE_SIZE).get_page(request.GET.get("page"))
    form = None
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("recommendations") if pk.isdigit()]
        form = AnswerForm(request.POST, recommendation_ids=ids)
        if form.is_valid():
            try:
                count = services.recommendations_answer(
                    consultation=consultation,
                    actor=request.user,
                    recommendation_ids=form.cleaned_data["recommendations"],
                    disposition=form.cleaned_data["disposition"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Disposition recorded for %(count)d recommendation.",
                        "Disposition recorded for %(count)d recommendations.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(request.get_full_path())
    identical = (
        Recommendation.objects.filter(
            consultation=consultation, status=Recommendation.Status.PUBLISHED, disposition=""
        )
        .values("text")
        .annotate(n=Count("pk"), first=Min("pk"))
        .filter(n__gt=1)
        .order_by("-n")[:20]
    )
    groups = []
    identical = list(identical)
    if identical:
        ids_by_text = {}
        for rec_id, text in Recommendation.objects.filter(
            consultation=consultation,
            status=Recommendation.Status.PUBLISHED,
            disposition="",
            text__in=[group["text"] for group in identical],
        ).values_list("pk", "text"):
            ids_by_text.setdefault(text, []).append(rec_id)
        groups = [
            {"text": group["text"], "count": group["n"], "ids": ids_by_text.get(group["text"], [])}
            for group in identical
        ]
    return render(
        request,
        "consultations/answers.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form or AnswerForm(recommendation_ids=[]),
            "groups": groups,
            "unanswered_only": unanswered_only,
            "dispositions": Recommendation.Disposition.choices,
        },
    )


# --- The synthesis ---------------------------------------------------------------


def _synthesis_consultation(request, pk):
    """The consultation whose synthesis the user may see: published, or a preview for
    its institution while under analysis."""
    consultation = get_consultation(pk)
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise PermissionDenied
    if consultation.synthesis_published_at is None and not (
        consultation.state == Consultation.State.UNDER_ANALYSIS
        and request.user.has_perm("consultations.manage_consultation", consultation)
    ):
        raise Http404
    return consultation


def synthesis(request, pk):
    """Every recommendation with its disposition and justification, grouped by article."""
    try:
        consultation = _synthesis_consultation(request, pk)
    except PermissionDenied:
        return denied(request)
    # A published synthesis is kept, rendered, in the shared cache (10,000 recommendations
    # are one page): read only when the cached fragment is missing.
    return render(
        request,
        "consultations/synthesis.html",
        {
            "consultation": consultation,
            "synthesis": SimpleLazyObject(lambda: selectors.synthesis(consultation)),
            "synthesis_version": version(selectors.synthesis_version_key(consultation.pk)),
        },
    )


def _csv_header():
    return [
        _("Number"),
        _("Article"),
        _("Author"),
        _("On behalf of"),
        _("Received"),
        _("Date received"),
        _("Recommendation"),
        _("Disposition"),
        _("Justification"),
    ]


def synthesis_csv(request, pk):
    """The synthesis as CSV in the reader's language: for a Romanian reader `;`-separated
    (what a spreadsheet set to Romanian expects) with Romanian headers and values; UTF-8
    with a BOM, so that spreadsheets read the diacritics. Every recommendation, whatever
    its channel, with the channel it came by."""
    try:
        consultation = _synthesis_consultation(request, pk)
    except PermissionDenied:
        return denied(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="synthesis-{consultation.pk}-{slugify(consultation.title)[:50]}.csv"'
    )
    writer = CSVWriter(response, bom=True, delimiter=csv_delimiter(request))
    writer.writerow(_csv_header())
    for rec in selectors.answer_queue(consultation).iterator(chunk_size=2000):
        received = rec.received_on or timezone.localdate(rec.created_at)
        writer.writerow(
            [
                rec.pk,
                rec.article.label if rec.article_id else _("General"),
                rec.public_author if not rec.organisation_id else "",
                rec.organisation.name if rec.organisation_id else "",
                rec.get_channel_display(),
                date_format(received, "SHORT_DATE_FORMAT"),
                plain_text(rec.text),
                rec.get_disposition_display() if rec.disposition else "",
                rec.justification,
            ]
        )
    return response


def synthesis_pdf(request, pk):
    """The synthesis as PDF in the page's language: the file kept since publication, or a
    preview made on request (never kept) before it."""
    try:
        consultation = _synthesis_consultation(request, pk)
    except PermissionDenied:
        return denied(request)
    language = pdf_language(request.LANGUAGE_CODE)
    if consultation.synthesis_published_at is None:
        pdf = render_synthesis_pdf(consultation, language)
        return _pdf_response(pdf, f"synthesis-{consultation.pk}-preview.pdf")
    stored = stored_synthesis_pdf(consultation, language)
    return FileResponse(
        stored.open("rb"),
        content_type="application/pdf",
        filename=f"synthesis-{consultation.pk}-{language}.pdf",
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
