"""What the fake providers answer, decided from the request alone so tests are deterministic.

The answer echoes the last user message ("Echo: <text>"), one token per word; with tools offered
and a user message last, it calls the first tool with ``{"query": <text>}``; asked for JSON it
answers a JSON object (``{"reason", "category"}`` for a score schema). Token counts are word counts.

Scenarios are words in the model name (each request's model picks its own behaviour):
``fail429xN`` / ``fail500xN`` (the first N requests for that model fail, 429 with Retry-After: 0),
``error401`` / ``error404`` / ``error400`` (always), ``hang`` (no answer for 30 s), ``hangmid``
(one token, then silence), ``malformed`` (garbage in the stream), ``truncated`` (stream stops
early), ``tokensN`` / ``ttftN`` (ms) / ``tpsN`` (tokens per second) for benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

_COUNTS: dict[str, int] = {}
_LOCK = threading.Lock()
FIRST_TOKEN_SENT: list[tuple[str, float]] = []  # (model, epoch seconds) of each stream's first token


@dataclass
class Plan:
    tokens: list[str]
    tool: tuple[str, str] | None  # (name, JSON arguments)
    input_tokens: int
    ttft: float = 0.0
    interval: float = 0.0
    scenario: set[str] = field(default_factory=set)
    model: str = ""

    @property
    def output_tokens(self) -> int:
        return 1 if self.tool else len(self.tokens)

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def words(value: Any) -> int:
    if isinstance(value, list):
        return sum(words(v.get("text") if isinstance(v, dict) else v) for v in value)
    return len(str(value or "").split())


def _number(pattern: str, model: str) -> int | None:
    found = re.search(pattern, model)
    return int(found.group(1)) if found else None


def failure(model: str) -> int | None:
    """The HTTP status this request must fail with, or None."""
    for status in (401, 404, 400):
        if f"error{status}" in model:
            return status
    for status in (429, 500):
        times = _number(rf"fail{status}x(\d+)", model)
        if times:
            with _LOCK:
                _COUNTS[model] = _COUNTS.get(model, 0) + 1
                if _COUNTS[model] <= times:
                    return status
    return None


def json_answer(text: str, schema: dict | None) -> str:
    props = (schema or {}).get("properties") or {}
    if "category" in props:
        options = props["category"].get("enum") or ["ok"]
        return json.dumps({"reason": f"Judged: {text}", "category": options[0]})
    if "value" in props:
        return json.dumps({"reason": f"Judged: {text}", "value": props["value"].get("minimum", 0)})
    return json.dumps({"echo": text})


def plan(model: str, last_user: str, input_tokens: int, tool_names: list[str], wants_json: bool,
         schema: dict | None = None) -> Plan:
    scenario = {w for w in ("hang", "hangmid", "malformed", "truncated") if re.search(rf"\b{w}\b", model)}
    count = _number(r"tokens(\d+)", model)
    tps = _number(r"tps(\d+)", model)
    common = dict(input_tokens=input_tokens, ttft=(_number(r"ttft(\d+)", model) or 0) / 1000,
                  interval=1 / tps if tps else 0.0, scenario=scenario, model=model)
    if tool_names and last_user:
        return Plan([], (tool_names[0], json.dumps({"query": last_user})), **common)
    if count:
        return Plan([f"tok{i} " for i in range(count)], None, **common)
    text = json_answer(last_user, schema) if wants_json else f"Echo: {last_user}"
    pieces = re.findall(r"\S+\s*", text) or [text]
    return Plan(pieces, None, **common)


async def pace(p: Plan, index: int) -> None:
    """Wait before token ``index``: the TTFT before the first, the interval between the others."""
    if index == 0:
        if p.ttft:
            await asyncio.sleep(p.ttft)
        FIRST_TOKEN_SENT.append((p.model, time.time()))  # benchmarks compare it with the browser's clock
    elif index and p.interval:
        await asyncio.sleep(p.interval)
    if "hangmid" in p.scenario and index == 1:
        await asyncio.sleep(30)


async def hang_if_asked(p_or_model) -> None:
    model = p_or_model if isinstance(p_or_model, str) else ""
    if re.search(r"\bhang\b", model):
        await asyncio.sleep(30)
