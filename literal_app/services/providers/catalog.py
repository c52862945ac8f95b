"""The providers literal_app can call: their labels, default endpoints, current models, which
credential fields they need and which settings they accept (the playground shows only those)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from literal_app.services.kernel.errors import Invalid

ALL_SETTINGS = ("temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "stop")


@dataclass(frozen=True)
class ProviderInfo:
    id: str
    label: str
    base_url: str
    models: tuple[str, ...]
    settings: tuple[str, ...] = ALL_SETTINGS
    needs_key: bool = True
    fields: tuple[str, ...] = ()  # extra credential fields shown in the form


PROVIDERS: dict[str, ProviderInfo] = {p.id: p for p in (
    ProviderInfo("openai", "OpenAI", "https://api.openai.com/v1",
                 ("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini")),
    ProviderInfo("azure_openai", "Azure OpenAI", "", (), fields=("endpoint",)),
    ProviderInfo("anthropic", "Anthropic", "https://api.anthropic.com/v1",
                 ("claude-opus-4-1", "claude-sonnet-4-5", "claude-sonnet-4-0", "claude-3-7-sonnet-latest",
                  "claude-3-5-haiku-latest"),
                 settings=("temperature", "max_tokens", "top_p", "stop")),
    ProviderInfo("mistral", "Mistral", "https://api.mistral.ai/v1",
                 ("mistral-large-latest", "mistral-medium-latest", "mistral-small-latest", "codestral-latest",
                  "open-mistral-nemo")),
    ProviderInfo("gemini", "Google Gemini", "https://generativelanguage.googleapis.com/v1beta",
                 ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash")),
    ProviderInfo("groq", "Groq", "https://api.groq.com/openai/v1",
                 ("llama-3.3-70b-versatile", "llama-3.1-8b-instant", "openai/gpt-oss-120b",
                  "openai/gpt-oss-20b", "qwen/qwen3-32b"),
                 settings=("temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "stop")),
    ProviderInfo("bedrock", "Amazon Bedrock", "",
                 ("anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
                  "amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0", "meta.llama3-1-70b-instruct-v1:0"),
                 settings=("temperature", "max_tokens", "top_p", "stop"), fields=("region", "access_key_id")),
    ProviderInfo("custom", "Custom (OpenAI-compatible)", "", (), needs_key=False, fields=("base_url",)),
)}


def provider_info(provider: str) -> ProviderInfo | None:
    return PROVIDERS.get(provider)


def provider_label(provider: str) -> str:
    info = PROVIDERS.get(provider)
    return info.label if info else provider


def accepted_settings(provider: str) -> tuple[str, ...]:
    info = PROVIDERS.get(provider)
    return info.settings if info else ALL_SETTINGS


SETTING_RANGES = {"temperature": (0.0, 2.0), "top_p": (0.0, 1.0), "frequency_penalty": (-2.0, 2.0),
                  "presence_penalty": (-2.0, 2.0)}
SETTING_LABELS = {"temperature": "Temperature", "top_p": "Top P", "frequency_penalty": "Frequency penalty",
                  "presence_penalty": "Presence penalty", "max_tokens": "Max tokens", "stop": "Stop sequences"}


def clean_settings(provider: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed settings from a form's strings, keeping only what ``provider`` accepts (the
    Playground, prompt versions, experiments and LLM-as-judge scorers check them the same way)."""
    out: dict[str, Any] = {}
    for name in accepted_settings(provider):
        value = raw.get(name)
        if value in (None, "", []):
            continue
        if name == "stop":
            stops = value if isinstance(value, list) else [s for s in re.split(r"\s*,\s*", str(value)) if s]
            if len(stops) > 4:
                raise Invalid("At most 4 stop sequences.")
            out[name] = [str(s) for s in stops]
        elif name == "max_tokens":
            try:
                out[name] = int(value)
            except (TypeError, ValueError):
                raise Invalid("Max tokens must be a whole number.") from None
            if not 1 <= out[name] <= 1_000_000:
                raise Invalid("Max tokens must be between 1 and 1,000,000.")
        else:
            try:
                out[name] = float(value)
            except (TypeError, ValueError):
                raise Invalid(f"{SETTING_LABELS[name]} must be a number.") from None
            low, high = SETTING_RANGES[name]
            if not low <= out[name] <= high:
                raise Invalid(f"{SETTING_LABELS[name]} must be between {low:g} and {high:g}.")
    return out
