"""Browser tests of the prompt library (issue 14): create a prompt in the editor, make version 2 with
a changelog, view the diff, roll out 50/50 (a bad split is refused first) and see the official SDK's
get_prompt return both versions over 200 calls; a Domain Expert reads the library but changes nothing.
With prompts and generations sent by the official SDK: tags and the tag filter, deleting a prompt
(its generations stay in Logs, unlinked), a version's results opening Logs filtered to it and back,
and deprecating / restoring a version as get_prompt sees it. Screenshots (both sizes, light and dark)
go to ``$LITERAL_SCREENSHOTS`` when set."""

import re
from collections import Counter

import pytest
from literalai import LiteralClient
from literalai.cache.shared_cache import SharedCache
from literalai.observability.generation import ChatGeneration
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app.services.accounts import api_keys
from tests.e2e.screenshots import shoot

pytestmark = pytest.mark.browser


def _create_prompt(page, name: str) -> None:
    page.goto("/prompts")
    expect(page.get_by_text("No prompts yet")).to_be_visible()
    page.get_by_role("link", name="New prompt").click()
    expect(page.get_by_role("heading", name="New prompt", exact=True)).to_be_visible()
    page.get_by_label("Prompt name").fill(name)
    page.get_by_role("button", name="Create prompt").click()
    expect(page.locator(".form-error")).to_contain_text("changelog")  # required: nothing saved yet
    page.get_by_label("Changelog").fill("First version")
    page.get_by_role("button", name="Create prompt").click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(page.locator(".prompt-var").first).to_have_text("{{product}}")


def _new_version(page) -> None:
    page.get_by_role("link", name="New version").click()
    page.wait_for_url("**/new-version")
    message = page.get_by_label("Message 1 text")
    expect(message).to_have_value("You are a helpful assistant for {{product}}.")
    # The editor can still show the create page's identical draft until this page's load event
    # resets it to the base version: type again if that reset wiped the first edit.
    added = page.locator(".editor-diff .diff-add").first
    for _ in range(3):
        message.fill("You are a concise assistant for {{product}}. Answer in {{language}}.")
        try:
            expect(added).to_contain_text("concise", timeout=7_000)
            break
        except AssertionError:
            continue
    expect(added).to_contain_text("concise")
    page.get_by_label("Changelog").fill("Shorter answers, in the user's language")
    page.get_by_role("button", name="Save version").click()
    expect(page.locator(".version-row")).to_have_count(2)


def _rollout(page) -> None:
    page.get_by_role("button", name="Edit rollout").click()
    page.get_by_label("Rollout of v0").fill("60")
    page.get_by_label("Rollout of v1").fill("50")
    page.get_by_role("button", name="Save rollout").click()
    expect(page.locator(".form-error")).to_contain_text("add up to 100 (they add up to 110)")
    page.get_by_label("Rollout of v0").fill("50")
    page.get_by_role("button", name="Save rollout").click()
    expect(page.locator(".rollout-history-row")).to_have_count(1)
    expect(page.locator(".rollout-history-row")).to_contain_text("v0 50%, v1 50%")


def test_create_version_diff_rollout_and_sdk_serves_both(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    page = new_page(user, viewport=(1440, 900))
    _create_prompt(page, "support-answer")
    _new_version(page)
    page.get_by_label("Compare v0").click()
    page.get_by_label("Compare v1").click()
    expect(page.get_by_role("heading", name="Diff v0 → v1")).to_be_visible()
    expect(page.locator(".prompt-diff .diff-del")).to_contain_text("helpful assistant")
    expect(page.locator(".prompt-diff .diff-add")).to_contain_text("concise assistant")
    _rollout(page)
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=user.project_id, name="e2e", role="ADMIN")
        s.commit()
    client = LiteralClient(api_key=key, url=ui_app.url)
    served = Counter(client.api.get_prompt(name="support-answer").version for _ in range(200))
    assert set(served) == {0, 1}, served
    assert min(served.values()) > 60  # 50/50: each side well away from 0 over 200 draws


