"""Background jobs. ``enqueue`` sends a job to RQ in scaled mode, or to an in-process thread
pool in embedded mode; job functions are module-level, take ids and are idempotent."""

from literal_app.queue import enqueue

__all__ = ["enqueue"]
