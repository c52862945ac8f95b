"""Annotation queues in chromium (issue 12): a Domain Expert reviews three items with the keyboard
only, edits an item into a dataset, and the scores and tags show in Logs; an Admin fills a queue
from a filtered Logs table and watches the Pending / Reviewed counts change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from literal_app.models.datasets import DatasetItem
from literal_app.services.annotation import filling, queues, review
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.actor import Actor
from tests.e2e.screenshots import shoot
from tests.log_factories import make_conversation

pytestmark = pytest.mark.browser


def _seed(ui_app, admin_user, conversations: int = 2) -> tuple[Actor, str, list[str]]:
    """Conversations, a categorical schema, and the Default queue's id."""
    with Session(ui_app.engine, expire_on_commit=False) as s:
        from literal_app.services.accounts import members
        admin = Actor(admin_user.project_id, "ADMIN", members.find_member_by_email(s, admin_user.email).id)
        threads = [make_conversation(s, admin.project_id, thread_id=f"conv-{admin.project_id[:6]}-{n}").id
                   for n in range(conversations)]
        score_schemas.create_score_schema(s, admin, name="quality", type="categorical", categories=[
            {"label": "good", "value": 1}, {"label": "bad", "value": 0}])
        default = next(q.id for q in queues.list_queues(s, admin) if q.is_default)
        s.commit()
    return admin, default, threads


