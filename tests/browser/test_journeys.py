"""The main journeys, in a real browser: each role signs in and lands on its own work; a
supervisor follows a concern to the child and to who has looked at the record; a concern is
acknowledged and closed through the forms; a school sees only what is addressed to it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from childfirst.domain.roles import Role
from childfirst.rules.registry import RULES
from childfirst.web.permissions import allows
from tests.browser.area import (
    CHILD,
    DETAINEE,
    ENCOMPASS,
    PATTERN,
    RETURN_INTERVIEW,
    TEEN,
    Area,
)
from tests.browser.conftest import OpenPage, sign_in

# What each role finds first on its work queue: (action, child). Roles that have no work queue land
# on their own first page: case review, the dashboards, or else the rules and learning catalogue.
FIRST_WORK = {
    Role.RESPONSE_OFFICER: ("Record for this child: present, seen", "Kayleigh Walsh"),
    Role.CUSTODY_OFFICER: ("Secure an appropriate adult", "Jordan Hale"),
    Role.PUBLIC_PROTECTION: ("Notify the child's school (Operation Encompass)", "Kayleigh Walsh"),
    Role.MISSING_COORDINATOR: ("Arrange an independent return home interview", "Amelia Price"),
    Role.SUPERVISOR: ("Record for this child: present, seen", "Kayleigh Walsh"),
    Role.SCHOOL: ("Notify the child's school (Operation Encompass)", "Kayleigh Walsh"),
}

LANDING = {
    Role.CASE_REVIEWER: ("/case-review", "Case review"),
    Role.ANALYST: ("/dashboards", "Dashboard"),
    Role.ADMINISTRATOR: ("/dashboards", "Dashboard"),
}


def queue_rows(page: Page) -> list[str]:
    return [row.inner_text() for row in page.locator("table tbody tr").all()]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_signs_in_and_lands_on_its_own_work(page: Page, area: Area, role: Role) -> None:
    sign_in(page, area, role)
    expect(page.get_by_text(f"Demo {role.label} ({role.label})")).to_be_visible()
    if not allows("queue_page", role):
        path, heading = LANDING.get(role, ("/catalogue", "Rules and learning"))
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Work queue")).to_have_count(0)
        return
    expect(page).to_have_url(re.compile(r"/queue$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    expect(page.get_by_text(f"Open actions for {role.label}")).to_be_visible()
    if role not in FIRST_WORK:
        expect(page.get_by_text("There are no open actions for your role.")).to_be_visible()
        return
    action, child = FIRST_WORK[role]
    first = page.locator("table tbody tr").first
    expect(first).to_contain_text(action)
    expect(first).to_contain_text(child)
    # Overdue work comes first, and is marked in words as well as colour.
    expect(first.get_by_text("Overdue")).to_be_visible()


def test_each_partner_sees_only_its_own_notifications(open_page: OpenPage, area: Area) -> None:
    school, health = open_page(), open_page()
    sign_in(school, area, Role.SCHOOL)
    sign_in(health, area, Role.HEALTH)
    rows = queue_rows(school)
    assert rows, "the school's notification is missing from its queue"
    assert all("Kayleigh Walsh" in row and "Operation Encompass" in row for row in rows)
    expect(health.get_by_text("There are no open actions for your role.")).to_be_visible()


def test_a_supervisor_follows_a_concern_to_the_child_and_its_audit(page: Page, area: Area) -> None:
    sign_in(page, area, Role.SUPERVISOR)
    page.get_by_role("link", name="Repeated domestic abuse in a child's household").first.click()
    expect(page).to_have_url(re.compile(rf"/concerns/{area.concerns[PATTERN]}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Repeated domestic abuse in a child's household"
    )
    why = page.locator("section", has=page.get_by_role("heading", name="Why this concern"))
    expect(why).to_contain_text("Kayleigh Walsh")
    learning = page.locator("section", has=page.get_by_role("heading", name="The learning"))
    expect(learning.get_by_role("listitem").first).to_be_visible()
    expect(page.get_by_role("heading", name="What it rests on")).to_be_visible()

    page.get_by_role("link", name="Kayleigh Walsh").click()
    expect(page).to_have_url(re.compile(rf"/children/{CHILD}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kayleigh Walsh")
    expect(page.get_by_text("Born 30 Jun 2016")).to_be_visible()
    concerns = page.locator("section", has=page.get_by_role("heading", name="Concerns"))
    expect(concerns.get_by_role("link", name="Tell the child's school")).to_have_count(2)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()

    page.get_by_role("link", name="Who has looked at this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has looked at this record")
    views = page.locator("table tbody tr")
    expect(views.filter(has_text="demo.supervisor").first).to_be_visible()
    expect(views.filter(has_text=f"concern {area.concerns[PATTERN]}")).to_have_count(1)


def test_a_concern_is_acknowledged_then_closed_with_a_reason(
    open_page: OpenPage, area: Area
) -> None:
    concern = f"/concerns/{area.concerns[PATTERN]}"
    officer = open_page()
    sign_in(officer, area, Role.PUBLIC_PROTECTION)
    officer.goto(concern)
    expect(officer.get_by_text(re.compile(r"· open$"))).to_be_visible()
    officer.get_by_role("button", name="Acknowledge").click()
    expect(officer.get_by_text(re.compile(r"· acknowledged$"))).to_be_visible()
    expect(officer.get_by_role("button", name="Acknowledge")).to_have_count(0)

    supervisor = open_page()
    sign_in(supervisor, area, Role.SUPERVISOR)
    supervisor.goto(concern)
    # The form will not go without a reason: the browser keeps it back and the page stays open.
    supervisor.get_by_role("button", name="Close concern").click()
    expect(supervisor.get_by_text(re.compile(r"· acknowledged$"))).to_be_visible()
    reason = "Strategy meeting held; the family are supported under a child in need plan."
    supervisor.get_by_label("Reason for closing").fill(reason)
    supervisor.get_by_role("button", name="Close concern").click()
    expect(supervisor.get_by_text(re.compile(r"· closed$"))).to_be_visible()
    closed = supervisor.get_by_text(re.compile(r"^Closed by demo\.supervisor on "))
    expect(closed).to_contain_text(reason)
    history = supervisor.locator("section", has=supervisor.get_by_role("heading", name="History"))
    expect(history).to_contain_text("demo.public_protection")
    expect(history).to_contain_text(reason)

    # The officer's queue no longer holds the closed concern's actions.
    officer.goto("/queue")
    expect(officer.locator("table tbody tr", has_text="Assess the cumulative")).to_have_count(0)


def test_a_custody_officer_sees_the_child_detainee_and_the_actions(page: Page, area: Area) -> None:
    sign_in(page, area, Role.CUSTODY_OFFICER)
    rows = page.locator("table tbody tr", has_text="Jordan Hale")
    expect(rows).to_have_count(4)
    rows.first.get_by_role("link", name="A child in custody").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{area.concerns[DETAINEE]}$"))
    expect(page.get_by_role("link", name="Jordan Hale")).to_have_attribute(
        "href", f"/children/{TEEN}"
    )
    actions = page.locator("section", has=page.get_by_role("heading", name="Actions", exact=True))
    expect(actions.get_by_text("Secure an appropriate adult")).to_be_visible()
    expect(actions.get_by_text("juvenile room")).to_be_visible()

    # The officer records the appropriate adult as secured, saying how.
    form = page.get_by_role("form", name="Secure an appropriate adult")
    form.get_by_label("What was done").fill("Mother attended as appropriate adult at 02:10")
    form.get_by_role("button", name="Mark as done").click()
    done = actions.locator("tbody tr", has_text="Secure an appropriate adult")
    expect(done).to_contain_text("by demo.custody_officer")
    expect(done).to_contain_text("Mother attended as appropriate adult at 02:10")
    expect(page.get_by_role("form", name="Secure an appropriate adult")).to_have_count(0)


def test_a_missing_childs_return_home_interview_is_due(page: Page, area: Area) -> None:
    sign_in(page, area, Role.MISSING_COORDINATOR)
    rows = page.locator("table tbody tr", has_text="Amelia Price")
    # The return is long past and no interview was recorded: that is a concern of its own.
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Find out why no return home interview")).to_have_count(1)
    row = rows.filter(has_text="Arrange an independent return home interview")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{area.concerns[RETURN_INTERVIEW]}$"))
    why = page.locator("section", has=page.get_by_role("heading", name="Why this concern"))
    expect(why).to_contain_text("Amelia Price (aged 14) came back from a missing episode")
    expect(why).to_contain_text("return home interview is due within 72 hours")


def test_a_school_opens_its_notification_and_finds_nothing_else(page: Page, area: Area) -> None:
    sign_in(page, area, Role.SCHOOL)
    page.get_by_role("link", name="Tell the child's school").first.click()
    expect(page).to_have_url(re.compile(rf"/concerns/{area.concerns[ENCOMPASS]}$"))
    expect(page.get_by_text("About Kayleigh Walsh")).to_be_visible()
    # The police record behind the notification, and the child's whole record, are not shared.
    expect(page.get_by_role("heading", name="What it rests on")).to_have_count(0)
    expect(page.get_by_role("link", name="Kayleigh Walsh")).to_have_count(0)
    for path in (
        f"/concerns/{area.concerns[PATTERN]}",
        f"/concerns/{area.concerns[DETAINEE]}",
        f"/children/{CHILD}",
        f"/children/{CHILD}/audit",
        "/concerns/999999",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(page.get_by_text("There is nothing here.")).to_be_visible()


def test_the_catalogue_lists_every_rule_with_its_learning(page: Page, area: Area) -> None:
    sign_in(page, area, Role.ANALYST)
    page.get_by_role("link", name="Rules and learning").click()
    contents = page.get_by_role("navigation", name="Rules on this page")
    expect(contents.get_by_role("link")).to_have_count(len(RULES))
    contents.get_by_role("link", name="A child in custody").click()
    expect(page).to_have_url(re.compile(r"#custody\.child-detainee$"))
    section = page.locator("section#custody\\.child-detainee")
    expect(section.get_by_role("heading", level=2)).to_have_text("A child in custody")
    expect(section.get_by_text("Secure an appropriate adult")).to_be_visible()


def test_a_wrong_password_is_refused_and_signing_out_ends_the_session(
    page: Page, area: Area
) -> None:
    page.goto("/queue")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/queue$"))
    page.get_by_label("Username").fill("demo.supervisor")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The username or password is not right.")

    sign_in(page, area, Role.SUPERVISOR)
    expect(page).to_have_url(re.compile(r"/queue$"))
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    page.goto("/queue")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/queue$"))
