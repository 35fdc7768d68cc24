"""Writing the guide in the site (coordinators): chapters, sections, images, templates,
publishing an edition, and reading what readers answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ChapterForm, EditionForm, ImageForm, SectionForm, TemplateFileForm
from ..models import Chapter, Section, SectionImage, TemplateFile
from .common import apply_errors, permission_required


@permission_required("guide.edit_guide")
def overview(request):
    return render(
        request,
        "guide/edit_overview.html",
        {
            "chapters": selectors.working_copy(),
            "edition": selectors.current_edition(),
            "comments": selectors.feedback_comments(limit=50),
        },
    )


def _save(request, form, save, *, template, context, success):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return obj, None
    return None, render(request, template, {"form": form, **context})


@permission_required("guide.edit_guide")
def chapter_form(request, pk=None):
    chapter = get_object_or_404(Chapter, pk=pk) if pk else None
    form = ChapterForm(request.POST or None, instance=chapter)
    _obj, response = _save(
        request,
        form,
        lambda data: services.chapter_save(actor=request.user, chapter=chapter, **data),
        template="guide/edit_form.html",
        context={"heading": _("Change the chapter") if chapter else _("New chapter")},
        success=_("The chapter is saved."),
    )
    return response or redirect("guide:edit")


@permission_required("guide.edit_guide")
def section_form(request, pk=None):
    section = get_object_or_404(Section, pk=pk) if pk else None
    form = SectionForm(request.POST or None, instance=section)
    obj, response = _save(
        request,
        form,
        lambda data: services.section_save(actor=request.user, section=section, **data),
        template="guide/edit_section.html",
        context={"section": section},
        success=_("The section is saved. Readers will see it in the next edition."),
    )
    return response or redirect("guide:edit-section", pk=obj.pk)


@permission_required("guide.edit_guide")
def image_form(request, pk):
    section = get_object_or_404(Section, pk=pk)
    form = ImageForm(request.POST or None, request.FILES or None)
    _obj, response = _save(
        request,
        form,
        lambda data: services.image_add(actor=request.user, section=section, **data),
        template="guide/edit_form.html",
        context={"heading": _("Add an image to “%(title)s”") % {"title": section.title}},
        success=_("The image is added."),
    )
    return response or redirect("guide:edit-section", pk=section.pk)


@permission_required("guide.edit_guide")
def template_form(request, pk):
    section = get_object_or_404(Section, pk=pk)
    form = TemplateFileForm(request.POST or None, request.FILES or None)
    _obj, response = _save(
        request,
        form,
        lambda data: services.template_add(actor=request.user, section=section, **data),
        template="guide/edit_form.html",
        context={"heading": _("Add a template to “%(title)s”") % {"title": section.title}},
        success=_("The template is added."),
    )
    return response or redirect("guide:edit-section", pk=section.pk)


@require_POST
@permission_required("guide.edit_guide")
def image_delete(request, pk):
    image = get_object_or_404(SectionImage, pk=pk)
    services.image_delete(actor=request.user, image=image)
    messages.success(request, _("The image is removed."))
    return redirect("guide:edit-section", pk=image.section_id)


@require_POST
@permission_required("guide.edit_guide")
def template_delete(request, pk):
    template = get_object_or_404(TemplateFile, pk=pk)
    services.template_delete(actor=request.user, template=template)
    messages.success(request, _("The template is removed."))
    return redirect("guide:edit-section", pk=template.section_id)


@login_required
@permission_required("guide.publish_edition")
def publish(request):
    """Publish the working copy as the next edition, with a note of what changed."""
    form = EditionForm(request.POST or None)
    obj, response = _save(
        request,
        form,
        lambda data: services.edition_publish(actor=request.user, **data),
        template="guide/edit_form.html",
        context={
            "heading": _("Publish a new edition"),
            "intro": _(
                "Readers will see the guide as it is now written. Its PDF is made in the "
                "background in a few minutes."
            ),
            "submit": _("Publish"),
        },
        success=_("The edition is published."),
    )
    return response or redirect(obj)
