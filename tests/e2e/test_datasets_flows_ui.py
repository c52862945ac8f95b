"""Browser tests of the datasets paths not covered by test_datasets_ui (issue 15): a file imported
into a new dataset from the Datasets page, the keyboard shortcuts of the dataset page, the JSONL
export downloaded with the sign-in cookie (and refused without it), Add to dataset from Logs (from
a step's page and from several selected runs, with and without intermediary steps) and "Experiment
on dataset" from the Playground against the fake provider."""

import json
import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from literal_app.models.tracing import Step
from literal_app.services.datasets import dataset_items, datasets
from literal_app.services.kernel.actor import Actor
from tests.e2e.test_datasets_ui import _credential
from tests.e2e.test_logs_ui import ingest
from tests.fake_llm import start_fake_llm

pytestmark = pytest.mark.browser

CSV = "question,answer\nWhere is my parcel?,It ships tomorrow\nCan I pay by card?,Yes\n"


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


def _export_href(page) -> str:
    """The dataset page's Export → JSONL link (its URL names the project the page is looking at)."""
    page.get_by_role("button", name="Export").click()
    link = page.get_by_role("link", name="JSONL (items)")
    href = link.get_attribute("href")
    page.keyboard.press("Escape")
    return href


def _export(page, href: str) -> list[dict]:
    """Download the export as the browser does (the sign-in cookie), one JSON object per line."""
    with page.expect_download() as download:
        page.evaluate("(href) => { const a = document.createElement('a'); a.href = href; a.download = '';"
                      " document.body.appendChild(a); a.click(); a.remove(); }", href)
    with open(download.value.path()) as f:
        return [json.loads(line) for line in f]


def test_import_into_a_new_dataset_keyboard_and_cookie_export(ui_app, new_page):
    user = ui_app.make_user("AI_ENGINEER")
    page = new_page(user, viewport=(1280, 800))
    page.goto("/datasets")
    expect(page.locator(".empty-state")).to_contain_text("import a CSV or JSONL file into a new one")
    page.keyboard.press("i")  # the Import file button's shortcut
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Import into a new dataset")).to_be_visible()
    page.locator("input[type=file]").set_input_files(files=[{"name": "parcel faq.csv", "mimeType": "text/csv",
                                                              "buffer": CSV.encode()}])
    expect(dialog.get_by_label("New dataset name")).to_have_value("parcel faq")  # named after the file
    dialog.get_by_role("button", name="Check the file").click()
    expect(dialog.locator(".import-summary")).to_contain_text("2 row(s) ready to import; 0 line(s)")
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(dialog.locator(".import-progress")).to_have_text("2 of 2 rows imported")
    dialog.get_by_role("button", name="Open the dataset").click()
    expect(page.get_by_role("heading", name="parcel faq")).to_be_visible()
    rows = page.locator(".item-row")
    expect(rows).to_have_count(2)

    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_attribute("data-kb-focus", "true")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last row
    expect(rows.nth(1)).to_have_attribute("data-kb-focus", "true")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_attribute("data-kb-focus", "true")
    page.keyboard.press("e")  # edits the highlighted item
    expect(page.get_by_role("heading", name="Edit item")).to_be_visible()
    expect(page.get_by_label("Input")).to_have_value(re.compile("Where is my parcel"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Edit item")).to_have_count(0)
    page.keyboard.press("x")  # selects the highlighted item
    expect(page.locator(".bulk-bar")).to_contain_text("1 selected")
    page.keyboard.press("/")
    expect(page.get_by_label("Search items")).to_be_focused()
    page.keyboard.type("card")
    expect(rows).to_have_count(1)
    page.keyboard.press("Escape")  # leaves the field: keys are shortcuts again
    page.keyboard.press("?")
    expect(page.locator(".shortcuts-help")).to_contain_text("run an experiment")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name="New item")).to_be_visible()
    page.keyboard.press("Escape")

    href = _export_href(page)
    lines = _export(page, href)
    assert [(x["input"], x["expectedOutput"]) for x in lines] == [
        ({"question": "Where is my parcel?"}, {"answer": "It ships tomorrow"}),
        ({"question": "Can I pay by card?"}, {"answer": "Yes"})]
    stranger = new_page(None)  # no sign-in cookie: refused, nothing streamed
    refused = stranger.request.get(ui_app.url + href if href.startswith("/") else href)
    assert refused.status == 401 and b"Where is my parcel" not in refused.body()


