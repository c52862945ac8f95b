"""Roles as the UI shows them, the team and invite path, and readable messages for bad input."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_domain_expert_sees_settings_read_only_and_no_api_keys(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    expert = ui_app.make_user("DOMAIN_EXPERT", project_id=admin.project_id)
    page = new_page(expert)
    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()  # the landing page
    page.goto("/settings")
    expect(page.get_by_role("heading", name="General settings")).to_be_visible()
    expect(page.locator(".member-role")).to_have_text("Domain Expert")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Team")).to_be_visible()
    expect(nav.get_by_role("link", name="API keys")).to_have_count(0)
    expect(page.locator(".project-name-readonly")).to_have_text(admin.project_name)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)

    page.goto("/settings/api-keys")
    expect(page.locator(".no-access")).to_contain_text("Domain Expert")
    expect(page.get_by_role("button", name="Create key")).to_have_count(0)
    page.goto("/settings/team")
    expect(page.locator(".team-row")).to_have_count(2)
    expect(page.get_by_role("button", name="Add member")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove")).to_have_count(0)
    page.goto("/settings/tags")
    expect(page.get_by_text("Only Admins can add or delete tags.")).to_be_visible()


def test_ai_engineer_manages_keys_but_not_the_team(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    engineer = ui_app.make_user("AI_ENGINEER", project_id=admin.project_id)
    page = new_page()
    page.goto("/settings/api-keys")  # signed out: sign in first, then come back here
    expect(page).to_have_url(re.compile(r"/login/?\?next="))
    page.get_by_label("Email").fill(engineer.email)
    page.get_by_label("Password").fill(engineer.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    page.get_by_label("Key name").fill("engineer-key")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator(".key-row", has_text="engineer-key")).to_be_visible()
    page.goto("/settings/team")
    expect(page.get_by_text("Only Admins can add members or change roles.")).to_be_visible()
    page.goto("/settings")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)


def test_rename_form_waits_for_the_loaded_name(ui_app, new_page):
    """The race behind a flaky run: the rename input is keyed by the loaded name, so a form shown
    before ``GeneralState.load`` answered was remounted with the name under the user's typing (a
    cleared field came back filled and Save succeeded). The server's answer to ``load`` is held
    back here: no form may be shown until it arrives, and what is typed after is what is saved."""
    admin = ui_app.make_user("ADMIN", project_name=f"Held {uuid.uuid4().hex[:8]}")
    page = new_page(admin)
    held: list = []
    sockets: list = []

    def route(ws):
        server = ws.connect_to_server()
        sockets.append(ws)
        server.on_message(lambda m: held.append(m) if "shown_name" in str(m) and admin.project_name in str(m)
                          else ws.send(m))

    page.route_web_socket(re.compile(r".*/_event.*"), route)
    page.goto("/settings")
    expect(page.get_by_role("heading", name="General settings")).to_be_visible()
    expect(page.get_by_role("combobox", name="Project")).to_contain_text(admin.project_name)  # guard done
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # pumps the page's events while polling for the held answer
    assert held, "the answer to load never came"
    expect(page.get_by_label("Project name")).to_have_count(0)
    for m in held:
        sockets[-1].send(m)
    name = page.get_by_label("Project name")
    expect(name).to_have_value(admin.project_name)
    name.fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Project name is required.")


def test_bad_input_gets_readable_messages(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    page = new_page(admin)
    alert = page.get_by_role("alert")

    page.goto("/settings")
    name = page.get_by_label("Project name")
    expect(name).to_have_value(admin.project_name)  # loaded: typing now is never reset
    name.fill("")
    page.get_by_role("button", name="Save").click()
    expect(alert).to_have_text("Project name is required.")
    name.fill("x" * 201)
    page.get_by_role("button", name="Save").click()
    expect(alert).to_contain_text("too long")
    expect(name).to_have_value("x" * 201)  # nothing lost
    name.fill("Renamed project")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("combobox", name="Project")).to_contain_text("Renamed project")

    page.goto("/settings/tags")
    page.get_by_role("button", name="Add tag").click()
    expect(alert).to_have_text("Tag is required.")
    page.get_by_label("Tag", exact=True).fill("billing")
    page.get_by_role("button", name="Add tag").click()
    expect(page.locator(".tag-chip", has_text="billing")).to_be_visible()
    page.get_by_label("Tag", exact=True).fill("billing")
    page.get_by_role("button", name="Add tag").click()
    expect(alert).to_contain_text("already exists")
    page.get_by_label("Tag", exact=True).fill("t" * 101)
    page.get_by_role("button", name="Add tag").click()
    expect(alert).to_contain_text("too long")
    page.get_by_role("button", name="Delete tag billing").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(".tag-chip")).to_have_count(0)

    page.goto("/settings/api-keys")
    page.get_by_role("button", name="Create key").click()
    expect(alert).to_have_text("Key name is required.")
    page.get_by_label("Key name").fill("prod")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator(".key-row", has_text="prod")).to_be_visible()
    page.get_by_label("Key name").fill("prod")
    page.get_by_role("button", name="Create key").click()
    expect(alert).to_contain_text("already exists")

    page.goto("/settings/team")
    page.get_by_role("button", name="Add member").click()
    expect(alert).to_have_text("Email is required.")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Add member").click()
    expect(alert).to_contain_text("not a valid email address")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_role("button", name="Add member").click()
    expect(alert).to_contain_text("already a member")

    page.get_by_role("button", name="New project").click()
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("dialog").get_by_role("alert")).to_have_text("Project name is required.")


def test_invited_member_sets_a_password_and_gets_the_role(ui_app, new_page):
    admin = ui_app.make_user("ADMIN")
    page = new_page(admin)
    page.goto("/settings/team")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Name", exact=True).fill("Newcomer")
    page.get_by_role("combobox", name="Role", exact=True).click()
    page.get_by_role("option", name="Domain Expert").click()
    page.get_by_role("button", name="Add member").click()
    link = page.locator(".one-time-secret")
    expect(link).to_contain_text("/invite/")
    row = page.locator(".team-row", has_text="newcomer@example.com")
    expect(row).to_contain_text("invited")
    invite_url = link.inner_text().strip()

    guest = new_page()
    guest.goto(invite_url)
    expect(guest.get_by_text("You were invited as newcomer@example.com.")).to_be_visible()
    guest.get_by_label("Choose a password").fill("short")
    guest.get_by_role("button", name="Set password and sign in").click()
    expect(guest.get_by_role("alert")).to_contain_text("at least 8 characters")
    guest.get_by_label("Choose a password").fill("a-long-password")
    guest.get_by_role("button", name="Set password and sign in").click()
    expect(guest.locator(".member-role")).to_have_text("Domain Expert")
    expect(guest.locator(".member-name")).to_have_text("Newcomer")
    guest.goto(invite_url)  # one time only
    expect(guest.get_by_text(re.compile("invalid, used or expired"))).to_be_visible()

    page.reload()
    expect(row).to_contain_text("active")
    row.get_by_role("combobox").click()
    page.get_by_role("option", name="AI Engineer").click()
    expect(page.get_by_text("Role changed to AI Engineer.")).to_be_visible()
    row.get_by_role("button", name="Remove").click()
    page.get_by_role("button", name="Remove", exact=True).last.click()
    expect(page.locator(".team-row", has_text="newcomer@example.com")).to_have_count(0)
