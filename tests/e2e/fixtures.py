"""Browser fixtures: the real app (built once per session), Debian chromium, a page per test.

They are registered by the root ``tests/conftest.py`` so that every directory (tests/e2e,
tests/security) shares one app and one Playwright instance per session: two sync Playwright
instances cannot run in one process.

    def test_x(ui_app, new_page):
        user = ui_app.make_user("DOMAIN_EXPERT")
        page = new_page(user)              # signed in as user (None: signed out)
        page.goto(ui_app.url + "/settings")

Mark browser test modules with ``pytestmark = pytest.mark.browser``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.app import CHROMIUM_ARGS, UiApp, start_ui_app

# A shared, busy machine can take seconds per round trip: wait as long for assertions as for actions.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def ui_app(tmp_path_factory) -> Iterator[UiApp]:
    """The app in production mode on a free port with an empty SQLite data dir."""
    app = start_ui_app(tmp_path_factory.mktemp("ui-app") / "data")
    yield app
    app.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(ui_app, browser) -> Iterator:
    """A factory of pages, each in its own browser context (own cookies and localStorage),
    optionally signed in as a ``UiUser``; contexts close after the test."""
    contexts = []

    def make(user=None, viewport=(1280, 800)):
        ctx = browser.new_context(base_url=ui_app.url, viewport={"width": viewport[0], "height": viewport[1]},
                                  permissions=["clipboard-read", "clipboard-write"])
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        if user is not None:
            ui_app.sign_in(ctx, user)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
