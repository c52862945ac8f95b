"""Annotation queues: the domain expert's review workflow.

``queues`` (create/edit/delete, the project's Default queue, counts), ``filling`` (add logs from
the Logs tables or a detail page, deduplicated; "add all matching" through the Logs filter engine,
capped), ``claims`` (the short lease that keeps two reviewers off the same pending item),
``items`` (the admin view: items with their scores, assignment, removal, per-reviewer progress)
and ``review`` (an item in its context, scores/tags/dataset from a review, mark reviewed).

Scores given in a queue are ordinary HUMAN scores (``logs.scores``) linked to their queue item;
dataset items keep a link to their source step (``datasets.dataset_items``). Domain Experts review
(``annotations:write``); managing queues and filling them needs ``queues:write``.
"""
