"""Answering: the form (a draft saved with a button, submitted with another), the choice
of the institution or organisation one answers for, and the user's notices."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from conect.core.permissions import denied, permission_required

from .. import selectors, services
from ..forms import AnswerForm, language_of
from ..models import Response, Survey, translated
from ..rules import invitations_for


def _existing_response(request, survey, invitation):
    if invitation is not None:
        return getattr(invitation, "response", None)
    if survey.is_anonymous or not request.user.is_authenticated:
        return None
    return Response.objects.filter(survey=survey, user=request.user, invitation=None).first()


def answer(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    if not request.user.has_perm("surveys.answer_survey", survey):
        if request.user.has_perm("surveys.view_survey", survey):
            return render(request, "surveys/answer_closed.html", {"survey": survey}, status=403)
        return denied(request)
    invitation = None
    if survey.audience == Survey.Audience.ROSTER:
        invitations = invitations_for(request.user, survey)
        chosen = request.POST.get("invitation") or request.GET.get("invitation")
        if len(invitations) == 1:
            invitation = invitations[0]
        else:
            invitation = next((i for i in invitations if str(i.pk) == chosen), None)
            if invitation is None:
                return render(
                    request,
                    "surveys/answer_choose.html",
                    {"survey": survey, "invitations": invitations},
                )
        services.invitation_opened(invitation=invitation)
    response = _existing_response(request, survey, invitation)
    submitted = response is not None and response.status == Response.Status.SUBMITTED
    questions = selectors.questions_of(survey)
    language = language_of(request, survey)
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        survey=survey,
        questions=questions,
        saved=response.answers if response else {},
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST or submitted
        answers = form.answers(complete=submit)
        if answers is not None:
            try:
                services.response_save(
                    survey=survey,
                    actor=request.user,
                    answers=answers,
                    submit=submit,
                    invitation=invitation,
                    county=form.cleaned_data.get("county"),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            except PermissionDenied:
                return denied(request)
            else:
                if submit:
                    return redirect("surveys:thanks", pk=survey.pk)
                messages.success(
                    request,
                    gettext("Your draft was saved. You can come back to it until the deadline."),
                )
                query = {"invitation": invitation.pk} if invitation else {}
                if language == "hu":
                    query["lang"] = "hu"
                return redirect(request.path + (f"?{urlencode(query)}" if query else ""))
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "invitation": invitation,
            "response": response,
            "submitted": submitted,
            "conditions": form.conditions(),
            **page_texts(request, survey, language),
        },
    )


def page_texts(request, survey, language):
    """The title and introduction in the language of the form, and the link to the other
    version when the questionnaire has a Hungarian one."""
    query = request.GET.copy()
    query.pop("lang", None)
    if language != "hu" and survey.title.get("hu"):
        query["lang"] = "hu"
    switch = None
    if survey.title.get("hu"):
        switch = "?" + query.urlencode() if query else request.path
    return {
        "text_language": language,
        "title": translated(survey.title, language),
        "intro": translated(survey.intro, language),
        "language_switch": switch,
    }


def thanks(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    if not request.user.has_perm("surveys.view_survey", survey):
        return denied(request)
    return render(
        request,
        "surveys/thanks.html",
        {
            "survey": survey,
            "can_view_results": request.user.has_perm("surveys.view_results", survey),
        },
    )


@permission_required("surveys.view_notices")
def notices(request):
    page = Paginator(selectors.notices_of(request.user), 25).get_page(request.GET.get("page"))
    unread = sum(1 for notice in page if notice.read_at is None)
    return render(request, "surveys/notices.html", {"page": page, "unread": unread})


@require_POST
@permission_required("surveys.view_notices")
def notices_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] or None
    services.notices_mark_read(user=request.user, ids=ids)
    return redirect("surveys:notices")
