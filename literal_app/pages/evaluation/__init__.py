"""Evaluation pages: /scorers and /online-evals."""
