"""The parts of a logged chat message for display: text, images (URLs and data URIs), audio,
video and files, from the content shapes of OpenAI, Anthropic, Gemini-style and LangChain
messages. Unknown parts are shown as their JSON; inline data above ``MAX_INLINE`` is not sent to the
browser (a note says so)."""

from __future__ import annotations

import json
from typing import Any

MAX_INLINE = 2_000_000  # characters of a data: URI kept for display
TEXT_LIMIT = 4000


def _cut(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _url(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("url") or value.get("uri") or ""
    return value if isinstance(value, str) else ""


def _data_uri(source: dict, default_mime: str) -> str:
    """An Anthropic-style ``{"type": "base64", "media_type", "data"}`` or ``{"type": "url"}`` source."""
    if source.get("type") == "url":
        return _url(source)
    data = source.get("data")
    return f"data:{source.get('media_type') or default_mime};base64,{data}" if isinstance(data, str) else ""


def _part(kind: str, url: str, name: str) -> dict:
    if url.startswith("data:") and len(url) > MAX_INLINE:
        return {"kind": "text", "text": f"*({name}: inline data too large to show here)*", "url": "", "name": name}
    if not url:
        return {"kind": "text", "text": f"*({name} without a link)*", "url": "", "name": name}
    return {"kind": kind, "text": "", "url": url, "name": name}


def _one(p: Any) -> dict:
    if isinstance(p, str):
        return {"kind": "text", "text": _cut(p), "url": "", "name": ""}
    if not isinstance(p, dict):
        return {"kind": "text", "text": _cut(json.dumps(p, default=str)), "url": "", "name": ""}
    t = str(p.get("type") or "")
    if t in ("text", "input_text", "output_text") or (not t and "text" in p):
        return {"kind": "text", "text": _cut(str(p.get("text") or "")), "url": "", "name": ""}
    if t in ("image_url", "image", "input_image"):
        src = p.get("source")
        url = _data_uri(src, "image/png") if isinstance(src, dict) else _url(p.get("image_url") or p.get("url"))
        return _part("image", url, "image")
    if t in ("input_audio", "audio"):
        audio = p.get("input_audio") or p.get("audio") or p
        data = audio.get("data") if isinstance(audio, dict) else None
        url = f"data:audio/{audio.get('format') or 'wav'};base64,{data}" if isinstance(data, str) else _url(audio)
        return _part("audio", url, "audio")
    if t in ("video_url", "video"):
        return _part("video", _url(p.get("video_url") or p.get("url")), "video")
    if t in ("file", "input_file", "document"):
        f = p.get("file") if isinstance(p.get("file"), dict) else p
        src = f.get("source")
        url = (_data_uri(src, "application/pdf") if isinstance(src, dict) else
               _url(f.get("file_data") or f.get("url") or f.get("file_url")))
        return _part("file", url, str(f.get("filename") or f.get("name") or f.get("file_id") or "file"))
    return {"kind": "text", "text": _cut("`" + json.dumps(p, default=str)[:500] + "`"), "url": "", "name": ""}


def parts_of(content: Any) -> list[dict]:
    """Display parts of a message's ``content`` (a string, a list of parts, or anything JSON)."""
    if content is None or content == "":
        return []
    if isinstance(content, list):
        return [_one(p) for p in content[:50]]
    return [_one(content if isinstance(content, (str, dict)) else json.dumps(content, default=str))]
