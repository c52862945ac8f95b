"""The Logs pages in chromium, with data sent by the official literalai SDK: every table, two
filters kept in the URL, a thread's tree and a generation, tags and scores that survive a
reload, score schemas, and a Domain Expert who annotates but cannot delete logs."""

from __future__ import annotations

import re

import pytest
from literalai import LiteralClient
from literalai.observability.generation import ChatGeneration
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app.services.accounts import api_keys

pytestmark = pytest.mark.browser

TOPICS = (("refund", "prod"), ("shipping", "staging"))


def ingest(ui_app, project_id: str) -> None:
    """Two conversations (one per environment), each a message, a run with a generation, a reply."""
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="e2e", role="ADMIN")
        s.commit()
    for topic, env in TOPICS:
        client = LiteralClient(api_key=key, url=ui_app.url, environment=env)
        with client.thread(name=f"{topic} conversation", participant_id=f"{topic}@example.com"):
            client.message(content=f"I have a {topic} question", type="user_message")
            with client.run(name=f"{topic}-agent") as run:
                run.input = {"question": f"{topic} please"}
                with client.step(name="gpt-4o-mini", type="llm") as g:
                    g.input = {"content": f"about {topic}"}
                    g.output = {"content": f"answer about {topic}"}
                    g.generation = ChatGeneration(
                        provider="openai", model="gpt-4o-mini",
                        messages=[{"role": "user", "content": f"about {topic}"}],
                        message_completion={"role": "assistant", "content": f"answer about {topic}"},
                        input_token_count=12, output_token_count=5)
                run.output = {"content": f"answer about {topic}"}
            client.message(content=f"answer about {topic}", type="assistant_message")
            client.flush()  # steps before the thread's own upsert: SQLite takes one writer at a time
        client.flush_and_stop()


def rows(page):
    return page.locator(".log-row")


