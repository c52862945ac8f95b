"""Ingestion (what the SDKs send: ``ingestStep`` batches, ``createStep``/``updateStep``,
``createGeneration``) and the lifecycle of stored attachment files (``attachment_files``).

``ingest_steps`` validates every item first, then writes all valid ones with a few bulk statements
in the caller's transaction; one bad item answers ``ok: false`` and never drops the others.
It sits below ``logs`` (which edits through it) and above ``costs`` (prices) and ``kernel``.
"""

from literal_app.services.ingestion.writer import IngestResult, ingest_steps

__all__ = ["IngestResult", "ingest_steps"]
