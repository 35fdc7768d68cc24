"""The light formatting the forms promise (lists, bold, links) is rendered, sanitised."""

from conect.core.text import simple_markup
from consultations.services import clean_rich_text


def test_lists_bold_and_links_typed_as_plain_text_are_rendered():
    """What the help text promises becomes HTML: "-" lines a list, "1." lines a numbered
    list, **bold** bold, an address a link, a blank line a new paragraph."""
    html = simple_markup(
        "Propunem:\n- **eliminarea** art. 3\n- detalii pe https://exemplu.ro/a.\n\n"
        "1. întâi\n2. apoi\n\nFinal _important_."
    )
    assert html.startswith("<p>Propunem:</p>")
    assert "<ul><li><strong>eliminarea</strong> art. 3</li>" in html
    assert '<a href="https://exemplu.ro/a" rel="noopener noreferrer nofollow">' in html
    assert "<ol><li>întâi</li><li>apoi</li></ol>" in html
    assert "<p>Final <em>important</em>.</p>" in html


def test_markup_cannot_smuggle_html():
    """Tags typed in plain text are shown as text, never run."""
    html = simple_markup("- <script>alert(1)</script> **<b onclick=x>**")
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_html_is_still_sanitised():
    """Text that is already HTML keeps its safe tags and loses the rest."""
    html = clean_rich_text("<p>Bun <strong>text</strong><img src=x onerror=alert(1)></p>")
    assert html == "<p>Bun <strong>text</strong></p>"
