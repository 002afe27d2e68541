"""Recording incidents through the children-first form, in a real browser, and what follows: the
concerns and actions appear on the right queues at once, and a school acknowledges the notification
addressed to it."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from childfirst.domain.roles import Role
from tests.browser.area import SCHOOL_NAME, Area
from tests.browser.conftest import OpenPage, sign_in


def describe_incident(
    page: Page, event_type: str, when: str, people: list[tuple[str, str]], location: str = ""
) -> None:
    """The form's first part: what, when, where and who; then list the children around them."""
    page.get_by_role("link", name="Record an incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an incident")
    page.get_by_label("What kind of incident").select_option(event_type)
    page.get_by_label("When it happened (UK time)").fill(when)
    page.get_by_label("Address").fill(location)
    for i, (person, role) in enumerate(people):
        page.get_by_label(f"Person {i + 1}", exact=True).fill(person)
        page.get_by_label(f"Role of person {i + 1}").select_option(role)
    page.get_by_role("button", name="List the children").click()
    expect(page.get_by_role("heading", name="The children")).to_be_visible()


def child_account(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name=re.compile(f"^{name}"))


def answer(child: Locator, question: str, yes: bool) -> None:
    choice = child.get_by_role("group", name=question)
    choice.get_by_label(re.compile("^Yes" if yes else "^No")).check()


def record(page: Page) -> None:
    page.get_by_role("button", name="Record the incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/evt_[0-9a-f]+$"))


def test_a_domestic_abuse_incident_reaches_the_queues_and_the_school_acknowledges(
    open_page: OpenPage, area: Area
) -> None:
    officer = open_page()
    sign_in(officer, area, Role.RESPONSE_OFFICER)
    describe_incident(
        officer, "domestic_abuse", "2025-11-24T21:40", [("P2", "victim"), ("P3", "suspect")], "L1"
    )
    kayleigh = child_account(officer, "Kayleigh Walsh")
    expect(kayleigh).to_contain_text("lives at the address")
    answer(kayleigh, "Was the child present?", yes=True)
    answer(kayleigh, "Was the child seen?", yes=True)
    answer(kayleigh, "Was the child spoken to alone?", yes=False)
    kayleigh.get_by_label("If not spoken to alone, why not").fill(
        "Her mother's partner would not leave the room."
    )
    kayleigh.get_by_label("What the child said, in their own words").fill("I hid under my bed.")
    officer.get_by_label("Incident reference").fill("NM/25/B100")
    officer.get_by_label("What happened").fill("Shouting and a smashed door; neighbours called.")
    record(officer)
    expect(officer.get_by_role("heading", level=1)).to_have_text("Domestic abuse incident")
    expect(officer.get_by_text("In the child's words:")).to_contain_text("I hid under my bed.")
    raised = officer.locator("section", has=officer.get_by_role("heading", name="Concerns resting"))
    notify = raised.locator("article", has_text="Tell the child's school")
    expect(notify).to_contain_text(f"Shared with school: {SCHOOL_NAME}")

    # The police's own action to notify the school is on the public protection queue.
    protection = open_page()
    sign_in(protection, area, Role.PUBLIC_PROTECTION)
    encompass = protection.locator("table tbody tr", has_text="Operation Encompass")
    expect(encompass).to_have_count(3)

    # The school sees the new notification on its queue and acknowledges it.
    school = open_page()
    sign_in(school, area, Role.SCHOOL)
    expect(school.locator("table tbody tr", has_text="Kayleigh Walsh")).to_have_count(3)
    school.get_by_role("link", name="Notifications").click()
    row = school.locator("table tbody tr", has_text="NM/25/B100")
    expect(row).to_have_count(1)
    row.get_by_label("Note (optional)").fill("Class teacher and the designated lead told.")
    row.get_by_role("button", name=re.compile("^Acknowledge")).click()
    row = school.locator("table tbody tr", has_text="NM/25/B100")
    expect(row).to_contain_text("Acknowledged by demo.school")
    expect(row).to_contain_text("Class teacher and the designated lead told.")

    # The officer sees that it reached the school.
    officer.reload()
    expect(notify).to_contain_text("acknowledged by demo.school")


def test_a_missing_childs_return_makes_the_return_home_interview_due(
    open_page: OpenPage, area: Area
) -> None:
    officer = open_page()
    sign_in(officer, area, Role.RESPONSE_OFFICER)
    describe_incident(officer, "missing_returned", "2025-11-28T07:30", [("P6", "subject")])
    leah = child_account(officer, "Leah Moss")
    expect(leah).to_contain_text("named on the incident")
    for question in ("Was the child present?", "Was the child seen?"):
        answer(leah, question, yes=True)
    answer(leah, "Was the child spoken to alone?", yes=True)
    leah.get_by_label("What the child said, in their own words").fill("I stayed at a friend's.")
    record(officer)
    raised = officer.locator("article", has_text="Return home interview after a missing episode")
    expect(raised).to_contain_text("Arrange an independent return home interview")
    # Due 72 hours after the return (the times are shown in UK time).
    expect(raised).to_contain_text("due Mon 01 Dec 2025, 07:30")

    coordinator = open_page()
    sign_in(coordinator, area, Role.MISSING_COORDINATOR)
    rows = coordinator.locator("table tbody tr", has_text="Leah Moss")
    row = rows.filter(has_text="Arrange an independent return home interview")
    expect(row).to_contain_text("Mon 01 Dec 2025, 07:30")
    # Recorded long after the return, with no interview on record: overdue as soon as recorded.
    missed = officer.locator("article", has_text="No return home interview is recorded")
    expect(missed).to_contain_text("no return home interview is recorded within 72 hours")
    expect(rows.filter(has_text="Find out why no return home interview")).to_have_count(1)


def test_a_17_year_olds_detention_raises_the_child_detainee_concern_and_actions(
    open_page: OpenPage, area: Area
) -> None:
    officer = open_page()
    sign_in(officer, area, Role.CUSTODY_OFFICER)
    describe_incident(officer, "custody_detention", "2025-11-26T19:00", [("P8", "detainee")])
    callum = child_account(officer, "Callum Reid")
    expect(callum).to_contain_text("aged 17")
    for question in ("Was the child present?", "Was the child seen?"):
        answer(callum, question, yes=True)
    answer(callum, "Was the child spoken to alone?", yes=True)
    officer.get_by_label("The detainee was held overnight").check()
    record(officer)
    raised = officer.locator("article", has_text="A child in custody")
    expect(raised).to_contain_text("About Callum Reid")
    expect(raised.get_by_role("listitem")).to_have_count(4)

    officer.get_by_role("link", name="Work queue").click()
    rows = officer.locator("table tbody tr", has_text="Callum Reid")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Secure an appropriate adult")
