"""Step ingestion (``ingestStep`` batches, ``createStep``/``updateStep``, ``createGeneration``).

``ingest_steps`` validates every item first, then writes all valid ones with a few bulk statements
in the caller's transaction; one bad item answers ``ok: false`` and never drops the others.
"""

from literal_app.ingestion.writer import IngestResult, ingest_steps

__all__ = ["IngestResult", "ingest_steps"]
