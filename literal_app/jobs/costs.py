"""Re-pricing job: runs a ``CostRepricing`` batch by batch, one transaction per batch, so progress
is visible to the UI while it runs and a retried job resumes from the stored cursor."""

from __future__ import annotations

import logging

from literal_app.db import session_scope
from literal_app.queue import enqueue
from literal_app.services.costs import repricing

log = logging.getLogger(__name__)


def reprice(repricing_id: str, batch_size: int = repricing.BATCH_SIZE) -> str:
    """Re-price every generation the repricing's patterns match; returns the final status."""
    try:
        while True:
            with session_scope() as session:
                if repricing.run_repricing_batch(session, repricing_id, batch_size):
                    break
    except Exception as e:
        log.exception("re-pricing %s failed", repricing_id)
        with session_scope() as session:
            repricing.fail_repricing(session, repricing_id, f"Re-pricing failed: {e}")
        raise
    return "done"


def enqueue_repricing(repricing_id: str):
    """Start ``reprice`` in the background (RQ in scaled mode, a thread in embedded mode)."""
    return enqueue(reprice, repricing_id)
