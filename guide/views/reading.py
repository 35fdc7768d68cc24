"""Reading the guide: table of contents, sections, search, editions and their
differences, the PDF, templates, and "Was this useful?"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import selectors, services
from ..forms import CompareForm, SearchForm, SectionFeedbackForm
from ..help import HELP_KEYS
from ..models import TemplateFile
from ..pdf import pdf_language, stored_guide_pdf
from .common import file_response


@require_safe
def index(request):
    """The current edition's table of contents, with the search box."""
    edition = selectors.current_edition()
    chapters = selectors.edition_chapters(edition, with_bodies=False) if edition else []
    return render(
        request,
        "guide/index.html",
        {"edition": edition, "chapters": chapters, "search_form": SearchForm()},
    )


def _section_page(request, edition, key, *, current: bool):
    section = selectors.edition_section(edition, key)
    chapters = selectors.edition_chapters(edition, with_bodies=False)
    previous, following = selectors.neighbours(chapters, key)
    if current:
        services.count_section_view(key=key)
    return render(
        request,
        "guide/section.html",
        {
            "edition": edition,
            "section": section,
            "chapters": chapters,
            "previous": previous,
            "following": following,
            "attachments": selectors.edition_attachments([section])[key],
            "is_current": current,
            "feedback_form": SectionFeedbackForm() if current else None,
        },
    )


@require_safe
def section(request, key):
    """A section of the current edition (its stable address). A reading is counted, a
    counter only: nothing about the reader is kept, and no cookie is set."""
    edition = selectors.current_edition()
    try:
        if edition is None:
            raise Http404
        return _section_page(request, edition, key, current=True)
    except Http404:
        if key not in HELP_KEYS:
            raise
    # A help link to a part not published yet leads to the guide itself.
    messages.info(request, _("This part of the guide is not published yet."))
    return redirect("guide:index")


@require_safe
def edition_section(request, number, key):
    """A section as an earlier (or the current) edition published it."""
    edition = selectors.edition_by_number(number)
    return _section_page(request, edition, key, current=False)


@require_safe
def edition_detail(request, number):
    edition = selectors.edition_by_number(number)
    current = selectors.current_edition()
    return render(
        request,
        "guide/edition_detail.html",
        {
            "edition": edition,
            "chapters": selectors.edition_chapters(edition, with_bodies=False),
            "is_current": current is not None and current.pk == edition.pk,
        },
    )


@require_safe
def edition_list(request):
    editions = list(selectors.editions())
    numbers = [e.number for e in editions]
    initial = {"old": numbers[1], "new": numbers[0]} if len(numbers) > 1 else None
    return render(
        request,
        "guide/edition_list.html",
        {"editions": editions, "compare_form": CompareForm(initial=initial, numbers=numbers)},
    )


@require_safe
def compare(request):
    """What changed between two editions, section by section."""
    numbers = list(selectors.editions().values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers)
    entries, old, new = None, None, None
    if form.is_bound and form.is_valid():
        first, second = sorted([form.cleaned_data["old"], form.cleaned_data["new"]])
        old = selectors.edition_by_number(first)
        new = selectors.edition_by_number(second)
        entries = selectors.edition_diff(old, new)
    return render(
        request,
        "guide/compare.html",
        {"form": form, "entries": entries, "old": old, "new": new},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    edition = selectors.current_edition()
    return render(
        request,
        "guide/search.html",
        {
            "form": form,
            "text": text,
            "edition": edition,
            "results": selectors.search(edition, text) if text else None,
        },
    )


@require_safe
def pdf(request, number=None):
    """The whole guide as PDF in the reader's language (the current edition, or the
    edition `number`). A download is counted, a counter only."""
    edition = selectors.edition_by_number(number) if number else selectors.current_edition()
    if edition is None:
        raise Http404
    language = pdf_language(request.GET.get("language") or get_language())
    stored = stored_guide_pdf(edition, language)
    services.count_download(edition=edition, language=language)
    return file_response(stored, f"ghid-conect-{edition.number}-{language}.pdf")


@require_safe
def template_download(request, pk):
    template = get_object_or_404(TemplateFile, pk=pk)
    name = template.file.name.rsplit("/", 1)[-1]
    return file_response(template.file, name)


@require_POST
def section_feedback(request, key):
    """ "Was this useful?": an answer and an optional comment, anonymous."""
    edition = selectors.current_edition()
    if edition is None:
        return redirect("guide:index")
    section = selectors.edition_section(edition, key)
    form = SectionFeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_add(
                section=section,
                useful=form.cleaned_data["useful"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Thank you: your answer helps the editors."))
            return redirect(f"{section_url(key)}#feedback")
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(f"{section_url(key)}#feedback")


def section_url(key: str) -> str:
    from django.urls import reverse

    return reverse("guide:section", args=[key])
