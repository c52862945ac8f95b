"""Browser test of LLM providers and the Playground (issue 13): add a custom OpenAI-compatible
provider pointing at the fake server and test it, open a logged generation in the playground,
edit a variable, stream answers in two tabs at once, save a new prompt version with a changelog;
a Domain Expert sees neither page in the sidebar."""

import os
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from literal_app.services.accounts import members, projects
from literal_app.services.prompts import prompts
from tests.e2e.screenshots import shoot
from tests.fake_llm import start_fake_llm
from tests.log_factories import make_step

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fake():
    server = start_fake_llm()
    yield server
    server.stop()


def _actor(ui_app, user):
    s = Session(ui_app.engine, expire_on_commit=False)
    m = members.find_member_by_email(s, user.email)
    return s, projects.actor_for_member(s, member_id=m.id, project_id=user.project_id)


def _seed_generation(ui_app, user) -> tuple[str, str]:
    """A prompt 'support' v0 and a generation logged from it (variables question=hello there);
    returns the lineage id and the generation's step id."""
    s, actor = _actor(ui_app, user)
    with s:
        lineage = prompts.get_or_create_lineage(s, actor, name="support")
        v0 = prompts.create_version(s, actor, lineage_id=lineage.id, changelog="first",
                                    template_messages=[{"role": "system", "content": "Be brief."},
                                                       {"role": "user", "content": "{{question}}"}],
                                    settings={"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.2})
        step_id = f"gen-{uuid.uuid4().hex[:8]}"
        make_step(s, user.project_id, id=step_id, type="llm", name="support answer", model="gpt-4o-mini",
                  provider="openai", prompt_version_id=v0.id,
                  generation={"type": "CHAT", "variables": {"question": "hello there"},
                              "messages": [{"role": "system", "content": "Be brief."},
                                           {"role": "user", "content": "hello there"}],
                              "settings": {"temperature": 0.2}})
        s.commit()
        return lineage.id, step_id


def _playground_with(ui_app, new_page, fake, role: str, model: str):
    """A member of ``role`` on the Playground with the fake provider's ``model`` picked in tab 1."""
    page = new_page(ui_app.make_user(role))
    _add_custom_provider(page, fake)
    page.goto("/playground")
    page.get_by_label("Model of tab 1").click()
    page.get_by_role("option", name=model, exact=True).click()
    return page


def _add_custom_provider(page, fake):
    page.goto("/settings/llm-providers")
    expect(page.get_by_role("heading", name="LLM providers")).to_be_visible()
    page.get_by_label("Provider").click()
    page.get_by_role("option", name="Custom (OpenAI-compatible)").click()
    page.get_by_label("Name", exact=True).fill("Local fake")
    page.get_by_label("Base URL").fill(fake.base("custom"))
    page.get_by_label("API key (optional)").fill("sk-local-secret-9876")
    page.get_by_label("Custom model names").fill("fake-model tps40, fake-model")
    page.get_by_role("button", name="Add credential").click()
    row = page.locator(".credential-row", has_text="Local fake")
    expect(row).to_be_visible()
    expect(row).to_contain_text("…9876")
    assert "sk-local-secret-9876" not in page.content()  # the key never comes back to the browser
    row.get_by_role("button", name="Test Local fake").click()
    expect(page.get_by_text("It works")).to_be_visible()


def test_custom_provider_generation_replay_two_tabs_and_save(ui_app, new_page, fake):
    user = ui_app.make_user("AI_ENGINEER")
    lineage_id, step_id = _seed_generation(ui_app, user)
    page = new_page(user, viewport=(1440, 900))
    _add_custom_provider(page, fake)

    page.goto(f"/logs/steps/{step_id}")
    page.get_by_role("link", name="Open in playground").click()
    expect(page.get_by_text("From generation support answer")).to_be_visible()
    value = page.get_by_label("Value of question")
    expect(value).to_have_value("hello there")
    value.fill("what changed?")
    value.blur()

    page.get_by_role("button", name="Add tab").click()
    expect(page.get_by_text("Tab 2")).to_be_visible()
    page.get_by_label("Model of tab 2").click()
    page.get_by_role("option", name="fake-model", exact=True).click()
    page.keyboard.press("Control+Enter")
    tabs = page.locator(".pg-pane")
    for i in range(2):
        expect(tabs.nth(i).locator(".pg-answer")).to_have_text("Echo: what changed?")
        expect(tabs.nth(i).locator(".pg-metrics")).to_contain_text("TTFT")
    expect(tabs.nth(0).locator(".pg-metrics")).to_contain_text("in ·")

    page.reload()  # the draft survives
    expect(page.get_by_label("Value of question")).to_have_value("what changed?")
    if os.environ.get("LITERAL_SCREENSHOTS"):  # the tabs with their settings open, for review
        page.locator(".AccordionTrigger").first.click()
        shoot(page, "playground")

    page.get_by_role("button", name="Save").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".pg-diff")).to_contain_text("fake-model")
    dialog.get_by_label("Changelog").fill("Replay with the local model")
    dialog.get_by_role("button", name="Save version").click()
    expect(page.get_by_text("Saved support v1")).to_be_visible()
    s, actor = _actor(ui_app, user)
    with s:
        latest = prompts.list_versions(s, actor, lineage_id)[0]
    assert (latest.version, latest.changelog) == (1, "Replay with the local model")
    assert latest.settings["model"] == "fake-model tps40" and latest.template_messages[1]["content"] == "{{question}}"


