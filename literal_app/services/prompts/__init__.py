"""Prompts (sidebar: Prompts): lineages and their immutable numbered versions, A/B rollouts and
prompt variants, and Mustache template rendering exactly as the official clients do it."""
