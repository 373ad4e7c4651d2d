"""Re-opening an analysed corpus folder without re-reading its articles or loading spaCy.

The whole-result cache is keyed on every article's content, so finding a result normally means
reading and decoding every file (about 2 s at 1,000 articles) and loading the pipeline for its
version (1.4 s). An alias keyed on the folder's file stats, the configuration and the code and model
versions (see ``versions.result_alias_key``) points straight at the stored result instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.cache import Cache
from analysis.versions import config_fingerprint, folder_fingerprint, result_alias_key

if TYPE_CHECKING:
    import pandas as pd

    from analysis.pipeline import Analysis


def folder_alias(folder: str | Path, themes_path: str | Path | None = None) -> str:
    """The alias of a folder's result under the given themes file (default themes when None)."""
    return result_alias_key(folder, folder_fingerprint(folder), config_fingerprint(themes_path))


def reopen_or_analyse(folder: str | Path, analyse: Callable[[], Analysis], cache: Cache, *,
                      themes_path: str | Path | None = None, alias: str | None = None,
                      ) -> tuple[dict[str, pd.DataFrame], list[str], bool]:
    """The folder's tables and theme names, and whether they came straight from the alias.

    On a miss ``analyse()`` runs (it reads the folder and uses the same cache) and the alias is recorded
    for next time, so the second open of an unchanged folder reads only the stored tables.
    """
    alias = alias or folder_alias(folder, themes_path)
    hit = cache.get_alias(alias)
    if hit is not None:
        return hit[0], hit[1], True
    result = analyse()
    if result.key:
        cache.put_alias(alias, result.key, list(result.tables), list(result.theme_names))
    return result.tables, list(result.theme_names), False