def test_stop_and_provider_errors_keep_the_draft(ui_app, new_page, fake):
    page = _playground_with(ui_app, new_page, fake, "ADMIN", "fake-model tps40")
    page.get_by_label("Tools JSON").fill("[{oops")
    expect(page.get_by_text("Tools: invalid JSON")).to_be_visible()
    page.get_by_role("button", name="Run tab 1").click()
    expect(page.locator(".pg-pane").first.get_by_role("alert")).to_contain_text("Tools: invalid JSON")
    page.get_by_label("Tools JSON").fill("")
    page.get_by_label("Value of question").fill(" ".join(["word"] * 200))
    page.get_by_label("Value of question").blur()
    page.get_by_role("button", name="Run tab 1").click()
    page.get_by_role("button", name="Stop tab 1").click()
    expect(page.locator(".pg-metrics").first).to_have_text("Stopped")
    expect(page.get_by_label("Value of question")).to_have_value(" ".join(["word"] * 200))


def test_domain_expert_sees_no_playground_or_credentials(ui_app, new_page):
    user = ui_app.make_user("DOMAIN_EXPERT")
    page = new_page(user)
    page.goto("/playground")
    expect(page.locator(".no-access")).to_contain_text("cannot open this page")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Playground")).to_have_count(0)
    expect(page.get_by_role("link", name="LLM providers")).to_have_count(0)


def test_append_an_answer_to_continue_the_conversation(ui_app, new_page, fake):
    page = _playground_with(ui_app, new_page, fake, "AI_ENGINEER", "fake-model")
    page.get_by_role("button", name="Run tab 1").click()
    expect(page.locator(".pg-answer")).to_have_text("Echo: How do I reset my password?")
    page.get_by_label("Append the answer of tab 1 to the messages").click()
    expect(page.get_by_label("Message 3 text")).to_have_value("Echo: How do I reset my password?")
    expect(page.get_by_label("Message 4 text")).to_have_value("")
    expect(page.get_by_label("Role of message 3")).to_contain_text("Assistant")


def test_the_sdk_prompt_url_opens_the_version(ui_app, new_page):
    """prompt.url from the official SDKs: /projects/<id>/playground?name=...&version=N."""
    user = ui_app.make_user("AI_ENGINEER")
    _seed_generation(ui_app, user)
    page = new_page(user)
    page.goto(f"/projects/{user.project_id}/playground?name=support&version=0")
    expect(page.get_by_text("From support v0")).to_be_visible()
    expect(page.get_by_label("Message 2 text")).to_have_value("{{question}}")


def test_tool_calls_are_shown_as_such(ui_app, new_page, fake):
    user = ui_app.make_user("AI_ENGINEER")
    page = new_page(user)
    _add_custom_provider(page, fake)
    page.goto("/playground")
    page.get_by_role("button", name="Examples").click()
    page.get_by_role("menuitem", name="Tool calling").click()
    expect(page.get_by_label("Tools JSON")).to_have_value(re.compile("get_weather"))
    page.get_by_label("Model of tab 1").click()
    page.get_by_role("option", name="fake-model", exact=True).click()
    page.get_by_label("Tool choice").click()
    page.get_by_role("option", name="Required (any tool)").click()
    page.get_by_role("button", name="Run tab 1").click()
    calls = page.locator(".pg-tool-calls")
    expect(calls).to_contain_text("get_weather")
    expect(calls).to_contain_text("Paris")
    assert fake.requests[-1]["body"]["tool_choice"] == "required"
    page.get_by_label("Append the answer of tab 1 to the messages").click()
    expect(page.get_by_label("Tool call id")).to_have_value("call_1")


PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def test_an_uploaded_image_goes_to_the_provider(ui_app, new_page, fake):
    user = ui_app.make_user("AI_ENGINEER")
    page = new_page(user)
    _add_custom_provider(page, fake)
    page.goto("/playground")
    expect(page.get_by_role("button", name="Run tab 1")).to_be_visible()
    page.locator("#te-image-upload input[type=file]").set_input_files(
        files=[{"name": "dot.png", "mimeType": "image/png", "buffer": PNG_1PX}])
    expect(page.get_by_text("Image added to the last user message")).to_be_visible()
    expect(page.get_by_role("img", name="image input")).to_be_visible()
    page.get_by_label("Model of tab 1").click()
    page.get_by_role("option", name="fake-model", exact=True).click()
    page.get_by_role("button", name="Run tab 1").click()
    expect(page.locator(".pg-metrics")).to_contain_text("TTFT")
    parts = fake.requests[-1]["body"]["messages"][-1]["content"]
    assert parts[-1]["type"] == "image_url" and parts[-1]["image_url"]["url"].startswith("data:image/png;base64,")



def test_ctrl_enter_after_picking_a_model_leaves_the_page_clickable(ui_app, new_page, fake):
    """Picking a model leaves the focus on the select's trigger; Ctrl+Enter then runs the tabs and
    must not also open the select (Radix opens it on Enter, Ctrl or not), whose open state sets
    pointer-events: none on <body> and so blocked every later click."""
    page = _playground_with(ui_app, new_page, fake, "AI_ENGINEER", "fake-model")
    expect(page.get_by_role("listbox")).to_have_count(0)
    page.keyboard.press("Control+Enter")
    expect(page.locator(".pg-answer")).to_have_text("Echo: How do I reset my password?")
    expect(page.get_by_role("listbox")).to_have_count(0)
    assert page.evaluate("document.body.style.pointerEvents") != "none"
    page.get_by_role("button", name="Add tab").click()
    expect(page.get_by_text("Tab 2")).to_be_visible()
