"""Dev-time: store the all-MiniLM-L6-v2 weights the runtime needs in ``data/minilm/`` (half precision).

Run once, by a developer, with a copy of the published model folder (``model.safetensors`` and
``tokenizer.json`` of sentence-transformers/all-MiniLM-L6-v2, revision 1110a243)::

    python -m analysis.build_meaning_model /path/to/all-MiniLM-L6-v2

The source files are checked against the published SHA-256 digests before anything is written, so the
bundled weights are the official ones. Half precision halves the file (45 MB); the vectors it gives
differ from full precision by a cosine of under 0.001.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import numpy as np

from analysis.meaning import MODEL_DIR, TOKENIZER, WEIGHTS

# Digests of the published files (Hugging Face LFS pointers of revision 1110a243).
SOURCE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
# Not used by mean pooling: the BERT pooler head and a constant index buffer.
_DROP = ("pooler.", "embeddings.position_ids")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build(source: Path) -> None:
    """Verify the source files, then write the fp16 weights and copy the tokenizer into data/minilm/."""
    from safetensors.numpy import load_file, save_file

    for name, expected in SOURCE_SHA256.items():
        got = _sha256(source / name)
        if got != expected:
            raise SystemExit(f"{source / name}: SHA-256 {got} is not the published {expected}")
    weights = {k: np.ascontiguousarray(v.astype(np.float16))
               for k, v in load_file(str(source / "model.safetensors")).items() if not k.startswith(_DROP)}
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(WEIGHTS), metadata={"source": "sentence-transformers/all-MiniLM-L6-v2",
                                               "revision": "1110a243fdf4706b3f48f1d95db1a4f5529b4d41",
                                               "source_sha256": SOURCE_SHA256["model.safetensors"]})
    shutil.copyfile(source / "tokenizer.json", TOKENIZER)
    print(f"wrote {WEIGHTS} ({WEIGHTS.stat().st_size / 1e6:.1f} MB) and {TOKENIZER}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with model.safetensors and tokenizer.json")
    build(parser.parse_args().source)


if __name__ == "__main__":
    main()
