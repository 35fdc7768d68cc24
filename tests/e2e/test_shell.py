"""The shell in a real browser: skip link, keyboard language switcher, styles loaded,
and sign-up through the e-mailed link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conect.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+/")


def test_styles_and_scripts_load(page):
    """Bootstrap and our stylesheet are served locally and applied, with no CSP error."""
    page.goto("/")
    # Bootstrap's .container gives the main element a max width; our CSS colours the brand.
    assert page.eval_on_selector("main", "el => getComputedStyle(el).maxWidth") != "none"
    brand = page.eval_on_selector(".navbar-brand", "el => getComputedStyle(el).color")
    assert brand == "rgb(11, 79, 138)"
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert page.problems == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    """The first Tab shows the skip link; following it puts the focus on the main content."""
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.is_visible("a.skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_works_by_keyboard(page):
    """A keyboard user reaches the switcher with Tab and switches with Enter; the choice
    survives the next page."""
    page.goto("/")
    assert page.get_attribute("html", "lang") == "en"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('name')") == "language":
            break
    else:
        pytest.fail("the language switcher cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "ro"
    page.goto(reverse("account_login"))
    assert page.get_attribute("html", "lang") == "ro"


def test_sign_up_confirm_and_arrive_signed_in(page, live_server):
    """A visitor fills the sign-up form, opens the link from the e-mail and is signed in."""
    page.goto(reverse("account_signup"))
    page.get_by_label("Full name").fill("Ana Browser")
    page.get_by_label("E-mail address").fill("ana.browser@example.org")
    # The labels read "Password *" and "Password (again) *": the mark is only visual.
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase-7")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase-7")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your e-mail address"

    link = CONFIRM_LINK.search(mail.outbox[-1].body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    user = User.objects.get(email="ana.browser@example.org")
    assert page.get_by_role("button", name=re.compile("Ana")).is_visible()
    assert "You are signed in as Ana Browser." in page.content()
    assert user.emailaddress_set.get().verified


def test_form_errors_are_announced_and_linked(page):
    """A sign-in with empty fields shows an error summary and marks the fields invalid."""
    page.goto(reverse("account_login"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    field = page.get_by_label("E-mail address")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text()


def test_navigation_menu_opens_by_keyboard(page_for, coordinator):
    """The account menu opens with the keyboard and its links can be reached."""
    page = page_for(coordinator)
    page.goto("/")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.focus("#nav-account")
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="My profile").is_visible()
    assert page.problems == []
