"""Scorers and online evaluation in chromium: a judge made from the Toxicity built-in, a rule at
100 % on a tag, logs sent with the official literalai SDK, and the scores arriving on the rule
page and in Logs (the app runs jobs in-process: embedded mode)."""

from __future__ import annotations

import re
import time

import pytest
from literalai import LiteralClient
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app import config
from literal_app.services.accounts import api_keys
from literal_app.services.kernel.actor import Actor
from literal_app.services.providers import credentials as creds
from tests.fake_llm import start_fake_llm

pytestmark = pytest.mark.browser
SHOTS = __import__("os").environ.get("LITERAL_E2E_SHOTS")  # a directory: keep screenshots (light/dark, two sizes)


@pytest.fixture
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


def _credential(ui_app, project_id: str, fake, monkeypatch) -> None:
    monkeypatch.setenv("LITERAL_SECRET_KEY", "e2e-secret")  # the app's key: it decrypts what we store
    config.get_settings.cache_clear()
    with Session(ui_app.engine) as s:
        creds.create_credential(s, Actor(project_id=project_id, role="ADMIN"), creds.CredentialInput(
            "openai", "Fake OpenAI", api_key="sk-e2e-key-0000", base_url=fake.base("openai"), models=["judge-model"]))
        s.commit()
    config.get_settings.cache_clear()


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _send_logs(ui_app, project_id: str, prefix: str = "agent") -> None:
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="e2e", role="ADMIN")
        s.commit()
    client = LiteralClient(api_key=key, url=ui_app.url)
    for i, (tags, region) in enumerate(((["prod"], "eu"), (["prod"], "eu"), (["dev"], "eu"), (["prod"], "us"))):
        with client.run(name=f"{prefix}-{i}", tags=tags) as run:
            run.input = {"content": f"question {i}"}
            run.output = {"content": f"answer {i}"}
            run.metadata = {"region": region}
    client.flush_and_stop()


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for w, h in ((1440, 900), (1280, 800)):
        page.set_viewport_size({"width": w, "height": h})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=f"{SHOTS}/{name}-{w}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")


def _judge_in_the_template_editor(page) -> None:
    """The Toxicity built-in opens in the Playground's template editor: variables listed and
    inserted, unknown ones flagged, settings and the answer mode set."""
    page.get_by_role("button", name="Toxicity", exact=True).click()
    expect(page.get_by_label("Scorer name")).to_have_value("Toxicity judge")
    expect(page.locator(".judge-editor .te-message-card")).to_have_count(2)
    expect(page.locator(".te-preview-message .te-var", has_text="{{output}}").first).to_be_visible()
    page.get_by_label("Message 1 text").fill("You are a careful evaluator of {{tone}}.")
    expect(page.get_by_role("alert").filter(has_text="Not available to a judge: tone")).to_be_visible()
    page.get_by_label("Message 1 text").fill("You are a careful evaluator.")
    expect(page.get_by_text("Not available to a judge")).to_have_count(0)
    page.get_by_role("button", name="Insert metadata.variables").click()
    expect(page.locator(".te-preview-message .te-var", has_text="{{metadata.variables}}")).to_be_visible()
    expect(page.get_by_label("Message 2 text")).to_have_value(re.compile(r"\{\{metadata\.variables\}\}$"))
    _choose(page, "LLM credential", "Fake OpenAI (OpenAI)")
    page.get_by_label("Model", exact=True).fill("judge-model")
    page.get_by_label("Judge Temperature").fill("0.1")
    page.get_by_label("Judge Max tokens").fill("200")
    _choose(page, "Answer mode", "Tool call (forced)")


def _try_on_a_picked_step(page) -> None:
    page.locator(".scorer-row", has_text="Toxicity judge").get_by_role("button", name="Try it").click()
    expect(page.locator(".try-choice")).to_have_count(4)  # the logged runs, newest first
    page.get_by_label("Search logged steps").fill("question 2")
    expect(page.locator(".try-choice")).to_have_count(1)
    page.locator(".try-choice").first.click()
    page.get_by_role("button", name="Run on the picked step").click()
    result = page.locator(".try-result")
    expect(result).to_contain_text("done", timeout=30_000)
    expect(result).to_contain_text("toxic")
    expect(result).to_contain_text("Judged")  # the reason
    expect(result).to_contain_text("Tokens")
    _shoot(page, "scorer-try")


