"""Cleaning the connection fields of a credential: base URLs, Azure endpoints as users paste them,
Bedrock regions, custom model names."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from literal_app.services.kernel.errors import Invalid

AZURE_API_VERSION = "2024-10-21"
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_AZURE_PATH = re.compile(r"/openai/deployments/([^/]+)")


def clean_base_url(value: str | None, what: str = "Base URL") -> str:
    value = (value or "").strip().rstrip("/")
    url = urlparse(value)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise Invalid(f"{what} must be an http(s) URL such as https://llm.example.com/v1 (got {value!r}).")
    return value


def parse_azure_endpoint(endpoint: str | None, deployment: str | None = None,
                         api_version: str | None = None) -> tuple[str, str, str]:
    """(base URL, deployment, api-version) from what users paste: a resource name, the resource
    URL, or a full chat-completions URL with ``/openai/deployments/<name>/...?api-version=...``."""
    raw = (endpoint or "").strip()
    if not raw:
        raise Invalid("Azure OpenAI needs the endpoint (e.g. https://my-resource.openai.azure.com).")
    if re.fullmatch(r"[A-Za-z0-9-]+", raw):
        raw = f"https://{raw}.openai.azure.com"
    url = urlparse(raw)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise Invalid(f"{raw!r} is not an Azure OpenAI endpoint: paste https://<resource>.openai.azure.com "
                      "or the deployment's full URL.")
    found = _AZURE_PATH.search(url.path)
    deployment = (deployment or "").strip() or (found.group(1) if found else "")
    version = (api_version or "").strip() or (parse_qs(url.query).get("api-version") or [AZURE_API_VERSION])[0]
    if not deployment:
        raise Invalid("Azure OpenAI needs a deployment name (or paste the deployment's full URL).")
    return f"{url.scheme}://{url.netloc}", deployment, version


def clean_region(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not _REGION.match(value):
        raise Invalid(f"{value!r} is not an AWS region (e.g. us-east-1).")
    return value


def clean_models(models: list[str] | str | None) -> list[str]:
    """Custom model names: from a list or a comma/newline separated string, trimmed, deduplicated."""
    if isinstance(models, str):
        models = re.split(r"[,\n]", models)
    out: list[str] = []
    for name in models or []:
        name = str(name).strip()
        if not name:
            continue
        if len(name) > 200:
            raise Invalid(f"Model name {name[:40]!r}... is too long (at most 200 characters).")
        if name not in out:
            out.append(name)
    if len(out) > 100:
        raise Invalid("At most 100 custom model names per credential.")
    return out
