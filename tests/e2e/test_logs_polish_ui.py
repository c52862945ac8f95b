"""Logs polish (issue 18) in chromium, with data sent by the official literalai SDK: label/value
headers that keep their spacing, tables that scroll sideways with a sticky first column and a
column chooser remembered per member, a one-row filter bar with "More filters" and removable
chips, Markdown without raw HTML, multimodal message parts, the 404 page inside the layout, and
the Scores table by tag and target. Screenshots (1440x900, 1280x800, light and dark) go to
``$LITERAL_SCREENSHOTS`` when set."""

from __future__ import annotations

import re
import uuid

import pytest
from literalai import LiteralClient
from literalai.observability.generation import ChatGeneration
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app.services.accounts import api_keys
from tests.e2e.screenshots import shoot

pytestmark = pytest.mark.browser

PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQC"
       "AB6+A/0S0fIUAAAAAElFTkSuQmCC")
WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA="
# Longer than the waterfall's 200 px name column: it must be cut with an ellipsis, not run over the bar.
LONG_RUN = "vision-agent-with-a-name-far-longer-than-its-column"
MARKDOWN = ("Here is **bold** text and a list:\n\n- one\n- two\n\n```python\nprint('hi')\n```\n\n"
            "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> raw html stays text")


def _key(ui_app, project_id: str) -> str:
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="e2e", role="ADMIN")
        s.commit()
    return key


def ingest(ui_app, project_id: str) -> dict:
    """A conversation with Markdown messages and a multimodal generation; scores with tags."""
    client = LiteralClient(api_key=_key(ui_app, project_id), url=ui_app.url)
    ids = {"thread": str(uuid.uuid4())}
    with client.thread(thread_id=ids["thread"], name="Markdown and images", participant_id="ada@example.com",
                       tags=["vip"]):
        client.message(content="Can you **explain** this image?", type="user_message")
        with client.run(name=LONG_RUN) as run:
            ids["run"] = run.id
            run.input = {"question": "explain"}
            with client.step(name="gpt-4o", type="llm") as g:
                ids["generation"] = g.id
                g.generation = ChatGeneration(
                    provider="openai", model="gpt-4o-2024-08-06", input_token_count=1234, output_token_count=56,
                    messages=[{"role": "user", "content": [
                        {"type": "text", "text": "What is in **this** picture?"},
                        {"type": "image_url", "image_url": {"url": PNG}}]}],
                    message_completion={"role": "assistant", "content": MARKDOWN})
                g.generation.messages[0]["content"] += [  # parts the SDK's types do not list, sent as given
                    {"type": "input_audio", "input_audio": {"data": WAV, "format": "wav"}},
                    {"type": "file", "file": {"filename": "report.pdf", "file_data": "https://example.com/r.pdf"}}]
            run.output = {"content": "done"}
        client.message(content=MARKDOWN, type="assistant_message")
    client.flush()
    client.api.create_score(name="helpful", value=1, type="HUMAN", step_id=ids["generation"], tags=["vip"])
    client.api.create_score(name="on-run", value=0.5, type="AI", step_id=ids["run"])
    client.flush_and_stop()
    return ids


@pytest.fixture(scope="module")
def seeded(ui_app):
    admin = ui_app.make_user("ADMIN", project_name="Polish")
    return admin, ingest(ui_app, admin.project_id)


def _no_overlap(facts) -> None:
    """Every label/value pair sits apart from the next one on its line."""
    boxes = [facts.nth(i).bounding_box() for i in range(facts.count())]
    for a, b in zip(boxes, boxes[1:]):
        if abs(a["y"] - b["y"]) < 2:  # same line
            assert b["x"] >= a["x"] + a["width"] + 16, (a, b)


def _gap(el) -> float:
    """The computed gap of a flex or grid container in px (0 for 'normal': Reflex 0.10 turns
    ``gap="4"`` into an invalid unitless CSS gap that the browser drops; ``spacing`` is the prop)."""
    return el.evaluate("e => parseFloat(getComputedStyle(e).columnGap) || 0")