def test_tables_filters_thread_tree_generation_and_annotation(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    page = new_page(admin)
    page.goto("/logs/threads")
    expect(page.get_by_role("heading", name="No threads yet")).to_be_visible(timeout=20_000)
    expect(page.locator(".start-snippet")).to_contain_text(ui_app.url)  # how to start, with this server's URL
    ingest(ui_app, admin.project_id)

    for route, text in (("/logs/runs", "refund-agent"), ("/logs/generations", "gpt-4o-mini"),
                        ("/logs/steps", "assistant_message"), ("/users", "refund@example.com")):
        page.goto(route)
        expect(rows(page).filter(has_text=text).first).to_be_visible(timeout=20_000)

    page.goto("/logs/threads")
    expect(rows(page)).to_have_count(2, timeout=20_000)
    page.get_by_label("Search input/output").fill("shipping")
    page.get_by_role("button", name="More filters").click()
    page.get_by_label("Environment", exact=True).fill("staging")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("shipping conversation")
    expect(page).to_have_url(re.compile(r"env=staging.*q=shipping|q=shipping.*env=staging"))
    page.reload()  # the filters live in the URL
    expect(rows(page)).to_have_count(1)
    expect(page.locator(".filter-chip", has_text="Environment")).to_contain_text("staging")
    page.get_by_role("button", name="More filters").click()
    expect(page.get_by_label("Environment", exact=True)).to_have_value("staging")
    page.keyboard.press("Escape")

    page.goto("/logs/threads")
    rows(page).filter(has_text="refund conversation").click()
    expect(page.locator(".chat-message").first).to_contain_text("I have a refund question", timeout=20_000)
    page.get_by_role("button", name="Expand refund-agent").click()
    generation = page.locator(".tree-node", has_text="gpt-4o-mini")
    expect(generation).to_be_visible()
    page.locator(".span-tree").focus()
    page.keyboard.press("ArrowDown")  # from the run (selected on open) to its generation
    expect(generation).to_have_attribute("data-selected", "true")
    expect(page.locator(".gen-completion")).to_contain_text("answer about refund")
    expect(page.locator(".waterfall-row")).to_have_count(2)
    page.get_by_role("link", name="Open step page").click()
    expect(page.locator(".breadcrumbs")).to_contain_text("refund-agent")

    page.get_by_label("New tag").fill("reviewed")
    page.get_by_role("button", name="Add tag").click()
    expect(page.locator(".step-tag", has_text="reviewed")).to_be_visible()
    page.get_by_role("button", name="Add score").click()
    page.get_by_label("Score name").fill("accuracy")
    page.get_by_label("Score value").fill("0.8")
    page.get_by_role("button", name="Save score").click()
    expect(page.locator(".score-row", has_text="accuracy")).to_contain_text("0.8")
    page.reload()
    expect(page.locator(".step-tag", has_text="reviewed")).to_be_visible()
    expect(page.locator(".score-row", has_text="accuracy")).to_be_visible()

    page.goto("/logs/scores")
    expect(rows(page).filter(has_text="accuracy")).to_be_visible()
    page.goto("/logs/generations/?tags=reviewed")
    expect(rows(page)).to_have_count(1)


def test_schema_scores_and_domain_expert_limits(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    ingest(ui_app, admin.project_id)
    page = new_page(admin)
    page.goto("/settings/score-schemas")
    expect(page.get_by_role("button", name="New schema")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="New schema").click()
    page.get_by_label("Schema name").fill("helpfulness")
    page.get_by_role("button", name="Save schema").click()
    expect(page.locator(".schema-row", has_text="helpfulness")).to_contain_text("bad = 0, good = 1")

    expert = ui_app.make_user("DOMAIN_EXPERT", project_id=admin.project_id)
    ep = new_page(expert)
    ep.goto("/logs/runs")
    row = rows(ep).filter(has_text="shipping-agent")
    expect(row).to_be_visible(timeout=20_000)
    row.get_by_role("checkbox").click()
    expect(ep.locator(".bulk-bar")).to_contain_text("1 selected")
    expect(ep.locator(".bulk-bar").get_by_role("button", name="Delete")).to_have_count(0)
    ep.get_by_label("Tag to add").fill("needs-review")
    ep.get_by_role("button", name="Add tag").click()
    expect(rows(ep).filter(has_text="needs-review")).to_have_count(1)

    row.click()
    ep.get_by_role("button", name="Add score").click()
    ep.get_by_role("radio", name="good").click()
    ep.get_by_label("Comment").fill("clear answer")
    ep.get_by_role("button", name="Save score").click()
    expect(ep.locator(".score-row", has_text="helpfulness")).to_contain_text("good")
    ep.reload()
    expect(ep.locator(".score-row", has_text="helpfulness")).to_contain_text("clear answer")
    ep.goto("/settings/score-schemas")
    expect(ep.get_by_role("button", name="New schema")).to_have_count(0)


def test_long_thread_loads_in_batches(ui_app, new_page):
    """A thread of 101 messages shows the first 30 messages and 100 tree nodes; the buttons under
    each list load the next batch."""
    user = ui_app.make_user("ADMIN")
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=user.project_id, name="e2e", role="ADMIN")
        s.commit()
    client = LiteralClient(api_key=key, url=ui_app.url)
    with client.thread(name="long conversation"):
        for i in range(101):
            client.message(content=f"message {i:03d}", type="user_message" if i % 2 == 0 else "assistant_message")
        client.flush()
    client.flush_and_stop()

    page = new_page(user)
    page.goto("/logs/threads")
    rows(page).filter(has_text="long conversation").click()
    expect(page.locator(".chat-message")).to_have_count(30, timeout=20_000)
    expect(page.locator(".tree-node")).to_have_count(100)
    expect(page.locator(".chat-message").first).to_contain_text("message 000")
    page.get_by_role("button", name="Later messages").click()
    expect(page.locator(".chat-message")).to_have_count(60)
    expect(page.locator(".chat-message").last).to_contain_text("message 059")
    page.get_by_role("button", name="Load more steps").click()
    expect(page.locator(".tree-node")).to_have_count(101)
    expect(page.get_by_role("button", name="Load more steps")).to_have_count(0)
