"""Writing the guide (chapters, sections, images, templates), publishing editions,
"Was this useful?" answers and the monitoring counters."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from conect.core import outbox
from conect.core.text import fold

from ..models import (
    Chapter,
    DownloadCount,
    Edition,
    EditionSection,
    Section,
    SectionFeedback,
    SectionImage,
    SectionViewCount,
    TemplateFile,
)
from .common import clean_rich_text, month_start, require_coordinator

CHAPTER_FIELDS = ("key", "position", "title_ro", "title_en")
SECTION_FIELDS = ("chapter", "key", "position", "title_ro", "title_en", "body_ro", "body_en")


def chapter_save(*, actor, chapter: Chapter | None = None, **data) -> Chapter:
    """Create a chapter, or change one (title, order, key)."""
    require_coordinator(actor)
    chapter = chapter or Chapter()
    for field in CHAPTER_FIELDS:
        if field in data:
            setattr(chapter, field, data[field])
    chapter.title_ro = (chapter.title_ro or "").strip()
    chapter.title_en = (chapter.title_en or "").strip()
    chapter.full_clean()
    chapter.save()
    return chapter


def section_save(*, actor, section: Section | None = None, **data) -> Section:
    """Create or change a section of the working copy; its texts are sanitised (nh3)
    before they are kept. Readers see it once an edition is published."""
    require_coordinator(actor)
    section = section or Section()
    for field in SECTION_FIELDS:
        if field in data:
            setattr(section, field, data[field])
    section.body_ro = clean_rich_text(section.body_ro)
    section.body_en = clean_rich_text(section.body_en)
    if not strip_tags(section.body_ro).strip():
        raise ValidationError({"body_ro": _("Write the section's text in Romanian.")})
    section.updated_by = actor
    section.full_clean()
    section.save()
    return section


def image_add(*, actor, section: Section, image, alt_ro: str, alt_en: str = "", **extra):
    """Add an image to a section; without an alternative text it is refused."""
    require_coordinator(actor)
    alt_ro, alt_en = (alt_ro or "").strip(), (alt_en or "").strip()
    if not alt_ro:
        raise ValidationError(
            {"alt_ro": _("Describe the image for those who cannot see it (alternative text).")}
        )
    row = SectionImage(section=section, image=image, alt_ro=alt_ro, alt_en=alt_en, **extra)
    row.full_clean()
    row.save()
    return row


def image_delete(*, actor, image: SectionImage) -> None:
    require_coordinator(actor)
    image.delete()


def template_add(*, actor, section: Section, file, title_ro: str, **extra) -> TemplateFile:
    """Add a downloadable template (PDF, DOCX or ODT, checked by its content)."""
    from consultations.uploads import check_upload

    require_coordinator(actor)
    try:
        check_upload(file, max_bytes=10 * 1024 * 1024)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    row = TemplateFile(section=section, file=file, title_ro=(title_ro or "").strip(), **extra)
    row.full_clean()
    row.save()
    return row


def template_delete(*, actor, template: TemplateFile) -> None:
    require_coordinator(actor)
    template.delete()


def _copy(edition: Edition, section: Section) -> EditionSection:
    from ..selectors import attachments_snapshot  # the selectors import the services

    chapter = section.chapter
    return EditionSection(
        edition=edition,
        section=section,
        chapter_key=chapter.key,
        chapter_position=chapter.position,
        chapter_title_ro=chapter.title_ro,
        chapter_title_en=chapter.title_en,
        key=section.key,
        position=section.position,
        title_ro=section.title_ro,
        title_en=section.title_en,
        body_ro=section.body_ro,
        body_en=section.body_en,
        search_ro=fold(f"{chapter.title_ro} {section.title_ro} {strip_tags(section.body_ro)}"),
        search_en=fold(
            f"{chapter.title_en or chapter.title_ro} {section.title_en or section.title_ro} "
            f"{strip_tags(section.body_en or section.body_ro)}"
        ),
        attachments=attachments_snapshot(section),
    )


def edition_publish(*, actor, note_ro: str, note_en: str = "") -> Edition:
    """Publish the working copy as the next edition (number, date, note of what
    changed). Its PDFs are made in the background once the transaction commits."""
    require_coordinator(actor)
    note_ro, note_en = (note_ro or "").strip(), (note_en or "").strip()
    if not note_ro:
        raise ValidationError({"note_ro": _("Say what changed in this edition.")})
    sections = list(
        Section.objects.select_related("chapter").prefetch_related("images", "templates")
    )
    if not sections:
        raise ValidationError(_("The guide has no section yet: write one before publishing."))
    try:
        with transaction.atomic():
            number = (Edition.objects.aggregate(n=Max("number"))["n"] or 0) + 1
            edition = Edition(number=number, note_ro=note_ro, note_en=note_en, published_by=actor)
            edition.full_clean()
            edition.save()
            EditionSection.objects.bulk_create(_copy(edition, s) for s in sections)
            from ..tasks import build_guide_pdfs

            outbox.enqueue(build_guide_pdfs, edition_id=edition.pk)
    except IntegrityError:
        raise ValidationError(
            _("Another edition was published at the same moment; try again.")
        ) from None
    return edition


def feedback_add(*, section: EditionSection, useful: bool, comment: str = "") -> SectionFeedback:
    """Record a "Was this useful?" answer. Nothing about who answered is kept."""
    feedback = SectionFeedback(
        section_key=section.key,
        edition_id=section.edition_id,
        useful=bool(useful),
        comment=(comment or "").strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def _increment(model, filters: dict, field: str) -> None:
    """Add one to a monthly counter row, creating it when the month starts: one
    INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and SQLite), safe under concurrency."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in filters]
    quoted = [connection.ops.quote_name(c) for c in columns]
    target = connection.ops.quote_name(model._meta.get_field(field).column)
    sql = (
        f"INSERT INTO {table} ({', '.join(quoted)}, {target}) "
        f"VALUES ({', '.join(['%s'] * len(quoted))}, 1) "
        f"ON CONFLICT ({', '.join(quoted)}) DO UPDATE SET {target} = {table}.{target} + 1"
    )
    values = [getattr(value, "pk", value) for value in filters.values()]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def count_section_view(*, key: str, when=None) -> None:
    """One more reading of the section `key` this month (a counter only)."""
    _increment(SectionViewCount, {"section_key": key, "month": month_start(when)}, "views")


def count_download(*, edition: Edition, language: str, when=None) -> None:
    """One more download of the edition's PDF in `language` this month (a counter only)."""
    filters = {"edition": edition, "language": language, "month": month_start(when)}
    _increment(DownloadCount, filters, "downloads")