def test_domain_expert_reads_the_library_read_only(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    page = new_page(admin)
    _create_prompt(page, "triage")
    expert = ui_app.make_user("DOMAIN_EXPERT", project_id=admin.project_id)
    page = new_page(expert)
    page.goto("/prompts")
    page.get_by_role("link", name="triage").click()
    expect(page.get_by_role("heading", name="Version v0")).to_be_visible()
    expect(page.get_by_role("button", name="Edit rollout")).to_have_count(0)
    expect(page.get_by_role("link", name="New version")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    page.goto("/prompts")
    expect(page.get_by_role("link", name="New prompt")).to_have_count(0)


# --- Library curation, deprecation and the way to Logs (data sent by the official SDK) ----------


def _sdk(ui_app, project_id: str) -> LiteralClient:
    """The official SDK with a fresh key of the project; its process-wide prompt cache emptied (it
    answers from that cache when the server takes over a second, which would hide what it serves)."""
    with Session(ui_app.engine) as s:
        _, key = api_keys.create_api_key(s, None, project_id=project_id, name="e2e", role="ADMIN")
        s.commit()
    SharedCache().clear()
    return LiteralClient(api_key=key, url=ui_app.url)


def _log(client: LiteralClient, prompt, answer: str) -> str:
    """A chat generation made from ``prompt`` (its messages rendered by the SDK), as an app logs it."""
    return client.api.create_generation(ChatGeneration(
        prompt_id=prompt.id, provider="openai", model="gpt-4o-mini", messages=prompt.format_messages(),
        message_completion={"role": "assistant", "content": answer})).id


def _version_row(page, label: str):
    return page.locator(".version-row").filter(has=page.locator(".version-label", has_text=re.compile(f"^{label}$")))


def test_tags_filter_then_delete_from_the_library_unlinks_its_generations(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    client = _sdk(ui_app, user.project_id)
    refunds = client.api.get_or_create_prompt(name="refund-policy", template_messages=[
        {"role": "system", "content": "Explain our refund policy to {{customer}}."}])
    client.api.get_or_create_prompt(name="greeting", template_messages=[{"role": "user", "content": "Say hi."}])
    generation_id = _log(client, refunds, "Refunds take 5 days.")
    page = new_page(user, viewport=(1440, 900))
    page.goto("/prompts")
    page.get_by_role("link", name="refund-policy").click()
    expect(page.get_by_role("heading", name="refund-policy", exact=True)).to_be_visible()
    lineage_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    chips = page.locator(".tag-chip")
    for tag in ("billing", "beta"):
        page.get_by_label("Add a tag").fill(tag)
        page.get_by_label("Add a tag").press("Enter")
        expect(chips.filter(has_text=tag)).to_have_count(1)
    expect(page.get_by_label("Add a tag")).to_have_value("")
    page.get_by_label("Remove tag beta").click()
    expect(chips).to_have_text(["billing"])

    page.get_by_role("link", name="Prompts", exact=True).first.click()
    rows = page.locator(".prompt-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="refund-policy").locator(".tag-chip")).to_have_text(["billing"])
    expect(rows.filter(has_text="greeting").locator(".tag-chip")).to_have_count(0)
    shoot(page, "prompts-library")
    page.get_by_label("Filter by tag").click()
    expect(page.get_by_role("option")).to_have_text(["All tags", "billing"])  # the removed tag is gone
    page.get_by_role("option", name="billing").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".prompt-name")).to_have_text("refund-policy")

    page.get_by_label("Delete refund-policy").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Generations that used it keep their logged messages but lose the link")
    dialog.get_by_role("button", name="Delete prompt").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Deleted refund-policy (1 version); generations unlinked from it: 1.")).to_be_visible()
    # No prompt has the filtered tag any more: the list shows every prompt, the filter "All tags".
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Filter by tag")).to_have_text("All tags")
    expect(rows.first.locator(".prompt-name")).to_have_text("greeting")
    page.goto(f"/prompts/{lineage_id}")
    expect(page.get_by_role("alert").filter(has_text="Prompt not found.")).to_be_visible()

    page.goto("/logs/generations")
    page.locator(f".log-row[data-id='{generation_id}']").click()
    expect(page.locator(".gen-completion")).to_contain_text("Refunds take 5 days.")
    expect(page.locator(".gen-message").first).to_contain_text("Explain our refund policy to")
    expect(page.locator(".prompt-link")).to_have_count(0)


def test_results_open_logs_and_deprecate_restore_change_what_the_sdk_serves(ui_app, new_page):
    user = ui_app.make_user("ADMIN")
    client = _sdk(ui_app, user.project_id)
    messages = [{"role": "user", "content": "Summarise {{ticket}}."}]
    v0 = client.api.get_or_create_prompt(name="summary", template_messages=messages)
    v1 = client.api.get_or_create_prompt(name="summary", template_messages=[
        {"role": "user", "content": "Summarise {{ticket}} in one line."}])
    client.api.update_prompt_ab_testing("summary", rollouts=[{"version": 0, "rollout": 50},
                                                             {"version": 1, "rollout": 50}])
    _log(client, v0, "answer from v0")
    for n in range(2):
        _log(client, v1, f"answer from v1 #{n}")
    page = new_page(user, viewport=(1440, 900))
    page.goto("/prompts")
    page.get_by_role("link", name="summary").click()
    expect(page.locator(".version-row")).to_have_count(2)
    lineage_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    _version_row(page, "v1").get_by_title("Open these generations in Logs").click()
    page.wait_for_url(f"**/logs/generations**prompt={v1.id}**")
    log_rows = page.locator(".log-row")
    expect(log_rows).to_have_count(2)
    expect(page.locator(".filter-chip", has_text="Prompt version")).to_contain_text("summary v1")
    shoot(page, "prompt-generations")
    for n in range(2):
        expect(log_rows.filter(has_text=f"answer from v1 #{n}")).to_have_count(1)
    log_rows.first.click()
    link = page.locator(".prompt-link")
    expect(link).to_have_text(re.compile(r"Prompt summary v1$"))
    link.click()
    page.wait_for_url(f"**/prompts/{lineage_id}**")
    expect(page.get_by_role("heading", name="Version v1")).to_be_visible()
    page.locator(".result-row").get_by_role("link", name="v0").click()
    page.wait_for_url(f"**/logs/generations**prompt={v0.id}**")
    expect(log_rows).to_have_count(1)
    expect(log_rows.first).to_contain_text("answer from v0")

    page.goto(f"/prompts/{lineage_id}")
    v1_row = _version_row(page, "v1")
    v1_row.get_by_role("button", name="Deprecate").click()
    expect(page.get_by_text("Version 1 is served to 50% of get_prompt calls")).to_be_visible()
    expect(v1_row.locator(".version-rollout")).to_have_text("50%")
    expect(v1_row.get_by_text("deprecated", exact=True)).to_have_count(0)
    _save_rollout(page, {"v0": "100", "v1": "0"})  # its share moved: now it can go
    expect(v1_row.locator(".version-rollout")).to_have_text("–")
    v1_row.get_by_role("button", name="Deprecate").click()
    expect(v1_row.get_by_text("deprecated", exact=True)).to_be_visible()
    with pytest.raises(Exception, match="deprecated"):  # nor can the SDK give it a share again
        client.api.update_prompt_ab_testing("summary", rollouts=[{"version": 0, "rollout": 50},
                                                                 {"version": 1, "rollout": 50}])
    SharedCache().clear()  # get_or_create_prompt cached v1 under the name: a slow answer would return it
    served = Counter(client.api.get_prompt(name="summary").version for _ in range(30))
    assert served == {0: 30}, served

    v1_row.get_by_role("button", name="Restore").click()
    expect(v1_row.get_by_text("deprecated", exact=True)).to_have_count(0)
    _save_rollout(page, {"v0": "50", "v1": "50"})
    expect(v1_row.locator(".version-rollout")).to_have_text("50%")
    SharedCache().clear()
    served = Counter(client.api.get_prompt(name="summary").version for _ in range(30))
    assert set(served) == {0, 1}, served
    shoot(page, "prompt-page")
    page.locator(".version-row").first.scroll_into_view_if_needed()
    shoot(page, "prompt-page-versions")


def _save_rollout(page, shares: dict[str, str]) -> None:
    page.get_by_role("button", name="Edit rollout").click()
    for label, share in shares.items():
        page.get_by_label(f"Rollout of {label}").fill(share)
    expect(page.get_by_text("Total: 100%")).to_be_visible()
    page.get_by_role("button", name="Save rollout").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
