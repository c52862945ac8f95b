"""Accounts (sidebar: Settings → General, Team, API keys; the sign-in and setup pages): first-run
setup, members and their sign-in sessions, projects, project API keys and team membership."""
