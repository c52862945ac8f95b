"""Cross-page states: the signed-in member and the current project (see session.py)."""
