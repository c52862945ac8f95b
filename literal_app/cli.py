"""Operator command line: ``python -m literal_app.cli --help``.

Bootstraps a deployment without a browser. Reads the same settings as the app
(``LITERAL_DATA_DIR``, ``DATABASE_URL``) and applies migrations before any command.
"""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from literal_app import migrate as migrations
from literal_app.auth.rbac import parse_role
from literal_app.config import get_settings
from literal_app.db import session_scope
from literal_app.services.accounts import api_keys, members, projects
from literal_app.services.datasets import comparison, experiment_views
from literal_app.services.kernel.errors import DomainError, Invalid
from literal_app.services.providers import credentials

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


@app.command("unlock")
def unlock(email: str = typer.Option(..., help="the account's email")) -> None:
    """Lift the sign-in lock-out of an email (from every client address)."""
    migrations.upgrade()
    with session_scope() as s:
        count = members.unlock(s, email=email)
    typer.echo(f"Unlocked {email} ({count} locked client(s)).", err=True)


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


@app.command("rotate-credentials")
def rotate_credentials(old_secret: str = typer.Option(..., prompt=True, hide_input=True,
                                                      help="the previous LITERAL_SECRET_KEY")) -> None:
    """Re-encrypt the stored LLM provider keys after changing LITERAL_SECRET_KEY.

    Run it with the new LITERAL_SECRET_KEY in the environment (as the server will run) and the old
    one as --old-secret. Keys already under the new secret are left as they are."""
    migrations.upgrade()
    new_secret = get_settings().secret_key
    if old_secret == new_secret:
        _fail("The old secret equals the current LITERAL_SECRET_KEY: set the new key in the environment first.")
    with session_scope() as s:
        done, skipped = credentials.reencrypt_all(s, old_secret, new_secret)
    typer.echo(f"Re-encrypted {done} credential(s); {skipped} were not readable with the old secret "
               "(already rotated, or encrypted under another key: enter those keys again).", err=True)


def _comparison_json(base: str, candidate: str, score: str, max_regression: float | None,
                     url: str | None, api_key: str | None) -> dict:
    """The comparison from the API (when a key is given: CI runners) or straight from the database."""
    if api_key:
        import httpx

        params = {"base": base, "candidate": candidate, "score": score}
        if max_regression is not None:
            params["max_regression"] = max_regression
        server = (url or "http://localhost:3000").rstrip("/")
        try:
            resp = httpx.get(f"{server}/api/experiments/compare", params=params, headers={"x-api-key": api_key},
                             timeout=60)
        except httpx.HTTPError as exc:  # an error, not a verdict: exit 2 like every other error
            raise Invalid(f"Could not reach {server} ({exc.__class__.__name__}): check LITERAL_API_URL.") from None
        body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
        if resp.status_code != 200:
            raise Invalid(body.get("message") or body.get("detail") or f"The server answered {resp.status_code}.")
        return body
    migrations.upgrade()
    with session_scope() as s:
        actor = experiment_views.operator_actor(s, base)
        result = comparison.compare(s, actor, base, candidate)
        return comparison.as_json(result, comparison.gate(result, score, max_regression))


def _print_comparison(data: dict) -> None:
    b, c = data["base"], data["candidate"]
    typer.echo(f"base      {b['name']} ({b['id']}): {b['items']} items, {b['failures']} failed")
    typer.echo(f"candidate {c['name']} ({c['id']}): {c['items']} items, {c['failures']} failed")
    typer.echo(f"shared items: {data['sharedItems']}")
    typer.echo(f"{'score':<24}{'base':>9}{'cand.':>9}{'diff':>9}  {'95% CI':<21}{'p':>8}  verdict")
    for name, r in data["scores"].items():
        fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
        ci = "-" if r["low"] is None else f"[{r['low']:+.4f}, {r['high']:+.4f}]"
        typer.echo(f"{name[:23]:<24}{fmt(r['base_mean']):>9}{fmt(r['candidate_mean']):>9}{fmt(r['difference']):>9}"
                   f"  {ci:<21}{fmt(r['p_value']):>8}  {r['verdict']} (+{r['better']}/-{r['worse']} items)")


@app.command("compare-experiments")
def compare_experiments(base: str = typer.Argument(..., help="id of the base experiment"),
                        candidate: str = typer.Argument(..., help="id of the candidate experiment"),
                        score: str = typer.Option(..., help="the score that gates"),
                        max_regression: Optional[float] = typer.Option(
                            None, help="fail when the mean drops by more than this (instead of on significance)"),
                        as_json: bool = typer.Option(False, "--json", help="print the comparison as JSON"),
                        url: Optional[str] = typer.Option(None, envvar="LITERAL_API_URL", help="server URL"),
                        api_key: Optional[str] = typer.Option(None, envvar="LITERAL_API_KEY",
                                                              help="API key: compare through the API")) -> None:
    """Compare two experiments (paired over shared items) and exit 1 when CANDIDATE is worse on --score.

    Without --max-regression: worse means significantly worse (the 95% CI of the mean difference
    is below 0). With it: worse means the mean dropped by more than X. Exit 2 on errors."""
    try:
        data = _comparison_json(base, candidate, score, max_regression, url, api_key)
    except DomainError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        _print_comparison(data)
    gate = data["gate"]
    typer.echo(f"{'PASS' if gate['passed'] else 'FAIL'}: {gate['reason']}", err=not as_json)
    raise typer.Exit(0 if gate["passed"] else 1)


if __name__ == "__main__":
    app()
