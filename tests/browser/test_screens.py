"""The main screens at 1280 and 390 px, saved for a person to look at; datasets per API.md when the API has them."""

from __future__ import annotations

import pytest

SCREENS = {"Researcher": ["/projects", "/projects/{project}", "/projects/{project}/launch", "/projects/{project}/datasets",
                          "/admin/accounts"],
           "ITAdmin": ["/admin/accounts", "/admin/users", "/admin/types", "/admin/links", "/admin/projects"]}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_screens_render_at_desktop_and_phone_widths(console, console_stack, screenshots, width):
    project = next(u["projectId"] for u in console_stack["users"] if u["role"] == "Researcher")
    for role, paths in SCREENS.items():
        page = console(role, width=width)
        for path in paths:
            page.goto(f"{console_stack['consoleUrl']}/#{path.format(project=project)}")
            page.reload()  # a hash change alone keeps the last screen's heading until the new one loads
            page.locator("main h1").first.wait_for()
            page.wait_for_load_state("networkidle")
            name = f"{role}{path.replace('{project}', 'project').replace('/', '-')}-{width}.png"
            page.screenshot(path=str(screenshots / name), full_page=True)
            # Nothing wider than the window: readable at this width without sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (path, width)
        assert page.errors == [], page.errors
    print(f"screenshots in {screenshots}")


def test_a_researcher_uploads_a_file_and_sees_it_listed(console, console_stack, tmp_path):
    page = console("ProjectAdmin")
    project = next(u["projectId"] for u in console_stack["users"] if u["role"] == "ProjectAdmin")
    page.goto(f"{console_stack['consoleUrl']}/#/projects/{project}/datasets")
    page.locator("main h1").first.wait_for()
    page.wait_for_load_state("networkidle")
    if page.locator("[data-datasets-unavailable]").count():
        pytest.skip("datasets: the API answers 404 (no datasets routes yet)")
    page.get_by_text("Create a dataset").click()
    page.get_by_label("Name").fill("browser-data")
    page.get_by_role("button", name="Create dataset").click()
    page.get_by_role("link", name="browser-data").click()
    sample = tmp_path / "hello.csv"
    sample.write_text("a,b\n1,2\n")
    page.locator("#upload-picker").set_input_files(str(sample))
    page.get_by_text("uploaded", exact=True).or_(page.locator(".problem")).first.wait_for()
    assert not page.locator(".problem").count(), page.locator(".problem").inner_text()
    page.get_by_role("cell", name="hello.csv").wait_for(timeout=60_000)  # the index follows S3 events
