"""Pages of the feedback on public services. Thin: check the named permission, parse the
form, call one service or selector, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from conect.core.client_ip import client_ip
from conect.core.exports import csv_response
from conect.core.permissions import denied
from registry.models import County, Institution, Region

from . import charts, poster, selectors, services
from .forms import (
    AdoptForm,
    CommonServiceForm,
    CommonServiceListForm,
    FeedbackForm,
    ModerationForm,
    ReplyForm,
    ServiceForm,
)
from .models import CommonService
from .texts import FORM_LANGUAGES, form_language, texts

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _service_or_404(code: str):
    service = selectors.service_for_form(code)
    if service is None:
        raise Http404
    return service


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- The public form ---------------------------------------------------------------


def _render_in(request, language, template, context, status=200):
    """Render in the form's language: Romanian or English as the whole page; Hungarian
    for the form's words only (the site's chrome stays in the reader's language)."""
    if language in ("ro", "en"):
        with translation.override(language):
            return render(request, template, context, status=status)
    return render(request, template, context, status=status)


def feedback_form(request, code):
    """The short address of a service (/s/<code>/, what its QR code holds): the form,
    which works without JavaScript, in Romanian, English or Hungarian (?lang=)."""
    service = _service_or_404(code)
    if not request.user.has_perm("feedback.view_service", service):
        raise Http404
    language = form_language(
        request.POST.get("lang") or request.GET.get("lang"), translation.get_language()
    )
    words = texts(language)
    if request.method == "POST":
        form = FeedbackForm(request.POST, texts=words)
        if form.is_valid():
            if form.is_robot:
                return redirect(_thanks_url(service, language, comment=False))
            try:
                answer = services.answer_submit(
                    service=service,
                    client_address=client_ip(request),
                    language=language,
                    **form.answer_data(),
                )
            except services.TooManyAnswers:
                return _render_in(
                    request,
                    language,
                    "feedback/form_refused.html",
                    {"service": service, "t": words, "language": language},
                    status=429,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect(_thanks_url(service, language, comment=bool(answer.comment)))
    elif request.method in ("GET", "HEAD"):
        form = FeedbackForm(texts=words)
    else:
        return HttpResponse(status=405)
    context = {
        "service": service,
        "institution": service.institution,
        "form": form,
        "t": words,
        "language": language,
        "languages": [
            {"code": code_, "name": name, "url": f"{service.get_form_url()}?lang={code_}"}
            for code_, name in FORM_LANGUAGES
        ],
    }
    return _render_in(request, language, "feedback/form.html", context)


def _thanks_url(service, language, *, comment):
    query = {"lang": language}
    if comment:
        query["comment"] = "1"
    return f"{reverse('feedback:thanks', args=[service.code])}?{urlencode(query)}"


@require_safe
def feedback_thanks(request, code):
    service = _service_or_404(code)
    language = form_language(request.GET.get("lang"), translation.get_language())
    context = {
        "service": service,
        "t": texts(language),
        "language": language,
        "comment": request.GET.get("comment") == "1",
    }
    return _render_in(request, language, "feedback/thanks.html", context)


# --- Indices ------------------------------------------------------------------------


@require_safe
def feedback_index(request):
    """The satisfaction index of the country by month, of each region and county, and,
    for ?region= or ?county= (the map's links), of the area and its institutions."""
    data = selectors.national_feedback()
    region = county = None
    area = None
    if request.GET.get("county"):
        county = County.objects.filter(code=request.GET["county"]).first()
    elif request.GET.get("region"):
        region = Region.objects.filter(code=request.GET["region"]).first()
    if county is not None or region is not None:
        area = selectors.area_feedback(region=region, county=county)
    series = area["series"] if area else data["series"]

    def institution_url(row):
        return reverse("feedback:institution", args=[row["id"]])

    def area_url(param):
        return lambda row: f"{reverse('feedback:index')}?{urlencode({param: row['code']})}"

    context = {
        "data": data,
        "area": area,
        "region_rows": charts.area_rows(data["regions"], area_url("region"))
        + charts.area_rows(
            [
                {
                    "name": _("National level (services with no county)"),
                    "index": data["national_level"],
                }
            ]
        ),
        "county_rows": charts.area_rows(data["counties"], area_url("county")),
        "institution_rows": charts.area_rows(area["institutions"], institution_url) if area else [],
        "area_name": (county or region).name if (county or region) else None,
        "series": charts.series_table(series),
        "charts": {"series": charts.series_chart(series)},
        "indicators": selectors.INDICATOR_LABELS,
        "min_answers": selectors.MIN_ANSWERS,
        "fragment": "-".join(
            [
                str(selectors.national_version()),
                county.code if county else "",
                region.code if region else "",
            ]
        ),
    }
    return render(request, "feedback/index.html", context)


@require_safe
def service_detail(request, code):
    """A service's page: its index by month, its published comments with the public
    replies, its short address and poster."""
    service = _service_or_404(code)
    if not request.user.has_perm("feedback.view_service", service):
        raise Http404
    index = selectors.service_index(service)
    context = {
        "service": service,
        "institution": service.institution,
        "index": index,
        "series": charts.series_table(index),
        "charts": {"series": charts.series_chart(index)},
        "indicators": selectors.INDICATOR_LABELS,
        "page_obj": _page(request, selectors.public_comments(service)),
        "can_manage": request.user.has_perm("feedback.manage_services", service),
        "min_answers": selectors.MIN_ANSWERS,
        "fragment": f"{service.pk}-{selectors.institution_version(service.institution_id)}",
    }
    return render(request, "feedback/service_detail.html", context)


@require_safe
def institution_feedback(request, pk):
    """An institution's services with their indices; for its staff, the links to manage
    them, read the answers and export them."""
    institution = get_object_or_404(Institution.objects.select_related("county"), pk=pk)
    data = selectors.institution_feedback(institution)
    context = {
        "institution": institution,
        "data": data,
        "service_rows": charts.area_rows(
            data["services"], lambda row: reverse("feedback:service-detail", args=[row["code"]])
        ),
        "series": charts.series_table(data["series"]),
        "charts": {"series": charts.series_chart(data["series"])},
        "indicators": selectors.INDICATOR_LABELS,
        "can_manage": request.user.has_perm("feedback.manage_services", institution),
        "min_answers": selectors.MIN_ANSWERS,
        "fragment": f"{institution.pk}-{selectors.institution_version(institution.pk)}",
    }
    return render(request, "feedback/institution.html", context)


@require_safe
def service_qr(request, code):
    service = _service_or_404(code)
    response = HttpResponse(poster.qr_svg(service), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="conect-{service.code}.svg"'
    return response


@require_safe
def service_poster(request, code):
    """The A4 poster for the counter: the QR code and the short address, in Romanian and
    in the second language (?lang=hu|en, else the service's own)."""
    service = _service_or_404(code)
    languages = poster.poster_languages(service, request.GET.get("lang"))
    response = HttpResponse(
        poster.render_poster(service, languages), content_type="application/pdf"
    )
    name = f"conect-{service.code}-{'-'.join(languages)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- The institution's staff --------------------------------------------------------


def service_create(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("feedback.manage_services", institution):
        return denied(request)
    form = ServiceForm(request.POST or None, initial={"county": institution.county_id})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                institution=institution, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The service was added."))
            return redirect(service.get_absolute_url())
    return render(request, "feedback/service_form.html", {"form": form, "institution": institution})


def service_edit(request, code):
    service = _service_or_404(code)
    if not request.user.has_perm("feedback.manage_services", service):
        return denied(request)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        service.refresh_from_db()  # the form changed the instance: the service compares
        try:
            services.service_update(service=service, actor=request.user, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The service was saved."))
            return redirect(service.get_absolute_url())
    return render(
        request,
        "feedback/service_form.html",
        {"form": form, "institution": service.institution, "service": service},
    )


def services_adopt(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("feedback.manage_services", institution):
        return denied(request)
    form = AdoptForm(request.POST or None, choices=selectors.adoptable(institution))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.common_services_adopt(
                institution=institution,
                actor=request.user,
                common_services=list(form.cleaned_data["common_services"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d service was added from the catalogue.",
                    "%(count)d services were added from the catalogue.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("feedback:institution", pk=institution.pk)
    return render(request, "feedback/adopt.html", {"form": form, "institution": institution})


@require_safe
def institution_answers(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("feedback.view_answers", institution):
        return denied(request)
    context = {
        "institution": institution,
        "page_obj": _page(request, selectors.institution_answers(institution)),
    }
    return render(request, "feedback/answers.html", context)


@require_safe
def institution_answers_csv(request, pk):
    """The institution's own answers as CSV (without the e-mail addresses)."""
    institution = get_object_or_404(Institution, pk=pk)
    if not request.user.has_perm("feedback.view_answers", institution):
        return denied(request)
    header = [
        _("Given at"),
        _("Service code"),
        _("Service"),
        _("Language"),
        _("Overall satisfaction"),
        _("Access to the service"),
        _("Clarity of the procedure"),
        _("Courtesy and competence of the staff"),
        _("Time it took"),
        _("Matter solved"),
        _("Comment"),
        _("Comment status"),
        _("Left an e-mail address"),
    ]
    return csv_response(
        selectors.export_rows(institution),
        header=header,
        filename=f"conect-feedback-{institution.pk}.csv",
        delimiter=";",
    )


def answer_reply(request, pk):
    answer = selectors.answer_for_staff(pk)
    if answer is None:
        raise Http404
    if not request.user.has_perm("feedback.reply_answer", answer):
        return denied(request)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_create(answer=answer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your answer was saved."))
            return redirect("feedback:answers", pk=answer.service.institution_id)
    return render(request, "feedback/reply_form.html", {"form": form, "answer": answer})


# --- Coordinators --------------------------------------------------------------------


@require_safe
def moderation_queue(request):
    if not request.user.has_perm("feedback.moderate_answer"):
        return denied(request)
    page = _page(request, selectors.moderation_queue())
    forms = [(answer, ModerationForm(prefix=f"a{answer.pk}")) for answer in page]
    return render(request, "feedback/moderation.html", {"page_obj": page, "items": forms})


@require_POST
def moderate(request, pk):
    answer = selectors.answer_for_staff(pk)
    if answer is None:
        raise Http404
    if not request.user.has_perm("feedback.moderate_answer", answer):
        return denied(request)
    form = ModerationForm(request.POST, prefix=f"a{answer.pk}")
    if form.is_valid():
        try:
            services.comment_moderate(answer=answer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The comment was moderated."))
            return redirect("feedback:moderation")
    return render(
        request,
        "feedback/moderation.html",
        {"page_obj": None, "items": [(answer, form)]},
        status=400,
    )


LIST_PREFIX = "list"


def catalogue(request):
    """The coordinators' catalogue: its services, a form to add one with its description
    and a form to add several at once (their names, one per line)."""
    if not request.user.has_perm("feedback.manage_catalogue"):
        return denied(request)
    is_list = request.method == "POST" and f"{LIST_PREFIX}-names" in request.POST
    form = CommonServiceForm(request.POST if request.method == "POST" and not is_list else None)
    list_form = CommonServiceListForm(request.POST if is_list else None, prefix=LIST_PREFIX)
    if is_list and list_form.is_valid():
        try:
            created, skipped = services.common_services_create(
                actor=request.user, **list_form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(list_form, error)
        else:
            _catalogue_list_messages(request, created, skipped)
            return redirect("feedback:catalogue")
    elif request.method == "POST" and not is_list and form.is_valid():
        try:
            services.common_service_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The service was added to the catalogue."))
            return redirect("feedback:catalogue")
    return render(
        request,
        "feedback/catalogue.html",
        {"form": form, "list_form": list_form, "entries": selectors.catalogue()},
    )


def _catalogue_list_messages(request, created, skipped) -> None:
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)d service was added to the catalogue.",
                "%(count)d services were added to the catalogue.",
                len(created),
            )
            % {"count": len(created)},
        )
    if skipped:
        messages.info(
            request,
            ngettext(
                "This service is already in the catalogue and was not added again: %(names)s.",
                "These services are already in the catalogue and were not added again: %(names)s.",
                len(skipped),
            )
            % {"names": ", ".join(f"“{name}”" for name in skipped)},
        )


def catalogue_edit(request, pk):
    """Correct a service of the catalogue, or take it out (a separate POST)."""
    if not request.user.has_perm("feedback.manage_catalogue"):
        return denied(request)
    common = get_object_or_404(selectors.catalogue(), pk=pk)
    form = CommonServiceForm(request.POST or None, instance=common)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        common.refresh_from_db()  # the form changed the instance: the service compares
        try:
            services.common_service_update(common=common, actor=request.user, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The service of the catalogue was saved."))
            return redirect("feedback:catalogue")
    return render(request, "feedback/catalogue_edit.html", {"form": form, "common": common})


@require_POST
def catalogue_delete(request, pk):
    if not request.user.has_perm("feedback.manage_catalogue"):
        return denied(request)
    common = get_object_or_404(CommonService, pk=pk)
    services.common_service_delete(common=common, actor=request.user)
    messages.success(
        request,
        _("“%(name)s” was taken out of the catalogue.") % {"name": common.name},
    )
    return redirect("feedback:catalogue")
