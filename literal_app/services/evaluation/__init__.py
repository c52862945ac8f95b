"""Evaluation (sidebar: Settings → Score schemas; scorers and online evaluation rules as they
arrive): what a human or a judge may answer, and the scorers that answer it."""
