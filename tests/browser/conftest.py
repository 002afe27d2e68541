"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against the application
served by a real Uvicorn server on a free port of this machine.

Without a Chromium (or without axe-core, for the accessibility checks) the tests are skipped with
the reason; under CI (``CI=true``) they are required and fail instead. Browsers are never
downloaded: the tests use the Chromium that the system's package manager installed.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from childfirst.domain import clock
from childfirst.domain.roles import Role
from childfirst.store.database import Database
from childfirst.web import auth
from childfirst.web.app import create_app
from childfirst.web.demo import demo_username
from childfirst.web.settings import Settings
from tests.browser.area import Area, build_area

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHILDFIRST_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
SECRET = "a-browser-test-secret-key-long-enough-to-pass"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(what: str) -> NoReturn:
    """Skip for want of ``what``; under CI, fail, since there the browser tests are required."""
    if IN_CI:
        pytest.fail(f"{what}; under CI=true the browser tests are required")
    pytest.skip(f"{what}; browser tests skipped")


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its lowest cost: the tests sign in often, and the cost is not what they test."""
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (install the 'chromium' package)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def now() -> datetime | None:
    """The time the server sees: the real clock (``None``) unless a test module fixes it."""
    return None


def fix_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Stop the application's clock at ``at``, in every module that reads it.

    For the pages that are photographed, so that times shown on them do not change between runs.
    """
    real = clock.utcnow

    def fixed() -> datetime:
        return at

    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "childfirst" and getattr(module, "utcnow", None) is real:
            monkeypatch.setattr(module, "utcnow", fixed)


@pytest.fixture
def area(
    db: Database, tmp_path: Path, now: datetime | None, monkeypatch: pytest.MonkeyPatch
) -> Area:
    if now is not None:
        fix_clock(monkeypatch, now)
    return build_area(db, tmp_path)


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with Uvicorn on a free loopback port in a background thread; yields its URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"uvicorn-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        listener.close()


@pytest.fixture
def server(area: Area) -> Iterator[str]:
    settings = Settings(database_url=area.db.url, secret_key=SECRET, development=True)
    with serve(create_app(settings, area.db)) as url:
        yield url


OpenPage = Callable[[], Page]


@pytest.fixture
def open_page(chromium: Browser, server: str) -> Iterator[OpenPage]:
    """A factory of pages, each in its own browser context (its own cookies: its own user).

    Any uncaught script error on a page fails the test, and so does anything the page asks for
    that the application's Content-Security-Policy refuses.
    """
    contexts = []
    errors: list[str] = []

    def refused(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    def make() -> Page:
        context = chromium.new_context(
            base_url=server,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            locale="en-GB",
            timezone_id="Europe/London",
            reduced_motion="reduce",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", refused)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"script errors on the pages: {errors}"


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    return open_page()


def sign_in(page: Page, area: Area, role: Role) -> None:
    """Sign in through the form, as the demo account of ``role``, and wait to leave the form."""
    page.goto("/sign-in")
    page.get_by_label("Username").fill(demo_username(role))
    page.get_by_label("Password").fill(area.passwords[role])
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in"))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds on the page against WCAG 2.0, 2.1 and 2.2, levels A and AA."""
    if not AXE.exists():
        unavailable(f"axe-core is not installed at {AXE.relative_to(REPO)} (run 'npm ci')")
    # Run through the browser's developer protocol: a script tag added to the page would be inline
    # script, which the application's Content-Security-Policy refuses, as it should.
    page.evaluate(f"() => {{ {AXE.read_text(encoding='utf-8')}\n; window.axe = axe; }}")
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    assert isinstance(found, list)
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}:\n{describe(violations)}"
