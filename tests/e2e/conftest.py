"""Browser fixtures for the end-to-end tests: Debian's chromium driven by Playwright (sync API).

Never `playwright install`: the browser is the system one at /usr/bin/chromium.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The roles and dictionaries that the data migrations write, written again for each test.

    A live-server test runs in a transactional database that is flushed after each test, and
    `serialized_rollback` cannot restore it here: while Playwright's sync API runs its event loop in
    the test thread, Django hands the test a different connection object from the one that holds the
    serialized copy. The loaders only create what is missing.
    """
    from xuncha.accounts.models import Role
    from xuncha.core.models import DictItem, DictType
    from xuncha.core.seed import load_dictionaries, load_roles

    load_roles(Role)
    load_dictionaries(DictType, DictItem)


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.skip("未安装 chromium（apt-get install chromium fonts-wqy-microhei）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "name") saves a full-page screenshot to test-artifacts/e2e/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)

    def _shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def _submit_login(page, username: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    # A successful login leaves the login page (home, or the forced password change).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


@pytest.fixture
def log_in(page):
    """log_in(username, password) fills and submits the login page, as a person would (successful logins only)."""

    def _log_in(username: str, password: str):
        return _submit_login(page, username, password)

    return _log_in


@pytest.fixture
def open_as(browser, live_server):
    """open_as(username) -> (context, page): a browser of its own, logged in with the test password.

    For tests where several people act in turn (member, leader, office …); each gets its own
    context (cookies), closed by the test or at its end.
    """
    from xuncha.core.testing.world import PASSWORD

    contexts = []

    def _open_as(username: str, timeout_ms: int = 20_000):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                      viewport={"width": 1366, "height": 900})
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        return context, _submit_login(context.new_page(), username, PASSWORD)

    yield _open_as
    for context in contexts:
        context.close()  # closing a closed context does nothing
