"""Browser test of datasets and experiments (issue 15): create a dataset, import a CSV (map its
columns, read the per-line report, confirm, watch the progress), run an experiment from the dataset
page against the fake provider and watch its progress bar finish, run a second one with another
prompt, compare the two and read the verdict."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.screenshots import shoot
from tests.fake_llm import start_fake_llm

pytestmark = pytest.mark.browser

CSV = ("question,answer\n"
       "What is 2+2?,Echo: What is 2+2?\n"
       "Capital of France?,Echo: Capital of France?\n"
       "broken,row,with,too many fields\n"
       "Say hi,Echo: Say hi\n")


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


def _credential(page, fake) -> None:
    """A custom OpenAI-compatible credential pointing at the fake, added as a user does."""
    page.goto("/settings/llm-providers")
    page.get_by_label("Provider").click()
    page.get_by_role("option", name="Custom (OpenAI-compatible)").click()
    page.get_by_label("Name", exact=True).fill("Fake")
    page.get_by_label("Base URL").fill(fake.base("custom"))
    page.get_by_label("Custom model names").fill("fake-model")
    page.get_by_role("button", name="Add credential").click()
    expect(page.locator(".credential-row", has_text="Fake")).to_be_visible()
    shoot(page, "llm-providers")


def _run(page, name: str, template: str) -> None:
    page.get_by_role("button", name="Run experiment").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Experiment name").fill(name)
    dialog.get_by_label("User message template").fill(template)
    dialog.get_by_label("Model").fill("fake-model")
    expect(dialog.get_by_label("Input key for question")).to_have_value("question")
    dialog.get_by_role("button", name="Start experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}/?$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.locator(".aggregate-row").first).to_be_visible(timeout=60_000)  # shown once the run ended
    expect(page.get_by_text("completed", exact=True)).to_be_visible()
    expect(page.locator(".result-row", has_text="failed")).to_have_count(0)


def test_import_run_and_compare(ui_app, new_page, fake):
    user = ui_app.make_user("AI_ENGINEER")
    page = new_page(user, viewport=(1440, 900))
    _credential(page, fake)
    page.goto("/datasets")
    expect(page.locator(".empty-state")).to_contain_text("No datasets yet")
    page.get_by_role("button", name="New dataset").click()
    name = f"Questions {uuid.uuid4().hex[:4]}"
    page.get_by_label("Dataset name").fill(name)
    page.get_by_role("button", name="Create dataset").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    dataset_url = page.url

    page.get_by_role("button", name="Import").click()
    page.locator("input[type=file]").set_input_files(files=[{"name": "questions.csv", "mimeType": "text/csv",
                                                              "buffer": CSV.encode()}])
    expect(page.get_by_label("Role of answer")).to_contain_text("Expected output")
    shoot(page, "dataset-import")
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".import-summary")).to_contain_text("3 row(s) ready to import; 1 line(s) with errors")
    expect(page.locator(".import-errors")).to_contain_text("Line 4: has 4 fields, the header has 2")
    page.get_by_role("button", name="Import the valid rows").click()
    expect(page.locator(".import-progress")).to_have_text("3 of 3 rows imported")
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".item-row")).to_have_count(3)

    _run(page, "Baseline", "{{question}}")
    page.goto(dataset_url)
    _run(page, "Reworded", "Say {{question}}")

    page.goto("/experiments")
    expect(page.locator(".experiment-row")).to_have_count(2)
    for name in ("Baseline", "Reworded"):  # base first, then candidate (the state holds the choice)
        box = page.get_by_label(f"Select experiment {name}")
        box.click()
        expect(box).to_be_checked()
    expect(page.get_by_text("2 of 2 selected")).to_be_visible()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/experiments/compare"))
    row = page.locator(".verdict-row").filter(has_text="Exact match")
    expect(row.locator(".verdict")).to_have_text("worse")
    expect(row).to_contain_text("+0 / −3")
