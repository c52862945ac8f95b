"""Evaluation: score schemas, scorers, and online evaluation rules that score production logs.

Modules: ``score_schemas`` (what a human or a judge may answer), ``scorers`` (CRUD of code,
LLM-as-judge and embedding scorers; ``builtins`` holds the ready-made judges copied on demand),
``code_metrics`` (the deterministic metrics), ``judges`` / ``judge_config`` / ``judge_log`` (the
judge's template, call, answer check and logged generation), ``embeddings`` (local ONNX model),
``scoring`` (the one call that scores one thing), ``try_it`` (a scorer on a logged step), and
online evaluation: ``online_rules`` (CRUD), ``backlog`` (ingested steps → queued runs: sampling,
completeness, unique rule + step), ``rule_execution`` (claim, score, store exactly once; the
sweeper's stale work) and ``rule_runs`` (runs log, score series, dashboard series, retry failed).

Online evaluation never slows or fails ingestion: the ingest transaction only adds one
``eval_backlog`` row (when the project has an active rule) and a drain job is enqueued after
commit (``ingestion.followups``). With Redis down the enqueue is logged and dropped, the backlog
row stays, and the sweeper — run by every ``worker.py`` at start and scheduled by ingestion every
minute — re-enqueues undrained backlog, queued runs older than 30 s and running runs whose
worker died (lease 5 min), so the backlog is scored once Redis is back.

Scoring one thing — what experiments, online rules and the "Try it" panel call::

    from literal_app.services.evaluation.scoring import run_scorer, ScorerResult

    run_scorer(session, actor, scorer_id, *, input, output, expected_output=None,
               metadata=None, thread=None) -> ScorerResult

    ScorerResult(value: float | None, label: str | None, reason: str, tokens: int,
                 cost: float | None, error: str | None, retryable: bool, name: str,
                 type: "CODE" | "AI", score_schema_id: str | None, judge_step_id: str | None)

``input``/``output``/``expected_output`` are logged values (a string, a message dict with
``content``, or any JSON); ``metadata`` is a dict (``metadata["variables"]`` the prompt variables
a generation was called with); ``thread`` a list of ``{"role", "content"}`` messages. It needs
``observability:write`` (Admin, AI Engineer) and raises only ``Forbidden`` / ``NotFound``; a
failure to score (provider error, judge answer outside the schema, no expected output for a
comparison) is returned in ``error`` with ``value=None``, and ``retryable`` says whether a later
attempt may succeed (429, 5xx, timeouts, invalid judge answers). Judge calls are logged as
generations in the ``evaluation`` environment; the result carries their tokens and USD cost.
The caller stores the score (e.g. as a Score with ``name``, ``type``, ``value``, ``label``,
``comment=reason``) and commits.
"""
