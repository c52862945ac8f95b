"""Evaluation pages\x27 states: scorers and online evaluation rules."""
