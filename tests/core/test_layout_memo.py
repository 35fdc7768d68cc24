"""The layout's fixed parts rendered once per process ({% memo %}, {% fixed_url %}): each
page still shows its own language, its own current link and its own addresses."""

import re

import pytest
from django.core.signals import setting_changed
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse, set_script_prefix
from django.utils import translation

from conect.core.templatetags import conect_layout


@pytest.fixture(autouse=True)
def _fresh_memo():
    conect_layout.forget()
    yield
    conect_layout.forget()


def render(source: str, **context) -> str:
    return Template("{% load conect_layout %}" + source).render(Context(context))


def test_a_block_is_rendered_once_per_language_and_value():
    source = '{% memo "greeting" kind %}{{ word }} {{ kind }}{% endmemo %}'
    with translation.override("ro"):
        assert render(source, word="first", kind="a") == "first a"
        # What the key does not name is not read again: the contract of a memo.
        assert render(source, word="second", kind="a") == "first a"
        assert render(source, word="third", kind="b") == "third b"
    with translation.override("en"):
        assert render(source, word="fourth", kind="a") == "fourth a"


def test_a_change_of_settings_forgets_every_block():
    source = '{% memo "greeting" %}{{ word }}{% endmemo %}'
    assert render(source, word="first") == "first"
    setting_changed.send(sender=None, setting="ROOT_URLCONF", value=None, enter=True)
    assert render(source, word="second") == "second"


def test_the_number_of_blocks_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(conect_layout._memo, "max_entries", 3)
    for value in range(10):
        render('{% memo "n" value %}{{ value }}{% endmemo %}', value=value)
    assert len(conect_layout._memo) <= 3


def test_a_name_is_required():
    with pytest.raises(TemplateSyntaxError):
        render("{% memo greeting %}x{% endmemo %}")


def test_fixed_url_follows_the_script_prefix():
    assert render("{% fixed_url 'registry:organisation-list' %}") == "/registry/organisations/"
    set_script_prefix("/conect/")
    try:
        assert render("{% fixed_url 'registry:organisation-list' as url %}{{ url }}") == (
            "/conect/registry/organisations/"
        )
    finally:
        set_script_prefix("/")
    assert render("{% fixed_url 'registry:organisation-list' %}") == reverse(
        "registry:organisation-list"
    )


def current_links(html: str) -> list[str]:
    return re.findall(r'<a class="[^"]*" href="([^"]+)" aria-current="page"', html)


def test_the_current_link_is_the_pages_own(client, organisation):
    """The navigation is kept per view: the list page marks its link, the organisation's
    page (visited after it) marks none, and the list marks its own again."""
    list_url = reverse("registry:organisation-list")
    assert current_links(client.get(list_url).content.decode()) == [list_url]
    assert current_links(client.get(organisation.get_absolute_url()).content.decode()) == []
    assert current_links(client.get(reverse("registry:institution-list")).content.decode()) == [
        reverse("registry:institution-list")
    ]
    assert current_links(client.get(list_url).content.decode()) == [list_url]


def test_each_language_has_its_own_layout_and_the_pages_own_addresses(client, organisation):
    """In both languages, after each other: the labels are the language's, and the sign-in
    link and the language form come back to the page shown, with a fresh CSRF token."""
    pages = [organisation.get_absolute_url(), reverse("registry:organisation-list") + "?q=a"]
    tokens = set()
    for language, sign_in, skip in [
        ("ro", "Intrați în cont", "Salt la conținutul principal"),
        ("en", "Sign in", "Skip to main content"),
        ("ro", "Intrați în cont", "Salt la conținutul principal"),
    ]:
        client.cookies.clear()
        for url in pages:
            html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert f'<html lang="{language}">' in html
            assert sign_in in html and skip in html
            assert f"?next={url.replace('?', '%3F').replace('=', '%3D')}" in html
            assert f'<input name="next" type="hidden" value="{url}">' in html
            tokens.update(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) >= 3


def test_choice_labels_are_each_languages_own():
    """Kept per language: a list in Romanian after one in English says it in Romanian."""
    from conect.core.text import choice_labels
    from registry.models import Organisation

    with translation.override("en"):
        assert choice_labels(Organisation.Status)["verified"] == "Verified"
    with translation.override("ro"):
        romanian = choice_labels(Organisation.Status)["verified"]
    assert romanian != "Verified" and romanian[0].isupper()
    with translation.override("en"):
        assert choice_labels(Organisation.Status)["verified"] == "Verified"


