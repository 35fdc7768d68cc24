"""Browser tests: headless Chromium (Debian's package) driven by Playwright against
pytest-django's live server.

Mark a module with `pytest.mark.e2e` and
`pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the live server
needs a transactional database, and serialized_rollback keeps the reference geography
for the tests that follow. Tests in this folder get both marks automatically if they
forget. The fixtures (`browser` (one Chromium for the session), `page` (an English,
anonymous page that records page errors and CSP violations in `page.problems`) and
`page_for(user, language="en")` (a page already signed in as `user`)) live in tests/browser.py.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if HERE not in Path(item.fspath).parents:
            continue
        if item.get_closest_marker("e2e") is None:
            item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
