"""The shared kernel every area builds on: domain errors, the calling ``Actor`` and its scope
checks, size limits, small input validators, payload rendering, the health report, and ``owned``,
the one helper that loads a row of the caller's project or raises ``NotFound``.

It imports no area package (a check in ``tests/test_layering.py`` fails on such an import)."""