def _rule_with_logs_filters(page) -> None:
    page.goto("/online-evals")
    expect(page.get_by_text("No rules yet")).to_be_visible()
    page.get_by_role("button", name="New rule").click()
    page.get_by_label("Rule name").fill("Toxic answers")
    _choose(page, "Scorer", "Toxicity judge")
    form = page.locator(".rule-form")
    form.get_by_label("Tags (comma-separated)").fill("prod")
    form.get_by_label("Metadata key").fill("region")
    form.get_by_label("Metadata value").fill("eu")
    _choose(page, "Errors", "Without error")
    form.get_by_label("Max duration (s)").fill("60")
    _shoot(page, "rule-form")
    page.get_by_role("button", name="Save rule").click()
    row = page.locator(".rule-row")
    for text in ("Tags: prod", "Metadata key: region", "Metadata value: eu", "Errors: no", "Max duration: 60"):
        expect(row).to_contain_text(text)
    _shoot(page, "online-evals")


def test_judge_from_builtin_rule_on_a_tag_scores_arrive(ui_app, new_page, fake, monkeypatch):
    admin = ui_app.make_user()
    _credential(ui_app, admin.project_id, fake, monkeypatch)
    _send_logs(ui_app, admin.project_id, "earlier")  # steps to try the judge on (before any rule)
    page = new_page(admin, viewport=(1440, 900))
    page.goto("/scorers")
    expect(page.get_by_text("No scorers yet")).to_be_visible()
    _judge_in_the_template_editor(page)
    _shoot(page, "scorer-form")
    page.get_by_role("button", name="Save scorer").click()
    expect(page.locator(".scorer-row")).to_contain_text("Toxicity judge")
    page.get_by_role("button", name="Edit").click()  # what was saved comes back
    expect(page.get_by_label("Judge Temperature")).to_have_value("0.1")
    expect(page.get_by_label("Judge Max tokens")).to_have_value("200")
    expect(page.get_by_label("Answer mode")).to_have_text("Tool call (forced)")
    page.get_by_role("button", name="Cancel").click()
    _try_on_a_picked_step(page)
    _shoot(page, "scorers")

    _rule_with_logs_filters(page)
    _send_logs(ui_app, admin.project_id)  # two of the four match every filter of the rule
    page.get_by_role("link", name="Toxic answers").click()
    deadline = time.time() + 60
    while time.time() < deadline and page.locator(".count-done").inner_text().split()[-1] != "2":
        page.get_by_role("button", name="Refresh").click()
        page.wait_for_timeout(500)
    expect(page.locator(".count-done")).to_contain_text("2")
    expect(page.locator(".run-row")).to_have_count(2)
    expect(page.locator(".run-row").first).to_contain_text("toxic")
    page.get_by_role("button", name="Refresh").click()  # the chart appears with the first scored run
    expect(page.locator(".rule-chart .main-svg").first).to_be_visible()
    _shoot(page, "rule")
    page.locator(".run-row a").first.click()
    expect(page.get_by_text("Toxicity judge").first).to_be_visible()  # the score on the step in Logs

    # judge calls are generations of the "evaluation" environment: out of Logs unless asked for
    page.goto("/logs/generations")
    chip = page.locator(".filter-chip", has_text="Environment")
    expect(chip).to_contain_text("all but evaluation (default)")
    expect(page.locator(".env-default-note")).to_be_visible()  # the empty state says why
    expect(page.get_by_role("cell", name="judge-model")).to_have_count(0)
    _shoot(page, "logs-generations")
    chip.get_by_role("button", name="Remove filter Environment").click()
    expect(chip).to_contain_text("all, evaluation included")
    expect(page.get_by_role("cell", name="judge-model")).to_have_count(3)  # the try and the two rule runs

    page.goto("/dashboard")
    expect(page.get_by_role("combobox", name="Environment")).to_have_text("All but evaluation (default)")
    expect(page.locator(".chart-online_evals")).to_contain_text("Online evaluation")  # the dashboard card
    expect(page.locator(".chart-online_evals")).to_contain_text("2 scores")
    _shoot(page, "dashboard")
