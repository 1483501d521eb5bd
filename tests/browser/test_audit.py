"""The audit events screen in Chromium against `make local` (issue 12): an IT admin finds a change they made,
a project admin reads only their projects' trail, a researcher forcing the URL gets the refusal, not data."""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest

from local.token import access_token


def _describe_the_demo_project(stack: dict, description: str) -> str:
    """The change to find: the IT admin sets the demo project's description through the API."""
    admin = next(u for u in stack["users"] if u["role"] == "ITAdmin")
    project = next(u["projectId"] for u in stack["users"] if u["role"] == "Researcher")
    request = urllib.request.Request(f"{stack['apiUrl'].rstrip('/')}/projects/{project}", method="PATCH",
                                     data=json.dumps({"description": description}).encode(),
                                     headers={"Authorization": f"Bearer {access_token(stack, admin['username'])}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the local API
        assert answer.status == 200
    return project


def _open_audit_filtered_by(page, action: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
    page.get_by_role("heading", name="Audit events").wait_for()
    page.get_by_role("table").or_(page.locator(".empty, .problem")).first.wait_for()
    box = page.get_by_label("Action", exact=True)
    box.fill(action)
    box.press("Enter")  # the filters are a form: Enter applies them
    applied = re.compile(rf"Showing \d+ events? with action {re.escape(action)}\b")  # not the unfiltered first page
    page.get_by_role("status").filter(has_text=applied).wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_it_admin_finds_their_change_in_the_audit_events(console, console_stack, screenshots, width):
    description = f"Described for the audit screen at {width} px, {time.time():.0f}"
    _describe_the_demo_project(console_stack, description)
    page = console("ITAdmin", width=width)
    _open_audit_filtered_by(page, "project:update")

    rows = page.locator("tr[data-audit-event]")
    assert all(text == "project:update" for text in rows.locator("td[data-label=Action]").all_inner_texts())
    mine = page.locator("tr[data-audit-event]").first  # newest first: the change just made
    assert "ALLOWED" in mine.locator("td[data-label=Decision]").inner_text()
    assert mine.locator("td[data-label=Status]").inner_text() == "200"
    assert "Ada Admin" in mine.locator("td[data-label=Actor]").inner_text()  # the actor's name, not only an id

    toggle = mine.get_by_role("button", name=re.compile("^Details of project:update"))
    toggle.focus()
    page.keyboard.press("Enter")  # the disclosure works from the keyboard
    assert toggle.get_attribute("aria-expanded") == "true"
    changes = page.locator("tr.audit-detail:not([hidden]) pre.changes").first
    changes.wait_for()
    assert description in changes.inner_text()

    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshots / f"ITAdmin-admin-audit-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
    assert page.errors == [], page.errors
    print(f"screenshots in {screenshots}")


def test_a_project_admin_reads_only_their_projects_and_a_researcher_is_refused(console, console_stack, screenshots):
    admin = console("ProjectAdmin")
    project = next(u["projectId"] for u in console_stack["users"] if u["role"] == "ProjectAdmin")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
    picker = admin.get_by_label("Project", exact=True)
    picker.wait_for()
    assert picker.locator("option").evaluate_all("options => options.map(o => o.value)") == [project]
    admin.get_by_role("table").or_(admin.locator(".empty, .problem")).first.wait_for()
    assert admin.locator(".problem").count() == 0, admin.locator(".problem").inner_text()
    admin.get_by_label("Since", exact=True).fill("2026-03-02T10:00")
    admin.get_by_label("Until", exact=True).fill("2026-03-01T10:00")
    admin.get_by_role("button", name="Apply filters").click()
    problem = admin.locator(".problem")
    problem.wait_for()
    assert "These filters cannot be applied" in problem.inner_text() and "Hint:" in problem.inner_text()
    assert admin.get_by_label("Until", exact=True).get_attribute("aria-invalid") == "true"
    admin.screenshot(path=str(screenshots / "ProjectAdmin-admin-audit-problem-1280.png"), full_page=True)

    page = console("Researcher")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    assert "Audit" not in page.get_by_role("navigation", name="Main").inner_text()
    page.goto(f"{console_stack['consoleUrl']}/#/admin/audit")
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    assert "Not available to you" in refusal.inner_text()
    assert "Audit events is for IT admins and project admins" in refusal.inner_text()
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if "/auditEvents" in url]  # refused before anything was fetched
    assert "project:update" not in page.content()
    page.screenshot(path=str(screenshots / "Researcher-admin-audit-1280.png"))
    assert page.errors == [], page.errors