def test_headers_markdown_and_multimodal_parts(ui_app, new_page, seeded):
    admin, ids = seeded
    page = new_page(admin, viewport=(1280, 800))
    page.goto(f"/logs/threads/{ids['thread']}")
    facts = page.locator(".thread-facts .fact")
    expect(facts.filter(has_text="Steps")).to_be_visible(timeout=20_000)
    expect(facts.filter(has_text="Tokens").locator("dd")).to_have_text("1,290")
    _no_overlap(facts)
    bubble = page.locator(".chat-message").nth(1)
    expect(bubble.locator("strong")).to_have_text("bold")
    expect(bubble.locator("li")).to_have_count(2)
    expect(bubble.locator("pre")).to_contain_text("print('hi')")
    expect(bubble.locator("pre span[style*='color']").first).to_be_visible()  # highlighted
    expect(bubble).to_contain_text("<script>window.__xss = 1</script>")  # shown as text, not run
    expect(bubble.locator("script, img[src=x]")).to_have_count(0)
    assert page.evaluate("window.__xss") is None
    assert _gap(page.locator(".thread-columns")) > 0  # conversation, steps and waterfall kept apart
    row = page.locator(".waterfall-row").filter(has_text=LONG_RUN)
    name = row.get_by_text(LONG_RUN)
    assert name.evaluate("e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth")
    box, start = name.bounding_box(), row.bounding_box()["x"]
    assert box["x"] + box["width"] <= start + 200  # inside its name column, clear of the bar
    shoot(page, "thread")

    page.goto(f"/logs/steps/{ids['generation']}")
    gen = page.locator(".generation-facts .fact")
    expect(gen.filter(has_text="Model").locator("dd")).to_have_text("gpt-4o-2024-08-06", timeout=20_000)
    expect(gen.filter(has_text="Tokens in").locator("dd")).to_have_text("1,234")
    _no_overlap(gen)
    _no_overlap(page.locator(".step-facts .fact"))
    message = page.locator(".gen-message").first
    expect(message.locator("strong")).to_have_text("this")
    expect(message.locator("audio.part-audio")).to_have_count(1)
    expect(message.locator("a.part-file")).to_have_attribute("href", "https://example.com/r.pdf")
    message.get_by_role("button", name="Open image image").click()
    full = page.locator(".part-full img")
    expect(full).to_be_visible()
    assert full.evaluate("img => img.naturalWidth") == 8  # the image itself, full size
    page.keyboard.press("Escape")
    expect(page.locator(".gen-completion strong")).to_have_text("bold")
    shoot(page, "generation")


def test_tables_scroll_choose_columns_and_filter_chips(ui_app, new_page, seeded):
    admin, _ = seeded
    page = new_page(admin, viewport=(1280, 800))
    page.goto("/logs/threads")
    row = page.locator(".log-row").first
    expect(row).to_be_visible(timeout=20_000)
    bar = page.locator(".filter-row")
    tops = bar.evaluate("r => [...r.children].map(c => Math.round(c.getBoundingClientRect().top))")
    assert max(tops) - min(tops) <= 4, tops  # one tidy row
    table = page.locator(".log-table .rt-ScrollAreaViewport")  # Radix's table scroller
    assert table.evaluate("b => b.scrollWidth > b.clientWidth")  # wider than the window: it scrolls
    first = row.locator(".log-first")
    x0 = first.bounding_box()["x"]
    table.evaluate("b => { b.scrollLeft = b.scrollWidth }")
    expect(row.locator("td").last).to_be_in_viewport()
    assert abs(first.bounding_box()["x"] - x0) < 1  # the first column stays
    shoot(page, "threads-table")

    page.get_by_role("button", name="Columns").click()
    page.locator(".column-choice", has_text="First input").get_by_role("checkbox").click()
    page.get_by_role("button", name="Move Cost up").click()
    page.keyboard.press("Escape")
    headers = page.locator("thead th")
    expect(headers.filter(has_text="First input")).to_have_count(0)
    expect(page.locator("thead th.col-cost + th.col-tokens")).to_have_count(1)  # waits: the move lands later
    page.reload()  # remembered
    expect(page.locator(".log-row").first).to_be_visible(timeout=20_000)
    expect(headers.filter(has_text="First input")).to_have_count(0)

    other = ui_app.make_user("AI_ENGINEER", project_id=admin.project_id)
    ui_app.sign_in(page.context, other)  # another member in the same browser: their own columns
    page.reload()
    expect(page.locator(".log-row").first).to_be_visible(timeout=20_000)
    expect(headers.filter(has_text="First input")).to_have_count(1)

    page.get_by_label("Tags (comma-separated)").fill("vip")
    page.get_by_role("button", name="Apply", exact=True).click()
    chip = page.locator(".filter-chip", has_text="Tags")
    expect(chip).to_contain_text("vip")
    assert _gap(page.locator(".filter-chips")) > 0  # the chip apart from "Clear all"
    expect(page).to_have_url(re.compile(r"tags=vip"))
    chip.get_by_role("button", name="Remove filter Tags").click()
    expect(page.locator(".filter-chip")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"tags=vip"))


def test_scores_by_tag_and_target(ui_app, new_page, seeded):
    admin, _ = seeded
    page = new_page(admin)
    page.goto("/logs/scores")
    rows = page.locator(".log-row")
    expect(rows).to_have_count(2, timeout=20_000)
    page.get_by_label("Tags (comma-separated)").fill("vip")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("helpful")
    page.locator(".filter-chip", has_text="Tags").get_by_role("button").click()
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="More filters").click()
    page.get_by_label("Score target").click()
    page.get_by_role("option", name="On runs").click()
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("on-run")
    expect(page.locator(".filter-chip", has_text="Target")).to_contain_text("run")


def test_not_found_inside_the_layout(ui_app, new_page, seeded):
    admin, ids = seeded
    stranger = ui_app.make_user("ADMIN", project_name="Elsewhere")
    page = new_page(stranger)
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # the sidebar
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto("/no/such/page")
    expect(page.locator(".not-found")).to_be_visible(timeout=20_000)
    shoot(page, "not-found")
    for route, back in ((f"/logs/threads/{ids['thread']}", "Back to Threads"),  # another project's thread
                        ("/logs/threads/no-such-thread", "Back to Threads"),
                        (f"/logs/steps/{ids['run']}", "Back to Steps")):
        page.goto(route)
        expect(page.locator(".not-found")).to_contain_text("not found", timeout=20_000)
        expect(page.get_by_role("link", name=back)).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
