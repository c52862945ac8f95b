"""Undo OpenAI instrumentation after each test.

Both the official ``literalai`` and our ``literal_sdk`` instrument OpenAI by replacing methods on
the classes in ``openai.resources``, for the whole process. Without this, the first test that
instruments decides what every later test sees (the official SDK even refuses to instrument a
second client), so results depended on test order.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import lru_cache

import pytest


@lru_cache
def _load_all_resources() -> None:
    """openai loads its resource modules lazily: import them all so the snapshot sees them."""
    import openai.resources

    for info in pkgutil.walk_packages(openai.resources.__path__, "openai.resources."):
        importlib.import_module(info.name)


def _resource_classes() -> list[type]:
    _load_all_resources()
    classes = []
    for name, module in list(sys.modules.items()):
        if name.startswith("openai.resources") and module is not None:
            classes += [v for v in vars(module).values()
                        if isinstance(v, type) and v.__module__ == module.__name__]
    return classes


@pytest.fixture(autouse=True)
def pristine_openai():
    try:
        import openai.resources  # noqa: F401  (load every resource class before the snapshot)
    except ImportError:
        yield
        return
    saved = [(cls, dict(vars(cls))) for cls in _resource_classes()]
    yield
    for cls, attrs in saved:
        for name, value in attrs.items():
            if vars(cls).get(name) is not value:
                setattr(cls, name, value)
    official = sys.modules.get("literalai.instrumentation.openai")
    if official is not None:
        official.is_openai_instrumented = False
