"""Every main page, as the role that uses it: axe-core finds nothing against WCAG 2.2 AA, and a
screenshot of the page is saved under docs/screenshots/ for the README.

The clock is fixed and the records are the same each run, so the pictures only change when the
pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from childfirst.domain.roles import Role
from tests.browser.area import CHILD, FIXED_NOW, PATTERN, Area
from tests.browser.conftest import SCREENSHOTS, assert_accessible, axe_violations, sign_in

pytestmark = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@dataclass(frozen=True)
class MainPage:
    name: str  # also the screenshot's file name
    role: Role | None  # who looks at it; None: nobody is signed in
    path: Callable[[Area], str]
    heading: str
    status: int = 200


PAGES = [
    MainPage("sign-in", None, lambda a: "/sign-in", "Sign in"),
    MainPage("work-queue", Role.SUPERVISOR, lambda a: "/queue", "Work queue"),
    MainPage("partner-queue", Role.SCHOOL, lambda a: "/queue", "Work queue"),
    MainPage(
        "concern",
        Role.SUPERVISOR,
        lambda a: f"/concerns/{a.concerns[PATTERN]}",
        "Repeated domestic abuse in a child's household",
    ),
    MainPage("child-profile", Role.SUPERVISOR, lambda a: f"/children/{CHILD}", "Kayleigh Walsh"),
    MainPage(
        "child-audit",
        Role.SUPERVISOR,
        lambda a: f"/children/{CHILD}/audit",
        "Who has looked at this record",
    ),
    MainPage("catalogue", Role.ANALYST, lambda a: "/catalogue", "Rules and learning"),
    MainPage(
        "search",
        Role.RESPONSE_OFFICER,
        lambda a: "/search?name=Kaylee+Walsh&why=Domestic+abuse+call+to+12+Mill+Lane",
        "Search",
    ),
    MainPage(
        "incident-form",
        Role.RESPONSE_OFFICER,
        lambda a: (
            "/incidents/new?event_type=domestic_abuse&occurred_at=2025-11-30T21:40&location=L1"
            "&person_0=P2&role_0=victim&person_1=P3&role_1=suspect&submission=a1b2c3d4&find=1"
        ),
        "Record an incident",
    ),
    MainPage("notifications", Role.SCHOOL, lambda a: "/notifications", "Notifications"),
    MainPage("dashboard", Role.SUPERVISOR, lambda a: "/dashboards", "Dashboard"),
    MainPage(
        "disproportionality",
        Role.ANALYST,
        lambda a: "/dashboards/disproportionality",
        "Disproportionality",
    ),
    MainPage("linkage-review", Role.ANALYST, lambda a: "/linkage/review", "Linkage review"),
    MainPage("case-review", Role.CASE_REVIEWER, lambda a: "/case-review", "Case review"),
    MainPage(
        "not-found",
        Role.SCHOOL,
        lambda a: f"/concerns/{a.concerns[PATTERN]}",
        "Not found",
        status=404,
    ),
]


@pytest.mark.parametrize("main_page", PAGES, ids=lambda p: p.name)
def test_main_page_is_accessible_and_photographed(
    page: Page, area: Area, main_page: MainPage
) -> None:
    if main_page.role is not None:
        sign_in(page, area, main_page.role)
    response = page.goto(main_page.path(area))
    assert response is not None
    assert response.status == main_page.status
    expect(page.get_by_role("heading", level=1)).to_have_text(main_page.heading)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{main_page.name}.png", animations="disabled")
    assert_accessible(page)


def test_a_refused_sign_in_is_accessible(page: Page, area: Area) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill("demo.supervisor")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_the_keyboard_reaches_the_content_first(page: Page, area: Area) -> None:
    sign_in(page, area, Role.SUPERVISOR)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # From the content, the next stop is the first link in the work queue.
    page.keyboard.press("Tab")
    expect(page.locator("main table a").first).to_be_focused()


def test_the_accessibility_check_finds_what_it_should(page: Page, area: Area) -> None:
    """A page with an unlabelled field and text too faint to read fails the check."""
    page.set_content(
        '<html lang="en"><head><title>Bad</title></head><body><main>'
        '<input type="text"><p style="color:#ccc">Faint</p></main></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "color-contrast"} <= found
