"""Playwright for Python driving Debian's chromium against pytest-django's live_server.

Never downloads a browser: the binary is /usr/bin/chromium (or $PRCOUNCIL_CHROMIUM).
Screenshots go to test-results/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def chromium_path():
    return os.environ.get("PRCOUNCIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not Path(path).exists():
        pytest.skip(f"Debian's chromium is not installed ({path}); apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous, so the async-safety guard is lifted for this session.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def page(browser, live_server, console_errors):
    context = browser.new_context(locale="fa-IR", viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and console_errors.append(f"{response.status} {response.url}"),
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    def take(name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page):
    def log_in(username, password="pass-1405"):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_load_state("networkidle")

    return log_in
