"""Scorers and online evaluation in chromium: a judge made from the Toxicity built-in, a rule at
100 % on a tag, logs sent with the official literalai SDK, and the scores arriving on the rule
page and in Logs (the app runs jobs in-process: embedded mode)."""

from __future__ import annotations

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


def _send_logs(ui_app, project_id: str) -> None:
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="e2e", role="ADMIN")
        s.commit()
    client = LiteralClient(api_key=key, url=ui_app.url)
    for i, tags in enumerate((["prod"], ["prod"], ["dev"])):
        with client.run(name=f"agent-{i}", tags=tags) as run:
            run.input = {"content": f"question {i}"}
            run.output = {"content": f"answer {i}"}
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


def test_judge_from_builtin_rule_on_a_tag_scores_arrive(ui_app, new_page, fake, monkeypatch):
    admin = ui_app.make_user()
    _credential(ui_app, admin.project_id, fake, monkeypatch)
    page = new_page(admin)
    page.goto("/scorers")
    expect(page.get_by_text("No scorers yet")).to_be_visible()
    page.get_by_role("button", name="Toxicity", exact=True).click()
    expect(page.get_by_label("Scorer name")).to_have_value("Toxicity judge")
    _choose(page, "LLM credential", "Fake OpenAI (OpenAI)")
    page.get_by_label("Model", exact=True).fill("judge-model")
    _shoot(page, "scorer-form")
    page.get_by_role("button", name="Save scorer").click()
    expect(page.locator(".scorer-row")).to_contain_text("Toxicity judge")
    _shoot(page, "scorers")

    page.goto("/online-evals")
    expect(page.get_by_text("No rules yet")).to_be_visible()
    page.get_by_role("button", name="New rule").click()
    page.get_by_label("Rule name").fill("Toxic answers")
    _choose(page, "Scorer", "Toxicity judge")
    page.get_by_label("Tags (comma-separated)").fill("prod")
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator(".rule-row")).to_contain_text("tags=prod")
    _shoot(page, "rules")
    time.sleep(1.1)  # ingestion reads a project's rules at most once a second per process

    _send_logs(ui_app, admin.project_id)
    page.get_by_role("link", name="Toxic answers").click()
    deadline = time.time() + 60
    while time.time() < deadline and page.locator(".count-done").inner_text().split()[-1] != "2":
        page.get_by_role("button", name="Refresh").click()
        page.wait_for_timeout(500)
    expect(page.locator(".count-done")).to_contain_text("2")
    expect(page.locator(".run-row")).to_have_count(2)
    expect(page.locator(".run-row").first).to_contain_text("toxic")
    _shoot(page, "rule")
    page.locator(".run-row a").first.click()
    expect(page.get_by_text("Toxicity judge").first).to_be_visible()  # the score on the step in Logs
    page.goto("/dashboard")
    expect(page.locator(".chart-online_evals")).to_contain_text("Online evaluation")  # the dashboard card
    expect(page.locator(".chart-online_evals")).to_contain_text("2 scores")
    _shoot(page, "dashboard")
