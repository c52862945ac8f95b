"""The foundation's paths through the UI: first-run setup, sign-in, projects, API keys."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sign_in(page, email: str, password: str) -> None:
    # A click before the page has hydrated submits the form natively and the attempt is lost.
    page.wait_for_load_state("networkidle")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_setup_login_project_key_revoke(ui_app, new_page):
    ui_app.reset()
    page = new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/setup/?$"))
    page.get_by_role("button", name="Create account and project").click()
    expect(page.get_by_role("alert")).to_have_text("Project name is required.")
    page.get_by_label("First project").fill("Chatbot")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account and project").click()
    expect(page.get_by_role("alert")).to_contain_text("Name is required")
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_role("button", name="Create account and project").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 8 characters")
    expect(page.get_by_label("First project")).to_have_value("Chatbot")  # nothing lost
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("a-good-password")
    page.get_by_label("First project").fill("Chatbot")
    page.get_by_role("button", name="Create account and project").click()

    key = page.locator(".one-time-secret")
    expect(key).to_contain_text("lsk_")
    setup_key = key.inner_text().strip()
    expect(page.locator(".setup-snippet")).to_contain_text(f'url="{ui_app.url}"')
    assert httpx.get(f"{ui_app.url}/api/my-project", headers={"x-api-key": setup_key}).status_code == 200

    page.get_by_role("button", name="Open literal_app").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.reload()  # the session survives a reload
    expect(page.locator(".member-name")).to_have_text("Ada Admin")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?(\?next=.*)?$"))
    sign_in(page, "ada@example.com", "a-good-password")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.get_by_role("button", name="New project").click()
    page.locator("#new-project-name").fill("Second project")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("combobox", name="Project")).to_contain_text("Second project")

    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    page.get_by_label("Key name").fill("ci")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator(".one-time-secret")).to_contain_text("lsk_")
    new_key = page.locator(".one-time-secret").inner_text().strip()
    row = page.locator(".key-row", has_text="ci")
    expect(row).to_be_visible()
    resp = httpx.get(f"{ui_app.url}/api/my-project", headers={"x-api-key": new_key})
    assert resp.status_code == 200 and resp.json()["projectId"] != httpx.get(
        f"{ui_app.url}/api/my-project", headers={"x-api-key": setup_key}).json()["projectId"]

    row.get_by_role("button", name="Revoke").click()
    page.get_by_role("button", name="Revoke key").click()
    expect(page.locator(".key-row", has_text="ci")).to_have_count(0)
    assert httpx.get(f"{ui_app.url}/api/my-project", headers={"x-api-key": new_key}).status_code == 401

    # everything shown is scoped to the current project: the setup key belongs to Chatbot
    expect(page.locator(".key-row")).to_have_count(0)
    page.get_by_role("combobox", name="Project").click()
    page.get_by_role("option", name="Chatbot").click()
    expect(page.locator(".key-row", has_text="default")).to_be_visible()
    page.reload()  # the choice is remembered in this browser
    expect(page.get_by_role("combobox", name="Project")).to_contain_text("Chatbot")


def test_wrong_password_is_refused_and_slowed_down(ui_app, new_page):
    user = ui_app.make_user()
    page = new_page()
    page.goto("/login")
    sign_in(page, user.email, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    for _ in range(3):
        sign_in(page, user.email, "still-wrong")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_session_survives_a_server_restart(ui_app, new_page):
    user = ui_app.make_user(name="Restart Tester")
    page = new_page()
    page.goto("/login")
    sign_in(page, user.email, user.password)
    expect(page.locator(".member-name")).to_have_text("Restart Tester")
    ui_app.restart()
    page.goto("/settings/team")
    expect(page.locator(".member-name")).to_have_text("Restart Tester")
    expect(page.locator(".team-row", has_text=user.email)).to_be_visible()
