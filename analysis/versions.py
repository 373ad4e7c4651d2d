"""Version strings of the code, data and model a result depends on: the parts of every cache key.

Kept free of spaCy and of the analysis modules themselves, so the dashboard can find a finished
result on disk without importing or loading the language pipeline (1.4 s import + 1.4 s load).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from analysis.cache import digest

HERE = Path(__file__).resolve().parent

# Per-article step: a change to any of these re-parses every article.
ARTICLE_CODE_FILES = ("nlp.py", "cleaning.py", "tone.py", "claim_features.py", "entities.py", "dates.py",
                      "terms.py", "article.py", "meaning.py")
# Corpus step: a change to any of these rebuilds the corpus tables from the cached article frames.
CORPUS_CODE_FILES = ("pipeline.py", "coverage.py", "claims.py", "themes.py", "timeline.py", "entities.py",
                     "terms.py", "names.py", "schema.py", "data/claims_pair_model.json",
                     "data/claims_pair_model_meaning.json")


def _file_digest(names: tuple[str, ...] | list[Path]) -> list[str]:
    paths = [HERE / n if isinstance(n, str) else n for n in names]
    return [p.read_bytes().hex() if p.exists() else p.name for p in paths]


@lru_cache(maxsize=1)
def analysis_code_version() -> str:
    """Hash of the code and data files the per-article step depends on (part of the article key)."""
    from analysis.tone import LEXICON_VERSION  # a constant; tone imports no spaCy at module level

    files = [HERE / n for n in ARTICLE_CODE_FILES] + sorted((HERE / "data").glob("tone_*"))
    from analysis.meaning import model_id  # the weights' identity, or "off" when the encoder is off

    return digest(*_file_digest(files), LEXICON_VERSION, model_id())


@lru_cache(maxsize=1)
def corpus_code_version() -> str:
    """Hash of the corpus-step code and the synonym lexicon (part of the whole-result key)."""
    from analysis.synonyms import LEXICON_VERSION

    return digest(*_file_digest(CORPUS_CODE_FILES), LEXICON_VERSION)


def installed_model_version(name: str | None = None) -> str:
    """``model_version(nlp)`` of the installed pipeline, read from its ``meta.json`` without loading it.

    Raises ``ModelMissingError`` when no pipeline is installed. Returns "" when the package has no
    readable meta (then callers fall back to loading the model).
    """
    from analysis.nlp import find_model_name

    spec = importlib.util.find_spec(name or find_model_name())
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
    return ""


def result_alias_key(corpus_dir: str | Path, files_fingerprint: str, config_fingerprint: str) -> str:
    """A key naming a finished result by what can be checked without reading any article.

    ``files_fingerprint`` is a hash of the folder's file names, sizes and modification times;
    ``config_fingerprint`` a hash of the theme and alias files. With the code and installed model
    versions, equal inputs mean an equal result, so a second open reads it straight from disk.
    """
    return digest("alias", str(Path(corpus_dir).resolve()), files_fingerprint, config_fingerprint,
                  installed_model_version(), analysis_code_version(), corpus_code_version())


def folder_fingerprint(path: str | Path) -> str:
    """A version key of a corpus folder: every file's name, size and modification time.

    Reads no file contents (hashing 1,000 articles cost ~0.2 s, and the dashboard asks on every
    rerun). The corpus store writes files atomically, so any change gives a new mtime; results are
    keyed on content further down, so a touched-but-unchanged file costs a lookup, never a wrong result.
    """
    root = Path(path)
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = f.stat()
        h.update(f"{f.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def config_fingerprint(themes_path: str | Path | None = None, aliases_path: str | Path | None = None) -> str:
    """Hash of the themes and aliases files in use (the bundled ones by default)."""
    from analysis.names import default_aliases_path
    from analysis.themes import DEFAULT_THEMES_PATH

    h = hashlib.sha256()
    for path in (Path(themes_path or DEFAULT_THEMES_PATH), Path(aliases_path or default_aliases_path())):
        h.update(str(path).encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"missing")
    return h.hexdigest()[:16]
