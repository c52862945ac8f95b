"""Stateless UI building blocks (functions returning components)."""
