"""Browser fixtures shared by every browser test, wherever it lives: ONE Playwright
session for the whole run (a second sync Playwright in the same thread would find the
first one's event loop running). Registered in tests/conftest.py.

Fixtures: `browser` (one Chromium for the session), `page` (an English, anonymous page that
records page errors and CSP violations in `page.problems`) and `page_for(user,
language="en")` (a page already signed in as `user`).
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# next to one unless told that this is deliberate (the test code is still synchronous).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.skip(f"Chromium is not installed at {executable} (set CHROMIUM_PATH)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, live_server, *, language="en", cookies=()):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB" if language == "en" else "ro-RO",
        extra_http_headers={"Accept-Language": language},
    )
    if cookies:
        context.add_cookies(list(cookies))
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []

    def on_console(message):
        if "favicon" in (message.location or {}).get("url", ""):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", on_console)
    page.problems = problems
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_for(browser, live_server):
    """page_for(user, language="en"): a page signed in as `user` (by session cookie)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user, language="en"):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": session.value,
            "url": live_server.url,
        }
        context, page = _new_page(browser, live_server, language=language, cookies=[cookie])
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
