"""The dashboard on a seeded project: every chart renders with the expected totals in its title,
the cost badge compares with the previous period, hover text carries units, filters are
remembered per browser, and an empty project shows how to send its first data. Then Settings →
LLM costs: a new rule re-prices the generations and the dashboard follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.screenshots import shoot
from tests.services.dash_data import seed_small

pytestmark = pytest.mark.browser

TITLES = {
    "volume": "Volume · 3 threads · 3 runs · 4 generations · 2 feedback scores",
    "tokens": "Tokens · 3,600 input · 660 output",
    "runs": "Runs per day by run name · 3 runs",
    "tools": "Tool calls · 3 calls",
    "prompts": "Prompt versions · 2 generations",
    "duration": "Generation duration (s) · median and p95 · 4 generations",
    "ttft": "Time to first token (ms) · median and p95 · 4 generations",
    "throughput": "Token throughput (tokens/s) · median and p95 · 4 generations",
    "cost_day": "Cost per day · $0.0059 total",
    "cost_model": "Cost per model · $0.0059",
    "scores_avg": "Scores · average per day · 4 scores",
    "scores_dist": "Scores · distribution · 4 scores",
}


def _choose_range(page, start: str, end: str) -> None:
    page.get_by_label("Start date").fill(start)
    expect(page.get_by_label("Start date")).to_have_value(start)
    page.get_by_label("End date").fill(end)


def _expect_titles(page) -> None:
    # plotly.js is a large client-side chunk: the first chart may take a while on a busy machine
    for key, title in TITLES.items():
        expect(page.locator(f".chart-{key} .gtitle")).to_have_text(title, timeout=60_000)


def test_dashboard_charts_on_seeded_data(ui_app, new_page):
    user = ui_app.make_user("AI_ENGINEER")
    with Session(ui_app.engine) as s:
        ids = seed_small(s, user.project_id)
        s.commit()
    page = new_page(user)
    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()  # the landing page
    _choose_range(page, "2026-01-10", "2026-01-12")
    _expect_titles(page)
    expect(page.locator(".cost-total")).to_have_text("$0.0059", timeout=30_000)
    expect(page.locator(".cost-badge")).to_have_text("▲ 193.6% vs previous 3 days ($0.0020)")

    # hover values carry their unit
    page.locator(".chart-cost_day .point path").nth(1).hover(force=True)
    expect(page.locator(".chart-cost_day .hoverlayer")).to_contain_text("$0.0024")
    page.locator(".chart-tools .point path").first.hover(force=True)
    expect(page.locator(".chart-tools .hoverlayer")).to_contain_text("search: 2 calls")

    # tables link to the logs
    slow = page.locator(".slow-runs-row").first
    expect(slow).to_contain_text("answer")
    expect(slow.get_by_role("link")).to_have_attribute("href", f"/logs/steps/{ids['prefix']}r2")
    expect(page.locator(".costly-threads-row").first.get_by_role("link")).to_have_attribute(
        "href", f"/logs/threads/{ids['prefix']}t1")
    expect(page.locator(".active-users-row").first).to_contain_text("alice")
    expect(page.locator(".active-users-row").first.get_by_role("link")).to_have_attribute(
        "href", "/logs/threads/?user=alice")

    # a filter narrows every card; filters survive a reload (localStorage)
    page.get_by_role("combobox", name="Environment").click()
    page.get_by_role("option", name="staging").click()
    expect(page.locator(".chart-volume .gtitle")).to_have_text(
        "Volume · 1 threads · 1 runs · 1 generations · 0 feedback scores", timeout=30_000)
    page.reload()
    expect(page.get_by_role("combobox", name="Environment")).to_have_text("staging")
    expect(page.locator(".chart-cost_day .gtitle")).to_have_text("Cost per day · $0.000021 total", timeout=60_000)
    page.get_by_role("button", name="Reset filters").click()
    # let the reset land before typing dates, or its late update overwrites them
    expect(page.get_by_role("combobox", name="Environment")).to_have_text("All but evaluation (default)")
    expect(page.get_by_label("Start date")).not_to_have_value("2026-01-10")
    _choose_range(page, "2026-01-10", "2026-01-12")
    _expect_titles(page)


def test_empty_project_shows_how_to_start(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    page = new_page(user)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="No data yet")).to_be_visible()
    expect(page.locator(".dashboard-snippet")).to_contain_text("LiteralClient(")
    expect(page.get_by_role("link", name="Create an API key")).to_be_visible()


def test_cost_rule_reprices_generations(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    with Session(ui_app.engine) as s:
        seed_small(s, user.project_id)
        s.commit()
    page = new_page(user)
    page.goto("/settings/costs")
    expect(page.get_by_role("heading", name="LLM costs")).to_be_visible()
    expect(page.locator(".cost-rule-row").first).to_be_visible()
    page.get_by_label("Model pattern (regex)").fill("gpt-4o-mini")
    page.get_by_label("Input USD / 1M tokens").fill("1000")
    page.get_by_label("Output USD / 1M tokens").fill("0")
    page.get_by_role("button", name="Add rule").click()
    row = page.locator(".repricing-row").first
    expect(row).to_contain_text("done")
    expect(row).to_contain_text("2 / 2 generations · 2 changed")
    shoot(page, "costs")
    # gpt-4o-mini now costs 1000 $/1M input: g2 2000 tokens = $2, g4 100 tokens = $0.10
    page.get_by_role("button", name="Add rule").focus()
    page.get_by_label("Model pattern (regex)").fill("gpt-(4")
    page.get_by_role("button", name="Add rule").click()
    expect(page.locator(".form-error")).to_contain_text("not a valid regular expression")
    page.goto("/dashboard")
    _choose_range(page, "2026-01-10", "2026-01-12")
    expect(page.locator(".cost-total")).to_have_text(re.compile(r"^\$2\.1"), timeout=60_000)
