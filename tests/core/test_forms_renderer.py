"""The form renderer writes Django's widget templates in Python: the very same markup,
checked here against Django's own templates for every kind of widget the forms use, and
for whole form pages."""

import re
from datetime import date, datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from conect.core.forms_renderer import FormRenderer

DJANGO = DjangoTemplates()
FAST = FormRenderer()

CHOICES = [
    ("", "—"),
    (1, gettext_lazy("Education")),
    ("a&b", 'Quote " and <tag>'),
    (
        gettext_lazy("Group"),
        [(2, "Two"), (3, mark_safe("<em>Three</em>"))],
    ),
]
ATTRS = {
    "id": "id_f",
    "class": "form-control",
    "required": True,
    "disabled": False,
    "data-x": 'a"b',
}


class StoredFile:
    """A file kept on a record, as a FileField's value is (its address and its name)."""

    url = "/media/logos/a&b <1>.png"

    def __str__(self):
        return 'logos/a&b <1> "x".png'


class NoFile:
    """A file field's value without a file (its address empty)."""

    url = ""

    def __bool__(self):
        return False


def _required(widget):
    widget.is_required = True
    return widget


def _checked(widget):
    widget.checked = True  # as after a post with "clear" ticked
    return widget


WIDGETS = [
    (forms.TextInput(), None),
    (forms.TextInput(attrs={"placeholder": "<b>"}), "a<b & c"),
    (forms.TextInput(), ""),
    (forms.TextInput(), mark_safe("<b>marked safe</b>")),  # kept as it is, as Django keeps it
    (forms.Textarea(), mark_safe("<b>marked safe</b>")),
    (forms.NumberInput(), 5),
    (forms.EmailInput(attrs={"autocomplete": "off"}), "a@b.ro"),
    (forms.URLInput(), "https://x.ro/?a=1&b=2"),
    (forms.HiddenInput(), "x"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.DateInput(attrs={"type": "date"}), date(2026, 3, 1)),
    (forms.DateTimeInput(), datetime(2026, 3, 1, 10, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "line <1>\nline 2"),
    (forms.Textarea(), None),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), "a&b"),
    (forms.SelectMultiple(choices=CHOICES, attrs={"size": 8}), [1, 3]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), [2]),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"class": "list"}), []),
    (forms.RadioSelect(choices=CHOICES), "a&b"),
    (forms.NullBooleanSelect(), True),
    (forms.ClearableFileInput(attrs={"accept": ".csv"}), None),
    (forms.ClearableFileInput(attrs={"accept": "image/*"}), StoredFile()),
    (_required(forms.ClearableFileInput()), StoredFile()),
    (_checked(forms.ClearableFileInput()), StoredFile()),
    (forms.ClearableFileInput(attrs={"disabled": True}), StoredFile()),
    (forms.ClearableFileInput(), NoFile()),
    (forms.SplitDateTimeWidget(), datetime(2026, 3, 1, 10, 30)),  # left to the templates
]


@pytest.mark.parametrize("widget,value", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("language", ["ro", "en"])
def test_each_widget_is_written_as_djangos_templates_write_it(widget, value, language, settings):
    from django.utils import translation

    with translation.override(language):
        for attrs in (None, ATTRS):
            expected = widget.render("f", value, attrs=attrs, renderer=DJANGO)
            assert widget.render("f", value, attrs=attrs, renderer=FAST) == expected


def test_each_choice_of_a_list_too():
    """A form that draws a list's choices one by one (includes/form_field.html does for
    radio buttons and checkboxes) gets Django's markup for each."""

    class Form(forms.Form):
        kinds = forms.MultipleChoiceField(
            choices=[("a", "A <1>"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        level = forms.ChoiceField(choices=[("c", "C"), ("d", "D & E")], widget=forms.RadioSelect)

    slow = Form(data={"kinds": ["a"], "level": "d"}, renderer=DJANGO)
    fast = Form(data={"kinds": ["a"], "level": "d"}, renderer=FAST)
    for name in ("kinds", "level"):
        assert [c.tag() for c in fast[name]] == [c.tag() for c in slow[name]]
        assert [c.tag(wrap_label=True) for c in fast[name]] == [
            c.tag(wrap_label=True) for c in slow[name]
        ]
    assert fast.as_div() == slow.as_div()


def test_a_widget_template_a_project_overrides_is_left_to_the_engine(tmp_path):
    """If a project's templates override a widget's template, the engine renders that
    one: the renderer never writes markup the project replaced."""
    folder = tmp_path / "django" / "forms" / "widgets"
    folder.mkdir(parents=True)
    (folder / "text.html").write_text('<input class="mine" name="{{ widget.name }}">')

    class Renderer(FormRenderer):
        @property
        def engine(self):
            from django.template.backends.django import DjangoTemplates as Backend

            return Backend(
                {
                    "APP_DIRS": True,
                    "DIRS": [tmp_path, *DJANGO.engine.engine.dirs],
                    "NAME": "test-forms",
                    "OPTIONS": {},
                }
            )

    assert (
        forms.TextInput().render("f", "x", renderer=Renderer()) == '<input class="mine" name="f">'
    )
    assert forms.EmailInput().render("f", "x", renderer=Renderer()) == (
        forms.EmailInput().render("f", "x", renderer=DJANGO)
    )


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client, url):
    return CSRF.sub("", client.get(url).text)


@pytest.mark.django_db
def test_form_pages_are_the_same_with_djangos_renderer(
    client, ngo_admin, organisation, institution_admin, institution
):
    """Whole form pages (profile, institution, official, structure, staff) come out the
    same with the project's renderer and with Django's."""
    pages = [
        (ngo_admin, reverse("registry:organisation-edit", args=[organisation.pk])),
        (institution_admin, reverse("registry:institution-edit", args=[institution.pk])),
        (institution_admin, reverse("registry:official-create", args=[institution.pk])),
        (institution_admin, reverse("registry:structure-create", args=[institution.pk])),
        (institution_admin, reverse("registry:institution-staff", args=[institution.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        fast = _page(client, url)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            slow = _page(client, url)
        assert "<form" in fast
        assert fast == slow, url


def test_labels_and_help_texts_are_translated_once_per_language():
    """A form's fields get their label and help text in the active language, translated
    once per text and language (Django's BoundField read them about five times a field);
    a form made in the other language gets the other language's texts."""
    from django import forms
    from django.utils import translation
    from django.utils.functional import lazy
    from django.utils.translation import gettext

    from conect.core import forms_renderer

    calls = []
    counted = lazy(lambda message: calls.append(message) or gettext(message), str)

    class Named(forms.Form):
        name = forms.CharField(label=counted("Name"), help_text=counted("Password"))

    forms_renderer._kept_texts.clear()
    with translation.override("ro"):
        romanian = Named()["name"]
        assert (romanian.label, romanian.help_text) == ("Nume", "Parolă")
        assert calls == ["Name", "Password"]
        again = Named()["name"]
        assert (again.label, again.help_text) == ("Nume", "Parolă")
        assert 'id="id_name_helptext">Parolă<' in str(Named())
        assert calls == ["Name", "Password"]  # kept: not translated again
    with translation.override("en"):
        english = Named()["name"]
        assert (english.label, english.help_text) == ("Name", "Password")
    assert len(calls) == 4
    assert Named.base_fields["name"].label is not english.label  # the class keeps its lazy text
