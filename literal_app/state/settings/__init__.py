"""Reflex states of the settings pages."""
