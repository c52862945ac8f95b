"""Screenshots of a page for review: both sizes (1440x900, 1280x800), light and dark, written to
``$LITERAL_SCREENSHOTS`` when it is set (a normal test run takes none)."""

from __future__ import annotations

import os
from pathlib import Path


def shoot(page, name: str) -> None:
    """``<name>-<w>x<h>-<scheme>.png`` for each size and scheme; the page is left light at its last size."""
    out = os.environ.get("LITERAL_SCREENSHOTS")
    if not out:
        return
    Path(out).mkdir(parents=True, exist_ok=True)
    for w, h in ((1440, 900), (1280, 800)):
        page.set_viewport_size({"width": w, "height": h})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # let the theme transition finish before the picture
            page.screenshot(path=f"{out}/{name}-{w}x{h}-{scheme}.png")
    page.emulate_media(color_scheme="light")
