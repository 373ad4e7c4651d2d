"""Sentence meaning vectors: the all-MiniLM-L6-v2 sentence encoder, run in plain numpy.

Two sentences that say one thing in different words ("froze withdrawals" / "stopped processing
redemptions") share few terms, so lexical features alone miss them. A sentence encoder maps each
sentence to a 384-dimensional unit vector. In analysis.claims the vectors are first centred on the
corpus (:func:`centred`), then their cosine is one input of the claims pair model, beside the lexical
features, and nearest neighbours in meaning are candidate pairs beside the lexical ones.

The weights are the published sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, revision
1110a243fdf4706b3f48f1d95db1a4f5529b4d41), stored in half precision under ``data/minilm/`` by
:mod:`analysis.build_meaning_model`. The forward pass is BERT with mean pooling, the computation
sentence-transformers runs (with the tanh form of GELU); numpy and the ``tokenizers`` WordPiece
tokenizer replace PyTorch, so installing needs no deep-learning framework and no model download.
Claim matching runs the first ``LAYERS`` (3) of the 6 layers: see the note at ``LAYERS``.
"""

from __future__ import annotations

import base64
import math
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "data" / "minilm"
WEIGHTS = MODEL_DIR / "model.fp16.safetensors"
TOKENIZER = MODEL_DIR / "tokenizer.json"
DIM = 384
# News sentences average ~25 word pieces; the model was trained on at most 128 (longer ones are cut).
MAX_TOKENS = 128
# Setting this environment variable to 0 turns the encoder off (lexical claim matching only).
ENV_SWITCH = "COVERAGE_LENS_MEANING"
_HEADS, _LAYERS = 12, 6
# Claim matching reads the mean-pooled output of the first 3 of the 6 layers, at half the cost of the
# full pass (the encoder was the largest cost of a cold analysis: 1.5x the spaCy parse per sentence).
# On the labelled pairs (tests/data/claim_pairs.csv, all splits but the blind fifth) 3 layers with a
# 0.85 join bar matched the full model with a 0.7 bar: pair accuracy 0.736 against 0.734, the same 99
# contradictions linked, seed pairs 0.812 against 0.785. 2 layers scored alike, 4 no better.
LAYERS = 3
# Part of every article cache key (this file is hashed): change it when the weights file changes.
MODEL_ID = f"all-MiniLM-L6-v2@1110a243-fp16-tanhgelu-L{LAYERS}"
_CELL_CHARS = 4 * ((DIM * 2 + 2) // 3)  # base64 length of DIM float16 values


def enabled() -> bool:
    """Whether meaning vectors are computed: the weights are installed and not switched off."""
    return os.environ.get(ENV_SWITCH, "1") != "0" and WEIGHTS.exists() and TOKENIZER.exists()


def model_id() -> str:
    """The encoder's identity for cache keys ("off" when vectors are not computed)."""
    return MODEL_ID if enabled() else "off"


class SentenceEncoder:
    """all-MiniLM-L6-v2 forward pass: WordPiece ids -> 6 transformer layers -> mean pool -> unit vector."""

    def __init__(self, weights: Path = WEIGHTS, tokenizer: Path = TOKENIZER, layers: int = LAYERS) -> None:
        if not 1 <= layers <= _LAYERS:
            raise ValueError(f"layers must be 1..{_LAYERS}, not {layers}")
        self.layers = layers
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        # Only the layers this encoder runs are widened to float32 (3 of 6 halves the memory).
        unused = tuple(f"encoder.layer.{i}." for i in range(layers, _LAYERS))
        self._w = {k: v.astype(np.float32) for k, v in load_file(str(weights)).items()
                   if not k.startswith(unused)}
        # Linear weights transposed once, so every projection is one contiguous 2-D matrix product
        # (a 3-D batch @ W.T runs at half the speed).
        for k in [k for k in self._w if k.endswith(".weight") and self._w[k].ndim == 2
                  and "embeddings" not in k]:
            self._w[k] = np.ascontiguousarray(self._w[k].T)
        self._tok = Tokenizer.from_file(str(tokenizer))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.no_padding()

    def encode(self, texts: list[str], batch_size: int = 8) -> np.ndarray:
        """Unit vectors (float32, shape (len(texts), 384)) for the texts, in order.

        Small batches are faster on a CPU: a batch of 8 news sentences keeps the layer activations in
        cache (measured 18 s against 26 s at 32, for 1,000 sentences on one core).
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        # Similar lengths batched together: padding is wasted work.
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.float32)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1.0
            out[idx] = self._forward(ids, mask)
        return out

    @staticmethod
    def _norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * gain + bias

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        b, n, k = x.shape
        return (x.reshape(b * n, k) @ self._w[name + ".weight"] + self._w[name + ".bias"]).reshape(b, n, -1)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self._w
        b, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        pad = ((1.0 - mask) * -1e9)[:, None, None, :]
        dh = DIM // _HEADS
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = self._linear(x, p + "attention.self.query").reshape(b, n, _HEADS, dh).transpose(0, 2, 1, 3)
            k = self._linear(x, p + "attention.self.key").reshape(b, n, _HEADS, dh).transpose(0, 2, 3, 1)
            v = self._linear(x, p + "attention.self.value").reshape(b, n, _HEADS, dh).transpose(0, 2, 1, 3)
            att = q @ k / math.sqrt(dh) + pad
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, DIM)
            x = self._norm(x + self._linear(ctx, p + "attention.output.dense"),
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = self._linear(x, p + "intermediate.dense")
            h = _gelu(h)
            x = self._norm(x + self._linear(h, p + "output.dense"),
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


_GELU_C = np.float32(math.sqrt(2.0 / math.pi))


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU, tanh form, in place where it can: 0.5 h (1 + tanh(sqrt(2/pi) (h + 0.044715 h^3))).

    BERT's exact form uses erf, which numpy lacks and SciPy computes at a third of tanh's speed; it was
    a third of the encoder's time. The two forms differ by < 4e-4 in any vector component and < 1e-3
    in any cosine, below the float16 rounding of the stored vectors.
    """
    t = h * h
    t *= np.float32(0.044715)
    t += np.float32(1.0)
    t *= h
    t *= _GELU_C
    np.tanh(t, out=t)
    t += np.float32(1.0)
    t *= h
    t *= np.float32(0.5)
    return t


@lru_cache(maxsize=2)
def load_encoder(layers: int = LAYERS) -> SentenceEncoder:
    """The bundled encoder, loaded once per process (~0.3 s; ~70 MB in memory with 3 layers)."""
    return SentenceEncoder(layers=layers)


def encode(texts: list[str], layers: int = LAYERS) -> np.ndarray:
    """Meaning vectors of the texts (see :class:`SentenceEncoder`): the first ``layers`` layers, pooled."""
    return load_encoder(layers).encode(texts)


def to_cell(vector: np.ndarray) -> str:
    """A vector stored compactly in a table cell: float16, base64 (1,024 characters).

    Text, not bytes: every table goes through pandas, Arrow and Parquet, which keep strings exactly.
    """
    return base64.b64encode(np.asarray(vector, dtype=np.float16).tobytes()).decode("ascii")


def from_cell(raw: object) -> np.ndarray | None:
    """The vector stored by :func:`to_cell`, or None for an empty or malformed cell."""
    if not isinstance(raw, str) or len(raw) != _CELL_CHARS:
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except ValueError:
        return None
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


# How many sentences the corpus mean needs before it is subtracted in full: the mean of n vectors is
# shrunk by n / (n + CENTRE_PRIOR), so a handful of sentences (two, whose centred vectors would be
# exact opposites) is barely centred, while a corpus of a few hundred is centred almost fully.
CENTRE_PRIOR = 10


def centred(vectors: list[np.ndarray | None]) -> list[np.ndarray | None]:
    """Each vector minus the (shrunk) mean of the given ones, at unit length again; None stays None.

    Every sentence of a corpus about one story shares the story's direction: raw cosines of different
    assertions about the same parties sit close to those of paraphrases (0.79 against 0.85 medians on
    the labelled pairs). Removing the common component spreads them apart ("all-but-the-top" post-
    processing, Mu & Viswanath 2018): on the annotated corpora the same/different ROC AUC of the cosine
    rose from 0.80-0.90 to 0.82-0.92 (see analysis.claims).
    """
    present = [v for v in vectors if v is not None]
    if not present:
        return list(vectors)
    stack = np.stack(present).astype(np.float32)
    mean = stack.mean(axis=0) * (len(present) / (len(present) + CENTRE_PRIOR))
    out: list[np.ndarray | None] = []
    for v in vectors:
        if v is None:
            out.append(None)
            continue
        c = v.astype(np.float32) - mean
        norm = float(np.linalg.norm(c))
        out.append(c / norm if norm > 1e-6 else None)
    return out


def similarity(a: np.ndarray | None, b: np.ndarray | None) -> float | None:
    """Cosine of two meaning vectors (both unit length up to float16 rounding), None if either is missing."""
    if a is None or b is None:
        return None
    return float(np.dot(a, b))
