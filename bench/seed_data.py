"""Row generators for bench/seed.py: realistic conversations (user message, run with retrieval,
LLM generation and tool children, assistant message) with thread aggregates computed on the way.

Everything here is pure Python and deterministic for a given ``random.Random``; seed.py streams
the rows into PostgreSQL with COPY.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STEP_COLUMNS = (
    "id", "project_id", "thread_id", "parent_id", "root_run_id", "type", "name", "start_time",
    "end_time", "created_at", "input", "output", "metadata", "tags", "error", "environment",
    "generation", "generation_type", "provider", "model", "prompt_version_id", "input_token_count",
    "output_token_count", "token_count", "tt_first_token", "token_throughput", "duration", "cost",
)
THREAD_COLUMNS = (
    "id", "project_id", "name", "metadata", "tags", "participant_id", "environment", "created_at",
    "updated_at", "start_time", "end_time", "step_count", "token_count", "cost", "first_input",
    "last_output",
)
SCORE_COLUMNS = (
    "id", "project_id", "step_id", "name", "type", "value", "label", "comment", "score_schema_id",
    "created_at", "updated_at",
)
PREVIEW_CHARS = 300

MODELS = [  # provider, model, USD per 1M input tokens, USD per 1M output tokens
    ("openai", "gpt-4o-mini", 0.15, 0.6), ("openai", "gpt-4o", 2.5, 10.0),
    ("anthropic", "claude-3-5-sonnet", 3.0, 15.0), ("mistral", "mistral-large", 2.0, 6.0),
]
TOPICS = ["billing", "refund", "password reset", "shipping delay", "API quota", "invoice", "SSO setup",
          "data export", "webhook retries", "plan upgrade", "GDPR request", "mobile login"]
WORDS = ("the of and to in is that for it with as was on be by this are from or have an they which "
         "you not but at can all were we when there your use how said each she do their if will up "
         "other about out many then them these so some would make like into has two more write go see "
         "number way could people my than first water been call who oil its now find long down day did "
         "get come made may part customer account order support answer policy context document").split()
THREAD_TAGS = ["support", "billing", "onboarding", "vip", "bug", "feedback"]
ENVIRONMENTS = ["prod"] * 7 + ["staging"] * 2 + ["dev"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def text(rng: random.Random, sentences: int, words: int = 12) -> str:
    return " ".join(sentence(rng, rng.randint(words // 2, words * 3 // 2)) for _ in range(sentences))


@dataclass
class ThreadAgg:
    """The aggregates ingestion maintains on a thread, accumulated while its steps are generated."""

    step_count: int = 0
    token_count: int = 0
    cost: float = 0.0
    start: datetime | None = None
    end: datetime | None = None
    first_input: str | None = None
    last_output: str | None = None

    def add(self, start: datetime, end: datetime, tokens: int = 0, cost: float = 0.0) -> None:
        self.step_count += 1
        self.token_count += tokens
        self.cost += cost
        self.start = start if self.start is None or start < self.start else self.start
        self.end = end if self.end is None or end > self.end else self.end


@dataclass
class Ctx:
    """Everything a turn generator needs: the project, its prompt versions and the output sinks."""

    rng: random.Random
    project_id: str
    prompt_versions: list[str]
    schemas: dict[str, tuple[str, str]]  # key -> (schema name, schema id)
    large_io_rate: float
    score_rate: float
    write_step: object
    write_score: object
    counters: dict[str, int] = field(default_factory=lambda: {"steps": 0, "scores": 0})


def _j(value) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _step(ctx: Ctx, agg: ThreadAgg, **v) -> None:
    """Write one step row (missing columns are NULL) and fold it into the thread aggregates."""
    for key in ("input", "output", "metadata", "tags", "generation"):
        v[key] = _j(v.get(key))
    v.setdefault("created_at", v["start_time"])
    v["project_id"] = ctx.project_id
    v["duration"] = (v["end_time"] - v["start_time"]).total_seconds()
    ctx.write_step(tuple(v.get(c) for c in STEP_COLUMNS))
    ctx.counters["steps"] += 1
    agg.add(v["start_time"], v["end_time"], v.get("token_count") or 0, v.get("cost") or 0.0)


def _big_text(rng: random.Random) -> str:
    return text(rng, 600, 14)  # ~50 KB: exercises truncation and "load whole"


def _maybe_score(ctx: Ctx, step_id: str, at: datetime) -> None:
    rng = ctx.rng
    if rng.random() >= ctx.score_rate:
        return
    good = rng.random() < 0.75
    (help_name, help_id), (rel_name, rel_id) = ctx.schemas["helpfulness"], ctx.schemas["relevance"]
    rows = [(help_name, "HUMAN", 1.0 if good else 0.0, "good" if good else "bad",
             rng.choice([None, "Clear answer.", "Missed the point.", "Too long."]), help_id),
            (rel_name, "AI", round(rng.uniform(0.2, 1.0), 3), None, None, rel_id)]
    for name, kind, value, label, comment, schema_id in rows[: rng.randint(1, 2)]:
        sid = f"sc-{step_id}-{name}"
        ctx.write_score((sid, ctx.project_id, step_id, name, kind, value, label, comment, schema_id,
                         at, at))
        ctx.counters["scores"] += 1


def turn(ctx: Ctx, agg: ThreadAgg, thread_id: str, n: int, at: datetime, env: str) -> datetime:
    """One user turn = 5 steps: user message, run(retrieval, llm), assistant message."""
    rng, base = ctx.rng, f"{thread_id}-{n}"
    topic = rng.choice(TOPICS)
    question = f"About {topic}: {text(rng, rng.randint(1, 3))}"
    _step(ctx, agg, id=f"{base}-u", thread_id=thread_id, type="user_message", name="user",
          start_time=at, end_time=at, output={"content": question}, environment=env)
    run_id, t = f"{base}-r", at + timedelta(milliseconds=rng.randint(5, 40))
    r_end = t + timedelta(milliseconds=rng.randint(30, 400))
    docs = [{"id": f"doc-{rng.randint(1, 5000)}", "text": text(rng, 2)} for _ in range(3)]
    _step(ctx, agg, id=f"{base}-rt", thread_id=thread_id, parent_id=run_id, root_run_id=run_id,
          type="retrieval", name="vector_search", start_time=t, end_time=r_end,
          input={"query": question}, output={"documents": docs}, environment=env)
    provider, model, pin, pout = rng.choice(MODELS)
    tin, tout = rng.randint(150, 3000), rng.randint(20, 700)
    ttft = rng.uniform(120, 1500)
    g_end = r_end + timedelta(milliseconds=ttft + tout * rng.uniform(8, 30))
    answer = _big_text(rng) if rng.random() < ctx.large_io_rate else text(rng, rng.randint(2, 6))
    messages = [{"role": "system", "content": "You answer support questions using the context."},
                {"role": "user", "content": question}]
    cost = (tin * pin + tout * pout) / 1e6
    pv = rng.choice(ctx.prompt_versions) if ctx.prompt_versions and rng.random() < 0.6 else None
    gen = {"type": "CHAT", "provider": provider, "model": model, "messages": messages,
           "messageCompletion": {"role": "assistant", "content": answer},
           "settings": {"temperature": 0.2, "max_tokens": 800}, "promptId": pv,
           "inputTokenCount": tin, "outputTokenCount": tout, "tokenCount": tin + tout, "ttFirstToken": ttft}
    g_secs = (g_end - r_end).total_seconds()
    _step(ctx, agg, id=f"{base}-g", thread_id=thread_id, parent_id=run_id, root_run_id=run_id, type="llm",
          name=model, start_time=r_end, end_time=g_end, input={"messages": messages},
          output={"role": "assistant", "content": answer}, generation=gen, generation_type="CHAT",
          provider=provider, model=model, prompt_version_id=pv, input_token_count=tin,
          output_token_count=tout, token_count=tin + tout, tt_first_token=ttft,
          token_throughput=tout / max(g_secs - ttft / 1000, 0.05), cost=cost, environment=env)
    failed = rng.random() < 0.02
    run_end = g_end + timedelta(milliseconds=rng.randint(2, 50))
    _step(ctx, agg, id=run_id, thread_id=thread_id, root_run_id=None, type="run", name="answer_question",
          start_time=t, end_time=run_end, input={"question": question},
          output=None if failed else {"answer": answer[:2000]},
          metadata={"topic": topic, "retriever": rng.choice(["bm25", "dense"])},
          tags=[topic.split()[0]] if rng.random() < 0.3 else None,
          error="TimeoutError: the model did not answer within 30 s" if failed else None, environment=env)
    _maybe_score(ctx, run_id, run_end)
    _step(ctx, agg, id=f"{base}-a", thread_id=thread_id, type="assistant_message", name="assistant",
          start_time=run_end, end_time=run_end, output={"content": answer}, environment=env)
    if agg.first_input is None:
        agg.first_input = question[:PREVIEW_CHARS]
    agg.last_output = answer[:PREVIEW_CHARS]
    return run_end + timedelta(seconds=rng.randint(20, 600))


STEPS_PER_TURN = 5


def thread_rows(ctx: Ctx, thread_id: str, turns: int, start: datetime, participant_id: str | None,
                name: str | None = None) -> tuple:
    """Generate a thread's steps (written on the way) and return its row with the aggregates."""
    rng, agg, at = ctx.rng, ThreadAgg(), start
    env = rng.choice(ENVIRONMENTS)
    for n in range(turns):
        at = turn(ctx, agg, thread_id, n, at, env)
    tags = rng.sample(THREAD_TAGS, rng.choice([0, 0, 1, 1, 2]))
    meta = {"app_version": f"1.{rng.randint(0, 9)}", "region": rng.choice(["eu", "us", "apac"])}
    return (thread_id, ctx.project_id, name or f"Conversation {thread_id[-6:]}", _j(meta), _j(tags or None),
            participant_id, env, agg.start, agg.end, agg.start, agg.end, agg.step_count, agg.token_count,
            agg.cost, agg.first_input, agg.last_output)
