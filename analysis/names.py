"""Name normalisation shared by entities and claims: one key for every spelling of a name."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# Legal-form and generic trailing words that do not change which organisation is meant.
# Generic on purpose: no company is named here (company-specific variants go in aliases.toml).
_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc",
    "gmbh", "ag", "sa", "group", "holdings", "platforms", "technologies", "ai",
}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """Comparison key for a name: case, spacing, hyphens, possessives and legal suffixes folded.

    "MidJourney", "Midjourney AI" and "Midjourney's" share a key, as do "Movie Gen"/"MovieGen" and
    "Meta"/"Meta Platforms, Inc.".
    """
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = _POSSESSIVE.sub("", norm)
    words = [w for w in re.split(r"[\s,]+", norm.lower()) if w]
    words = [w.strip(".'’\"“”()") for w in words]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1].strip(".") in _SUFFIXES:
        words.pop()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return _NON_ALNUM.sub("", "".join(words))


@dataclass(frozen=True)
class Aliases:
    """User-editable alias groups: every variant key maps to one canonical display name."""

    canonical: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def resolve(self, text: str) -> str:
        """The canonical name for a mention, or the mention itself (tidied) when no alias applies."""
        key = name_key(text)
        if key in self.canonical:
            return self.canonical[key]
        return _POSSESSIVE.sub("", " ".join(text.split())).strip()


def default_aliases_path() -> Path:
    """The bundled, commented aliases file."""
    return Path(str(resources.files("analysis") / "data" / "aliases.toml"))


def load_aliases(path: str | Path | None = None) -> Aliases:
    """Read an aliases TOML file (``[[alias]] name = ..., variants = [...]``)."""
    import hashlib

    p = Path(path) if path else default_aliases_path()
    raw = p.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    mapping: dict[str, str] = {}
    for group in data.get("alias", []):
        name = str(group["name"]).strip()
        for variant in [name, *group.get("variants", [])]:
            mapping[name_key(str(variant))] = name
    return Aliases(canonical=mapping, digest=hashlib.sha256(raw).hexdigest()[:16])