def test_add_to_dataset_from_logs(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    ingest(ui_app, admin.project_id)
    page = new_page(admin, viewport=(1440, 900))
    page.goto("/logs/runs")
    runs = page.locator(".log-row")
    expect(runs).to_have_count(2)
    for row in range(2):
        runs.nth(row).locator(".log-select").click()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_role("button", name="Add to dataset").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Dataset", exact=True).click()
    page.get_by_role("option", name="New dataset…").click()
    dialog.get_by_label("New dataset name").fill("From runs")
    expect(dialog.get_by_role("checkbox", name="Include intermediary steps (runs)")).to_be_checked()
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added 2 item(s) to the dataset.")).to_be_visible()

    with Session(ui_app.engine) as s:
        generation = s.exec(select(Step.id).where(Step.project_id == admin.project_id, Step.type == "llm",
                                                  Step.name == "gpt-4o-mini")).first()
    page.goto(f"/logs/steps/{generation}")
    page.get_by_role("button", name="Add to dataset").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Dataset", exact=True)).to_contain_text("From runs")
    dialog.get_by_role("checkbox", name="Include intermediary steps (runs)").click()
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added 1 item(s) to the dataset.")).to_be_visible()

    page.goto("/datasets")
    page.get_by_role("link", name="From runs").click()
    expect(page.locator(".item-row")).to_have_count(3)
    expect(page.locator(".item-row").get_by_role("link", name="step")).to_have_count(3)  # the source steps
    lines = _export(page, _export_href(page))
    by_step = {x["stepId"]: x for x in lines}
    assert len(by_step) == 3 and by_step[generation]["intermediarySteps"] == []
    from_runs = [x for x in lines if x["stepId"] != generation]
    assert sorted(x["input"]["question"] for x in from_runs) == ["refund please", "shipping please"]
    assert all([s["name"] for s in x["intermediarySteps"]] == ["gpt-4o-mini"] for x in from_runs)


def test_experiment_on_dataset_from_the_playground(ui_app, new_page, fake):
    user = ui_app.make_user("AI_ENGINEER")
    page = new_page(user, viewport=(1440, 900))
    _credential(page, fake)
    with Session(ui_app.engine) as s:  # the dataset under test is set up directly; the run is the UI's
        actor = Actor(project_id=user.project_id, role="ADMIN")
        ds = datasets.create_dataset(s, actor, name="Playground set")
        for q in ("How do I reset my password?", "Do you ship to Canada?", "Is there a student discount?"):
            dataset_items.create_item(s, actor, dataset_id=ds.id,
                                      input={"question": q, "product": "Acme", "language": "English"},
                                      expected_output={"content": f"Echo: {q}"})
        s.commit()
    page.goto("/playground")
    page.get_by_label("Model of tab 1").click()
    page.get_by_role("option", name="fake-model", exact=True).click()
    page.get_by_role("button", name="Experiment on dataset").click()
    page.get_by_role("button", name="Playground set · 3 items").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Run an experiment")).to_be_visible()
    expect(dialog.get_by_label("Prompt source")).to_contain_text("The Playground draft")
    expect(dialog.get_by_label("Model")).to_have_value("fake-model")
    for variable in ("question", "product", "language"):  # the draft's variables, mapped by name
        expect(dialog.get_by_label(f"Input key for {variable}")).to_have_value(variable)
    dialog.get_by_role("button", name="Start experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}/?$"))
    expect(page.get_by_role("heading", name="Playground draft")).to_be_visible()
    expect(page.locator(".aggregate-row").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("completed", exact=True)).to_be_visible()
    results = page.locator(".result-row")
    expect(results).to_have_count(3)
    expect(results.first).to_contain_text("Echo: ")  # the fake's answer to the rendered draft
    expect(page.locator(".result-row", has_text="failed")).to_have_count(0)