def test_domain_expert_reviews_with_the_keyboard_and_adds_to_a_dataset(ui_app, new_page):
    admin_user = ui_app.make_user("ADMIN")
    expert = ui_app.make_user("DOMAIN_EXPERT", project_id=admin_user.project_id, name="Dora Expert")
    admin, queue_id, threads = _seed(ui_app, admin_user)
    gens = [f"{threads[0]}-g0", f"{threads[0]}-g1", f"{threads[1]}-g0"]
    with Session(ui_app.engine) as s:
        filling.add_items(s, admin, queue_id, "step", gens)
        s.commit()
    page = new_page(expert)
    page.goto("/annotation-queues")
    row = page.locator(".queue-row", has_text="Default")
    expect(row.locator(".queue-pending")).to_have_text("3", timeout=20_000)
    expect(page.get_by_role("button", name="New queue")).to_have_count(0)  # experts do not manage queues
    row.get_by_role("button", name="Review").click()
    expect(page.locator(".review-progress")).to_have_text("3 pending · 0 reviewed", timeout=20_000)
    expect(page.locator(".gen-completion")).to_contain_text("answer 0")
    page.wait_for_function("window.__literalReviewKeys === true")  # the shortcuts are installed

    # edit the first item and add it to a new dataset (d opens the editor)
    page.keyboard.press("d")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Dataset input")).to_contain_text('"messages"')
    dialog.get_by_label("New dataset name").fill("Golden answers")
    dialog.get_by_label("Dataset input").fill('{"question": "edited by the expert"}')
    dialog.get_by_role("button", name="Add to dataset").click()
    expect(page.get_by_text("Added to the dataset.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # a tag (t focuses the tag field)
    page.keyboard.press("t")
    page.keyboard.type("needs-review")
    page.keyboard.press("Enter")
    expect(page.locator(".review-tag", has_text="needs-review")).to_be_visible()
    page.get_by_label("New tag").blur()
    shoot(page, "annotation-review")  # out of the field, keys are shortcuts again

    for n, key in enumerate(("1", "2", "1")):
        page.keyboard.press(key)  # a category of the focused schema
        expect(page.locator(".schema-control[data-focused=true] [aria-pressed=true]")).to_have_count(1)
        page.keyboard.press("r")  # mark reviewed, then the next item
        expected = "All caught up" if n == 2 else f"{2 - n} pending · {n + 1} reviewed"
        target = page.locator(".review-done") if n == 2 else page.locator(".review-progress")
        expect(target).to_contain_text(expected, timeout=20_000)

    # in Logs: the scores (by the expert) and the tag are on the steps
    page.goto(f"/logs/steps/{gens[0]}")
    score = page.locator(".score-row", has_text="quality")
    expect(score).to_contain_text("good", timeout=20_000)
    expect(score).to_contain_text("Dora Expert")
    expect(page.locator(".step-tag", has_text="needs-review")).to_be_visible()
    page.goto(f"/logs/steps/{gens[1]}")
    expect(page.locator(".score-row", has_text="quality")).to_contain_text("bad", timeout=20_000)
    with Session(ui_app.engine) as s:
        item = s.execute(select(DatasetItem).where(DatasetItem.project_id == admin.project_id)).scalar_one()
        assert item.input == {"question": "edited by the expert"} and item.step_id == gens[0]



def test_ctrl_enter_on_a_focused_select_reviews_without_opening_it(ui_app, new_page):
    """Ctrl+Enter while a select's trigger has the focus (here the project switcher, closed with
    Escape) marks the item reviewed and does not also open the select, whose open state would
    block clicks on the page (pointer-events: none on <body>)."""
    admin_user = ui_app.make_user("ADMIN")
    admin, queue_id, threads = _seed(ui_app, admin_user, conversations=1)
    with Session(ui_app.engine) as s:
        filling.add_items(s, admin, queue_id, "step", [f"{threads[0]}-g0", f"{threads[0]}-g1"])
        s.commit()
    page = new_page(admin_user)
    page.goto(f"/annotation-queues/{queue_id}/review")
    expect(page.locator(".review-progress")).to_have_text("2 pending · 0 reviewed", timeout=20_000)
    page.wait_for_function("window.__literalReviewKeys === true")
    page.keyboard.press("1")
    expect(page.locator(".schema-control[data-focused=true] [aria-pressed=true]")).to_have_count(1)
    page.get_by_role("combobox", name="Project").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("Escape")  # the focus goes back to the select's trigger
    expect(page.get_by_role("listbox")).to_have_count(0)
    page.keyboard.press("Control+Enter")
    expect(page.locator(".review-progress")).to_have_text("1 pending · 1 reviewed", timeout=20_000)
    expect(page.get_by_role("listbox")).to_have_count(0)
    page.locator(".review-page").get_by_role("button", name=re.compile("^Skip")).click()

def test_admin_fills_a_queue_from_a_filtered_table_and_sees_the_counts(ui_app, new_page):
    admin_user = ui_app.make_user("ADMIN")
    admin, queue_id, threads = _seed(ui_app, admin_user, conversations=3)
    page = new_page(admin_user)
    page.goto("/logs/runs/?q=a1")  # runs whose input/output mention "a1": the second turn of each
    expect(page.locator(".log-row")).to_have_count(3, timeout=20_000)
    page.get_by_role("button", name="Add to queue").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("All rows matching the current filters (at most 10,000)")).to_be_visible()
    dialog.get_by_role("button", name="Add to queue").click()
    expect(page.get_by_text("Added 3 items to Default.")).to_be_visible()
    # the selected rows again: nothing added twice
    page.locator(".log-row").first.get_by_role("checkbox").click()
    expect(page.locator(".log-row").first.get_by_role("checkbox")).to_be_checked()
    page.get_by_role("button", name="Add to queue").click()
    page.get_by_role("dialog").get_by_role("button", name="Add to queue").click()
    expect(page.get_by_text(re.compile(r"Added 0 items to Default; 1 was already there"))).to_be_visible()

    page.goto(f"/annotation-queues/{queue_id}")
    expect(page.get_by_role("radio", name="Pending (3)")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("radio", name="Reviewed (0)")).to_be_visible()
    expect(page.locator(".item-row")).to_have_count(3)
    with Session(ui_app.engine) as s:
        ctx = review.next_item(s, admin, queue_id)
        review.review_item(s, admin, ctx.item.id, [])
        s.commit()
    page.reload()
    expect(page.get_by_role("radio", name="Pending (2)")).to_be_visible(timeout=20_000)
    page.get_by_role("radio", name="Reviewed (1)").click()
    expect(page.locator(".item-row")).to_have_count(1)
    expect(page.locator(".reviewer-progress")).to_contain_text("1 today · 1 in total")
