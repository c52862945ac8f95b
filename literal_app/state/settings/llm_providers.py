"""Settings → LLM providers: the project's credentials (add, edit, delete, test). The state
holds only what the service returns (never a key: ``key_hint`` is its last four characters)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from literal_app.services import providers
from literal_app.services.kernel.errors import DomainError
from literal_app.services.providers import credentials
from literal_app.services.providers.catalog import PROVIDERS
from literal_app.services.providers.credentials import CredentialInput
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

PROVIDER_CHOICES = [(p.id, p.label) for p in PROVIDERS.values()]
FIELDS = ("name", "api_key", "base_url", "endpoint", "deployment", "api_version", "region", "access_key_id",
          "models")


@dataclass(frozen=True)
class CredentialRow:
    id: str
    name: str
    provider: str
    provider_label: str
    key: str
    connection: str
    models: str
    model_count: int
    updated: str


def _row(c: credentials.CredentialRead) -> CredentialRow:
    connection = c.base_url
    if c.provider == "bedrock":
        connection = f"{c.extra.get('region', '')} · {c.extra.get('access_key_id', '')}"
    elif c.provider == "azure_openai":
        connection = f"{c.base_url} · {c.extra.get('deployment', '')} · {c.extra.get('api_version', '')}"
    shown = ", ".join(c.custom_models) if c.custom_models else "built-in list"
    return CredentialRow(c.id, c.name, c.provider, c.provider_label, f"…{c.key_hint}" if c.key_hint else
                         ("set" if c.has_key else "none"), connection or "default endpoint", shown, len(c.models),
                         when(c.updated_at or c.created_at))


class LlmProvidersState(SessionState):
    rows: list[CredentialRow] = []
    form_provider: str = "openai"
    form: dict[str, str] = {}
    editing_id: str = ""
    key_hint: str = ""
    error: str = ""
    testing_id: str = ""

    @rx.event
    def load(self):
        self._fill()
        if not self.project_id or not self.allowed("secrets:read"):
            self.rows = []
            return None
        return self._refresh()

    def _refresh(self) -> list:
        try:
            self.rows = [_row(c) for c in self.call(credentials.list_credentials)]
        except DomainError as exc:
            return [error_toast(exc)]
        return []

    def _fill(self, provider: str = "openai", values: dict | None = None, cred_id: str = "", hint: str = ""):
        self.form_provider, self.form, self.editing_id, self.key_hint = provider, values or {}, cred_id, hint
        self.error = ""

    @rx.event
    def set_form_provider(self, provider: str):
        self.form_provider = provider

    @rx.event
    def edit(self, cred_id: str):
        try:
            c = self.call(credentials.get_credential, cred_id)
        except DomainError as exc:
            return error_toast(exc)
        self._fill(c.provider, {"name": c.name, "base_url": c.base_url if c.provider != "azure_openai" else "",
                                "endpoint": c.base_url if c.provider == "azure_openai" else "",
                                "deployment": c.extra.get("deployment", ""), "api_version": c.extra.get("api_version", ""),
                                "region": c.extra.get("region", ""), "access_key_id": c.extra.get("access_key_id", ""),
                                "models": ", ".join(c.custom_models)}, c.id, c.key_hint)
        return None

    @rx.event
    def cancel_edit(self):
        self._fill()
        return [rx.set_value(f"cred-{f}", "") for f in FIELDS]

    @rx.event
    def save(self, form: dict):
        data = CredentialInput(self.form_provider, **{f: (form.get(f) or None) for f in FIELDS})
        try:
            if self.editing_id:
                self.call(credentials.update_credential, self.editing_id, data)
            else:
                self.call(credentials.create_credential, data)
        except DomainError as exc:
            self.error = exc.message
            return None
        verb = "saved" if self.editing_id else "added"
        self._fill()
        return [*self._refresh(), *[rx.set_value(f"cred-{f}", "") for f in FIELDS],
                rx.toast.success(f"Credential {data.name.strip()!r} {verb}.")]

    @rx.event
    def delete(self, cred_id: str):
        try:
            self.call(credentials.delete_credential, cred_id)
        except DomainError as exc:
            return error_toast(exc)
        if self.editing_id == cred_id:
            self._fill()
        return [*self._refresh(), rx.toast.success("Credential deleted.")]

    @rx.event(background=True)
    async def test(self, cred_id: str):
        """A minimal call through the credential, in a worker thread (the page stays responsive)."""
        async with self:
            if self.testing_id:
                return
            self.testing_id = cred_id
        try:
            result = await asyncio.to_thread(self.call, providers.test_credential, cred_id)
        except DomainError as exc:
            async with self:
                self.testing_id = ""
            return rx.toast.error(f"Test failed. {exc.message}", close_button=True)
        async with self:
            self.testing_id = ""
        answer = (result.text or "(tool call)").strip()[:60]
        return rx.toast.success(f"It works: {result.model} answered {answer!r} in {result.latency_ms:.0f} ms "
                                f"({result.usage.input_tokens} in / {result.usage.output_tokens} out tokens).")
