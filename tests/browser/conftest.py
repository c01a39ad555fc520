"""Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from tests.support.services import services_required

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Injected by the browser itself (not subject to the page's policy): every violation of the
# Content-Security-Policy is written to the console, where the context's listener collects it.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""
_csp_violations: list[str] = []


def _on_console(message: ConsoleMessage) -> None:
    text = message.text
    if text.startswith("CSP violation") or "Content Security Policy" in text:
        url = message.page.url if message.page else "?"
        _csp_violations.append(f"{url}: {text}")


def _watch_csp(browser: Browser) -> None:
    """Make every context of this browser (the fixtures' and the tests' own) report violations."""
    new_context = browser.new_context

    def watched(*args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(*args, **kwargs)
        if str(kwargs.get("locale", "")).startswith("en"):
            # The journeys are written in English: their people chose English with the language
            # switcher (its cookie), whatever language the directory lists first for them.
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": "en",
                        "domain": host,
                        "path": "/",
                    }
                    for host in ("localhost", "127.0.0.1")
                ]
            )
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("console", _on_console)
        return context

    browser.new_context = watched  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fail_on_csp_violations() -> Iterator[None]:
    """A journey fails on any Content-Security-Policy violation Chromium reports."""
    _csp_violations.clear()
    yield
    if _csp_violations:
        found = "\n".join(dict.fromkeys(_csp_violations))
        _csp_violations.clear()
        pytest.fail(f"Content-Security-Policy violations:\n{found}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _watch_csp(browser)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{base_url}/organisations/")
