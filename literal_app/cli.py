"""Operator command line: ``python -m literal_app.cli --help``.

Bootstraps a deployment without a browser. Reads the same settings as the app
(``LITERAL_DATA_DIR``, ``DATABASE_URL``) and applies migrations before any command.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from literal_app import migrate as migrations
from literal_app.auth.rbac import parse_role
from literal_app.db import session_scope
from literal_app.services.accounts import api_keys
from literal_app.services.accounts import members
from literal_app.services.accounts import projects
from literal_app.services.kernel.errors import DomainError

app = typer.Typer(help="literal_app operator commands.", no_args_is_help=True, add_completion=False)


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    migrations.upgrade()
    typer.echo("Database is up to date.", err=True)


@app.command("create-admin")
def create_admin(email: str = typer.Option(...), name: str = typer.Option(...),
                 password: str = typer.Option(..., prompt=True, hide_input=True)) -> None:
    """Create a member account (projects they create make them Admin)."""
    migrations.upgrade()
    try:
        with session_scope() as s:
            m = members.create_member(s, email=email, name=name, password=password)
    except DomainError as exc:
        _fail(exc.message)
    typer.echo(f"Created {m.email}.", err=True)


@app.command("create-project")
def create_project(name: str = typer.Option(...), owner: Optional[str] = typer.Option(None, help="owner email")) -> None:
    """Create a project owned (as Admin) by OWNER, or by the first account."""
    migrations.upgrade()
    try:
        with session_scope() as s:
            owner_row = members.find_member_by_email(s, owner) if owner else members.first_member(s)
            if owner_row is None:
                _fail(f"No account {owner!r}." if owner else "No account yet: run create-admin first.")
            p = projects.create_project(s, name=name, owner_id=owner_row.id)
    except DomainError as exc:
        _fail(exc.message)
    typer.echo(p.id)


@app.command("create-api-key")
def create_api_key(project: str = typer.Option(..., help="project name or id"),
                   name: str = typer.Option("cli"), role: str = typer.Option("AI Engineer")) -> None:
    """Create an API key for a project; prints only the key on stdout."""
    migrations.upgrade()
    try:
        role_value = parse_role(role)
    except ValueError as exc:
        _fail(str(exc))
    try:
        with session_scope() as s:
            p = projects.find_project(s, project)
            if p is None:
                _fail(f"No project named {project!r}.")
            _, key = api_keys.create_api_key(s, None, project_id=p.id, name=name, role=role_value)
    except DomainError as exc:
        _fail(exc.message)
    sys.stdout.write(key + "\n")


@app.command("reset-password")
def reset_password(email: str = typer.Option(...),
                   password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True)) -> None:
    """Set a new password for an account and sign it out everywhere."""
    migrations.upgrade()
    try:
        with session_scope() as s:
            members.set_password(s, email=email, password=password)
    except DomainError as exc:
        _fail(exc.message)
    typer.echo("Password updated.", err=True)


if __name__ == "__main__":
    app()
