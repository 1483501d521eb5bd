"""What a researcher and an IT admin do in the console, in Chromium, against `make local` (issue 12)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import boto3

from scripts.publish_catalog import publish, stack_outputs

ROOT = Path(__file__).resolve().parents[2]
SETTLE_MS = 90_000  # a notebook phase takes ~3 s locally; the margin is for 2 shared cores


def test_a_researcher_signs_in_launches_a_notebook_sees_it_complete_and_connects(console, console_stack):
    page = console("Researcher")
    page.get_by_role("link", name="demo-project").first.click()
    page.get_by_role("link", name="Launch an environment").click()
    page.get_by_label("Name").fill("browser-notebook")
    assert "Estimated cost" in page.locator("form").inner_text()  # the configuration's cost and parameters
    page.get_by_role("button", name="Launch").click()

    row = page.get_by_role("row").filter(has_text="browser-notebook")
    row.get_by_text(re.compile("PENDING|COMPLETED")).wait_for()
    row.get_by_text("COMPLETED", exact=True).wait_for(timeout=SETTLE_MS)  # by polling, with no reload
    assert row.get_by_role("button").all_inner_texts() == ["Stop", "Connect"]  # allowedActions only
    with page.expect_popup() as opened:
        row.get_by_role("button", name="Connect").click()
    notebook = opened.value  # opened blank on the click (no popup blocker), then sent to the link
    notebook.wait_for_url(re.compile("/notebooks/"))
    notebook.wait_for_load_state()
    assert "Notebook" in notebook.title(), notebook.content()
    assert page.errors == []


def test_a_launch_with_a_bad_name_shows_the_problem_beside_the_field(console):
    page = console("Researcher")
    page.get_by_role("link", name="demo-project").first.click()
    page.get_by_role("link", name="Launch an environment").click()
    page.get_by_label("Name").evaluate("input => input.removeAttribute('pattern')")  # let the API judge it
    page.get_by_label("Name").fill("no/slashes")
    page.get_by_role("button", name="Launch").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Bad Request" in alert.inner_text()
    assert page.get_by_label("Name").get_attribute("aria-invalid") == "true"


def test_a_researcher_sees_no_admin_screens_and_a_forced_admin_url_is_refused(console, console_stack):
    page = console("Researcher")
    nav = page.get_by_role("navigation", name="Main").inner_text()
    assert "Accounts" not in nav and "Users" not in nav
    page.goto(f"{console_stack['consoleUrl']}/#/admin/accounts")
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    assert "Not available to you" in refusal.inner_text()
    assert "demo-hosting" not in page.content()  # the refusal, not the accounts


def _publish_a_new_catalog_version(tmp_path: Path, monkeypatch, stack: dict) -> None:
    """What an operator's `publish_catalog` run does: a changed template becomes a NOT_APPROVED version."""
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    template = catalog / "sagemaker-notebook.yaml"
    template.write_text(template.read_text() + f"\n# browser test version {tmp_path.name}\n")
    monkeypatch.setenv("AWS_ENDPOINT_URL", stack["awsEndpoint"])
    session = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106
                                    region_name=stack["region"])
    publish(session, stack_outputs(session, "rsw-local"), catalog_dir=catalog)


def test_an_admin_verifies_an_account_and_approves_a_type(console, console_stack, tmp_path, monkeypatch):
    page = console("ITAdmin")
    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("button", name="Verify demo-hosting").click()
    checks = page.locator("[data-check]")
    checks.first.wait_for()
    assert checks.count() >= 5 and "✓ passed" in checks.first.inner_text()
    assert "CURRENT" in page.get_by_role("region", name="Checks of demo-hosting").inner_text()

    _publish_a_new_catalog_version(tmp_path, monkeypatch, console_stack)
    page.get_by_role("link", name="Environment types").click()
    page.get_by_role("button", name="Import from the catalog now").click()
    # The local schedule (every 15 s) may import the new version first: then the button imports 0.
    page.get_by_text(re.compile(r"Imported \d+")).wait_for(timeout=60_000)
    approve = page.get_by_role("button", name=re.compile("^Approve "))
    approve.first.wait_for()
    label = approve.first.get_attribute("aria-label")
    approve.first.click()
    name = label.removeprefix("Approve ")
    page.get_by_role("button", name=f"Revoke approval of {name}").wait_for()
    assert page.errors == []
