"""Logs (sidebar: Logs, Users; thread, run, step and generation pages): threads, steps and
generations, scores, attachments, participants, the tag catalogue, annotations made in the UI, the
table-driven list/filter engine behind every log list, and the trace and waterfall reads.

Writes that arrive from clients go through ``services.ingestion``; this package reads and edits."""