def test_two_templates_never_share_a_block(tmp_path, settings):
    """The same name in two templates names two blocks."""
    from django.template import engines

    (tmp_path / "a.html").write_text('{% load conect_layout %}{% memo "part" %}A{% endmemo %}')
    (tmp_path / "b.html").write_text('{% load conect_layout %}{% memo "part" %}B{% endmemo %}')
    engine = engines["django"].engine.__class__(
        dirs=[str(tmp_path)], libraries={"conect_layout": "conect.core.templatetags.conect_layout"}
    )
    assert engine.get_template("a.html").render(Context()) == "A"
    assert engine.get_template("b.html").render(Context()) == "B"


def test_a_block_inside_a_memo_is_refused():
    """What a memo holds is drawn once and never searched by {% extends %}: a {% block %}
    there could not be filled by a page, so the template is refused when read."""
    with pytest.raises(TemplateSyntaxError, match="cannot hold a"):
        render('{% memo "head" %}{% block title %}x{% endblock %}{% endmemo %}')


def test_a_page_fills_the_blocks_of_a_layout_with_memo_blocks(client, db):
    """{% extends %} finds the layout's blocks around its memo blocks: the page's own
    title and content are shown."""
    response = client.get(reverse("registry:institution-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "<title>Public institutions · CONECT</title>" in response.text
    assert "<h1" in response.text and "Search and filter" in response.text


def test_record_url_gives_what_reverse_gives_for_one_key_or_more():
    """{% record_url %} gives what {% url %} gives, for a route with one key and for one
    with two (a staff row within its institution), whatever the keys; the wrong number of
    keys is refused, never a wrong address."""
    url_of = conect_layout.record_urls("registry:institution-staff-role", 2)
    for institution, row in [(1, 2), (987654321, 7), (45, 987654322), (10**12, 3)]:
        expected = reverse("registry:institution-staff-role", args=[institution, row])
        assert url_of(institution, row) == expected
        assert conect_layout.record_url("registry:institution-staff-role", institution, row) == (
            expected
        )
    assert conect_layout.record_url("registry:institution-detail", 5) == reverse(
        "registry:institution-detail", args=[5]
    )
    with pytest.raises(TypeError):
        url_of(1)
    html = Template(
        "{% load conect_layout %}{% record_url 'registry:institution-staff-remove' a b %}"
    ).render(Context({"a": 3, "b": 4}))
    assert html == reverse("registry:institution-staff-remove", args=[3, 4])


class _Person:
    def __init__(self, *granted):
        self.granted = set(granted)
        self.asked = []

    def has_perm(self, perm, obj=None):
        self.asked.append(perm)
        return perm in self.granted


def test_a_permission_memo_gives_the_block_each_answer_and_keeps_one_text_per_set():
    source = (
        '{% permission_memo "menus" can_a="app.a" can_b="app.b" %}'
        "{% if can_a %}A{% endif %}{% if can_b %}B{% endif %}{{ word }}"
        "{% endpermission_memo %}"
    )
    both, only_b, other_both = (
        _Person("app.a", "app.b"),
        _Person("app.b"),
        _Person("app.a", "app.b"),
    )
    assert render(source, user=both, word="1") == "AB1"
    assert render(source, user=only_b, word="2") == "B2"
    # Someone with the same answers gets the text kept for them (what the key names only).
    assert render(source, user=other_both, word="3") == "AB1"
    assert other_both.asked == ["app.a", "app.b"]
    # The answers stay inside the block.
    assert render(source + "{{ can_a }}", user=both, word="4") == "AB1"


def test_a_permission_memo_also_varies_with_the_values_it_names():
    source = (
        '{% permission_memo "m" kind can_a="app.a" %}{{ kind }}{% if can_a %}A{% endif %}'
        "{{ word }}{% endpermission_memo %}"
    )
    person = _Person("app.a")
    assert render(source, user=person, kind="x", word="1") == "xA1"
    assert render(source, user=person, kind="y", word="2") == "yA2"
    assert render(source, user=person, kind="x", word="3") == "xA1"


def test_a_permission_memo_without_a_user_answers_no():
    source = '{% permission_memo "m" can_a="app.a" %}{{ can_a }}{% endpermission_memo %}'
    assert render(source) == "False"


@pytest.mark.parametrize(
    "tag",
    [
        '{% permission_memo "m" %}',
        "{% permission_memo m can_a='app.a' %}",
        '{% permission_memo "m" can_a=app.a %}',
        '{% permission_memo "m" 1a="app.a" %}',
        '{% permission_memo "m" kind %}',
        '{% permission_memo "m" can_a="app.a" kind %}',
    ],
)
def test_a_permission_memo_needs_a_name_and_named_permissions(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag + "x{% endpermission_memo %}")
