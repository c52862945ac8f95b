"""Reflex states of the logs pages."""
