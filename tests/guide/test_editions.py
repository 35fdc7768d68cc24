"""Writing and publishing the guide: sanitising, editions, diffs, search, the PDF."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guide import selectors, services
from guide.models import Edition, EditionSection, Section
from guide.pdf import guide_document, render_guide_pdf

from .conftest import write_guide

pytestmark = pytest.mark.django_db


def test_rich_text_is_sanitised_on_save(coordinator, guide_written):
    """Scripts, event handlers and unknown tags never reach the stored text."""
    section = Section.objects.get(key="about")
    services.section_save(
        actor=coordinator,
        section=section,
        body_ro='<p onclick="steal()">Text <script>alert(1)</script><strong>bun</strong>'
        '<a href="javascript:alert(1)">link</a><iframe src="x"></iframe></p>',
    )
    section.refresh_from_db()
    assert "script" not in section.body_ro
    assert "onclick" not in section.body_ro
    assert "iframe" not in section.body_ro
    assert "javascript:" not in section.body_ro
    assert "<strong>bun</strong>" in section.body_ro


def test_only_coordinators_write_or_publish(civil_servant, guide_written):
    """A civil servant can neither change a section nor publish an edition."""
    with pytest.raises(PermissionDenied):
        services.section_save(actor=civil_servant, section=Section.objects.first(), body_ro="x")
    with pytest.raises(PermissionDenied):
        services.edition_publish(actor=civil_servant, note_ro="x")
    assert not Edition.objects.exists()


def test_image_needs_alternative_text(coordinator, guide_written):
    """An image without alternative text is refused with a message."""
    with pytest.raises(ValidationError) as error:
        services.image_add(
            actor=coordinator, section=Section.objects.first(), image="x.png", alt_ro="  "
        )
    assert "alt_ro" in error.value.message_dict


def test_publishing_numbers_editions_and_keeps_earlier_text(coordinator, edition):
    """Each edition has the next number, a date and a note; an earlier edition keeps the
    text it published after the working copy changes."""
    section = Section.objects.get(key="consultations")
    services.section_save(
        actor=coordinator, section=section, body_ro="<p>Proiectul se publică cu 40 de zile.</p>"
    )
    second = services.edition_publish(actor=coordinator, note_ro="Termen nou.")
    assert (edition.number, second.number) == (1, 2)
    assert second.published_at >= edition.published_at
    old = selectors.edition_section(edition, "consultations")
    assert "30 de zile" in old.body_ro
    assert "40 de zile" in selectors.edition_section(second, "consultations").body_ro
    assert selectors.current_edition() == second


def test_publishing_needs_a_note(coordinator, guide_written):
    """An edition without a note of what changed is refused, nothing is published."""
    with pytest.raises(ValidationError):
        services.edition_publish(actor=coordinator, note_ro=" ")
    assert not Edition.objects.exists()


def test_diff_by_section(coordinator, edition):
    """The diff says which sections were added, removed, changed or unchanged, and marks
    the removed and added words of a changed one."""
    section = Section.objects.get(key="consultations")
    services.section_save(
        actor=coordinator,
        section=section,
        body_ro="<p>Proiectul se publică cu 40 de zile lucrătoare înainte.</p>",
    )
    Section.objects.filter(key="debates").delete()
    services.section_save(
        actor=coordinator,
        chapter=section.chapter,
        key="synthesis",
        position=3,
        title_ro="Sinteza",
        body_ro="<p>Sinteza se publică.</p>",
    )
    second = services.edition_publish(actor=coordinator, note_ro="Schimbări.")
    entries = {e["key"]: e for e in selectors.edition_diff(edition, second)}
    assert entries["about"]["status"] == "unchanged"
    assert entries["synthesis"]["status"] == "added"
    assert entries["debates"]["status"] == "removed"
    changed = entries["consultations"]
    assert changed["status"] == "changed"
    assert ("removed", "30") in changed["diff"]
    assert ("added", "40") in changed["diff"]


def test_search_ignores_diacritics(edition):
    """ "functioneaza consultare publica" finds "funcționează o consultare publică"; case
    and diacritics are ignored, and every word must be there."""
    keys = [r["section"].key for r in selectors.search(edition, "FUNCTIONEAZA consultare publica")]
    assert keys == ["consultations"]
    assert [r["section"].key for r in selectors.search(edition, "lucratoare")] == ["consultations"]
    assert selectors.search(edition, "consultare inexistent") == []


def page_texts(document) -> list[str]:
    """The text WeasyPrint laid out on each page of the PDF."""

    def walk(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from walk(child)

    return [" ".join(walk(page._page_box)) for page in document.pages]


def test_pdf_has_the_guides_structure(edition):
    """The PDF holds the edition, a table of contents and every chapter and section in
    reading order, each chapter on a new page, in the language asked for."""
    pages = page_texts(guide_document(edition, "ro"))
    text = " ".join(pages)
    assert "Ediția 1" in text or "Edition 1" in text
    order = [
        "1. Introducere",
        "1.1 Despre ghid",
        "2. Consultarea publică",
        "2.1 Cum funcționează o consultare publică",
        "2.2 Dezbaterile publice",
    ]
    body = " ".join(pages[1:])
    positions = [body.find(title) for title in order]
    assert -1 not in positions and positions == sorted(positions)
    assert "30 de zile lucrătoare" in body
    english = " ".join(page_texts(guide_document(edition, "en")))
    assert "How a consultation works" in english
    assert render_guide_pdf(edition, "ro").startswith(b"%PDF-")


def test_pdf_has_the_sections_images_and_templates(coordinator, edition):
    """A section's images (with their alternative text) and its downloadable templates
    are in the PDF too, under that section, in the language asked for."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_editing import png

    section = Section.objects.get(key="consultations")
    services.image_add(
        actor=coordinator,
        section=section,
        image=SimpleUploadedFile("calendar.png", png(), "image/png"),
        alt_ro="Calendarul consultării",
        alt_en="The consultation's calendar",
        caption_en="From announcement to adoption",
    )
    template = services.template_add(
        actor=coordinator,
        section=section,
        file=SimpleUploadedFile("anunt.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        title_ro="Model de anunț",
        title_en="Announcement template",
    )
    edition = services.edition_publish(actor=coordinator, note_ro="Cu imagine și model.")

    def images(box):
        if type(box).__name__.endswith("ReplacedBox"):
            yield box
        for child in getattr(box, "children", []):
            yield from images(child)

    document = guide_document(edition, "en")
    pages = page_texts(document)
    found = [box for page in document.pages for box in images(page._page_box)]
    assert len(found) == 1
    [page_of_image] = [i for i, page in enumerate(document.pages) if list(images(page._page_box))]
    text = pages[page_of_image]
    assert "How a consultation works" in text
    assert "From announcement to adoption" in text
    assert "Announcement template" in text
    assert template.get_absolute_url() in text
    romanian = " ".join(page_texts(guide_document(edition, "ro")))
    assert "Model de anunț" in romanian


def test_store_pdfs_keeps_one_file_per_language(edition):
    """The task run on publication keeps a PDF in each language; running it again
    keeps the same files."""
    from guide.pdf import store_guide_pdfs

    names = store_guide_pdfs(edition.pk)
    assert len(names) == 2
    edition.refresh_from_db()
    assert edition.pdf_ro and edition.pdf_en
    assert store_guide_pdfs(edition.pk) == names


def test_publishing_queues_the_pdf(coordinator, guide_written, django_capture_on_commit_callbacks):
    """Publishing hands the PDF to the background once the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.edition_publish(actor=coordinator, note_ro="Prima.")
    edition.refresh_from_db()
    assert edition.pdf_ro.name.endswith(".pdf")
    assert EditionSection.objects.filter(edition=edition).count() == 3


def test_write_guide_twice_keeps_keys_unique(coordinator, guide_written):
    """A second section with a key already used is refused."""
    with pytest.raises(ValidationError):
        write_guide(coordinator)
