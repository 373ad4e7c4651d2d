"""Saved corpora on disk: uploaded files kept as raw bytes under safe names, plus an editable manifest.

Layout under the data directory (``$COVERAGE_LENS_DATA``, else ``$XDG_DATA_HOME/coverage-lens``, else
``~/.local/share/coverage-lens``)::

    corpora/<corpus_id>/000_<safe stem>.<ext>   raw uploaded bytes, never re-encoded
    corpora/<corpus_id>/sources.csv             manifest: file, source, title, published, url
    corpora/<corpus_id>/.corpus.json            name, created, original file names, rejected uploads
    corpora/<corpus_id>/.lock                   fcntl lock around manifest read-modify-write

A corpus folder is a plain corpus folder for ``python -m analysis export``: the loader skips hidden
files, so the bookkeeping files never show up as articles. Uploaded names are untrusted and never become
paths: stored names are generated from an index and an ASCII-folded stem. A corpus appears in ``list()``
only once all of its files are written (it is built in a hidden temporary folder, then renamed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.atomic import write_bytes_atomic

ENV_DATA = "COVERAGE_LENS_DATA"
MANIFEST = "sources.csv"
META = ".corpus.json"
LOCK = ".lock"
MANIFEST_COLUMNS = ("file", "source", "title", "published", "url")
ALLOWED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".csv", ".jsonl")
# Extensions accepted on upload but stored under their canonical allow-listed spelling.
_EXTENSION_ALIASES = {".markdown": ".md", ".text": ".txt", ".xhtml": ".html"}
MAX_NAME_CHARS = 120
MAX_STEM_CHARS = 40
MAX_ORIGINAL_CHARS = 255

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_STORED_RE = re.compile(r"^\d{3,}_[A-Za-z0-9][A-Za-z0-9._-]*\.(txt|md|html|htm|csv|jsonl)$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters that make a spreadsheet treat a cell as a formula (the CSV-injection prefix is undone on read).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


class StoreError(ValueError):
    """A store operation that cannot be done; the message is a plain-English explanation."""


class CorpusNotFound(StoreError, KeyError):
    """No saved corpus has this id (or the id is not a valid corpus id at all)."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "corpus not found"


class ManifestError(StoreError):
    """The manifest edit was refused (bad dates, unknown files); nothing was written."""


@dataclass(frozen=True)
class SavedCorpus:
    """One saved corpus: its id, display name, folder, stored file count and creation time (ISO)."""

    corpus_id: str
    name: str
    path: Path
    n_files: int
    created: str
    # (original name, reason) of uploads the store refused to keep (type, size, empty name ...).
    rejected: tuple[tuple[str, str], ...] = field(default=())


def default_data_dir() -> Path:
    """The data directory: ``$COVERAGE_LENS_DATA``, else the per-user XDG data folder."""
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "coverage-lens"


def _clean_text(value: str, limit: int) -> str:
    """NFKC, control characters dropped, whitespace collapsed, cut to ``limit`` characters."""
    value = unicodedata.normalize("NFKC", str(value))
    value = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return " ".join(value.split())[:limit]


def display_name(original: str) -> str:
    """The untrusted uploaded name made safe to keep and show: base name only, no controls, bounded."""
    name = _clean_text(original, 4 * MAX_ORIGINAL_CHARS)
    base = re.split(r"[/\\]", name)[-1].strip()
    return (base or name or "unnamed")[:MAX_ORIGINAL_CHARS]


def _ascii_stem(text: str) -> str:
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^A-Za-z0-9._-]+", "_", folded)
    folded = re.sub(r"[._-]{2,}", "_", folded)  # no '..' runs
    return folded.strip("._-")


def safe_file_name(index: int, original: str) -> str:
    """The stored name of an upload: ``NNN_<ASCII stem, 40 chars>.<ext>``; raises StoreError on a bad type.

    Only the base name of ``original`` is used, NFKC- and ASCII-folded, so separators, '..' and odd
    Unicode can never reach the filesystem.
    """
    base = display_name(original)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = "." + _ascii_stem(ext).lower() if ext else ""
    ext = _EXTENSION_ALIASES.get(ext, ext)
    if ext not in ALLOWED_EXTENSIONS:
        shown = ext or "(none)"
        raise StoreError(f"unsupported file type {shown}; accepted: {', '.join(ALLOWED_EXTENSIONS)}")
    safe = _ascii_stem(stem)[:MAX_STEM_CHARS].strip("._-") or "file"
    return f"{index:03d}_{safe}{ext}"


def slugify(name: str) -> str:
    """A short lowercase ASCII slug of a corpus name (the readable part of its id)."""
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii_stem(name).lower()).strip("-")
    return slug[:40].strip("-") or "corpus"


def validate_date(value: object) -> str:
    """A manifest date: '' or a real calendar date in YYYY-MM-DD form; raises ValueError otherwise."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text == "" or text.lower() in ("nan", "nat", "none"):
        return ""
    if not _ISO_DATE_RE.match(text):
        raise ValueError(f"'{text[:40]}' is not a date in YYYY-MM-DD form (or blank)")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None
    return text


def _unneutralize(value: str) -> str:
    """Undo the CSV-injection apostrophe the manifest writer adds, so edits round-trip exactly."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def _document_files(stored: Sequence[dict]) -> list[str]:
    """Stored files that hold one article each; record files (.csv/.jsonl) have no manifest row."""
    return [s["file"] for s in stored if not s["file"].lower().endswith((".csv", ".jsonl"))]


def _manifest_bytes(df: pd.DataFrame) -> bytes:
    from analysis.csvsafe import to_csv_bytes

    return to_csv_bytes(df.reindex(columns=list(MANIFEST_COLUMNS)))


def split_uploaded_manifest(files: Sequence[tuple[str, bytes]]
                            ) -> tuple[list[tuple[str, bytes]], pd.DataFrame | None]:
    """Separate an uploaded ``sources.csv`` manifest (a ``file`` column, no ``text`` column) from the
    article files, so its sources, titles, dates and URLs apply to the files it names."""
    import io

    rest: list[tuple[str, bytes]] = []
    manifest: pd.DataFrame | None = None
    for name, data in files:
        if manifest is None and display_name(name).lower() == MANIFEST:
            try:
                df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
                df = None
            cols = {str(c).strip().lower() for c in df.columns} if df is not None else set()
            if "file" in cols and "text" not in cols:
                df.columns = [str(c).strip().lower() for c in df.columns]
                manifest = df
                continue
        rest.append((name, data))
    return rest, manifest


class CorpusStore:
    """Saved corpora under ``<root>/corpora``; safe for several sessions and processes at once."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_data_dir()
        self.corpora_dir = self.root / "corpora"

    # -- lookup ------------------------------------------------------------------------------------

    def path(self, corpus_id: str) -> Path:
        """Folder of a saved corpus; raises CorpusNotFound for unknown or malformed ids."""
        if not isinstance(corpus_id, str) or not _ID_RE.match(corpus_id):
            raise CorpusNotFound(f"no saved corpus with id {str(corpus_id)[:80]!r}")
        folder = self.corpora_dir / corpus_id
        if not (folder / META).is_file():
            raise CorpusNotFound(f"no saved corpus with id {corpus_id!r}")
        return folder

    def exists(self, corpus_id: str) -> bool:
        """Whether a saved corpus with this id exists."""
        try:
            self.path(corpus_id)
        except CorpusNotFound:
            return False
        return True

    def _meta(self, folder: Path) -> dict:
        return json.loads((folder / META).read_text(encoding="utf-8"))

    def _saved(self, corpus_id: str, folder: Path, meta: dict,
               rejected: Sequence[tuple[str, str]] = ()) -> SavedCorpus:
        return SavedCorpus(corpus_id=corpus_id, name=str(meta.get("name", corpus_id)), path=folder,
                           n_files=len(meta.get("files", [])), created=str(meta.get("created", "")),
                           rejected=tuple(rejected))

    def get(self, corpus_id: str) -> SavedCorpus:
        """One saved corpus by id."""
        folder = self.path(corpus_id)
        return self._saved(corpus_id, folder, self._meta(folder))

    def list(self) -> list[SavedCorpus]:
        """Every saved corpus, newest first (half-written or unreadable folders are left out)."""
        if not self.corpora_dir.is_dir():
            return []
        out = []
        for folder in self.corpora_dir.iterdir():
            if folder.name.startswith(".") or not _ID_RE.match(folder.name):
                continue
            try:
                out.append(self._saved(folder.name, folder, self._meta(folder)))
            except (OSError, ValueError):
                continue  # deleted meanwhile, or not ours
        return sorted(out, key=lambda c: (c.created, c.corpus_id), reverse=True)

    def files(self, corpus_id: str) -> pd.DataFrame:
        """Stored files with their original upload names: columns file, original."""
        meta = self._meta(self.path(corpus_id))
        return pd.DataFrame(meta.get("files", []), columns=["file", "original"])

    def rejected(self, corpus_id: str) -> pd.DataFrame:
        """Uploads the store refused to keep: columns original, reason."""
        meta = self._meta(self.path(corpus_id))
        return pd.DataFrame(meta.get("rejected", []), columns=["original", "reason"])

    # -- writing -----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _lock(self, folder: Path) -> Iterator[None]:
        with open(folder / LOCK, "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _write_files(self, folder: Path, files: Sequence[tuple[str, bytes]], start: int,
                     max_bytes: int | None) -> tuple[list[dict], list[tuple[str, str]]]:
        """Write accepted uploads as raw bytes; return (stored entries, rejections)."""
        from analysis.decoding import InputError, check_size

        stored: list[dict] = []
        rejected: list[tuple[str, str]] = []
        index = start
        for original, data in files:
            shown = display_name(original)
            try:
                name = safe_file_name(index, original)
                check_size(len(data), max_bytes)
            except (StoreError, InputError) as exc:
                rejected.append((shown, getattr(exc, "reason", str(exc))))
                continue
            target = folder / name
            # Defence in depth: the generated name must stay a direct child of the corpus folder.
            if target.resolve().parent != folder.resolve() or not _STORED_RE.match(name):
                rejected.append((shown, "unsafe file name"))
                continue
            with open(target, "xb") as fh:  # 'x': never overwrite anything
                fh.write(bytes(data))
            stored.append({"file": name, "original": shown})
            index += 1
        return stored, rejected

    def create(self, name: str, files: Sequence[tuple[str, bytes]], *,
               manifest: pd.DataFrame | None = None, max_bytes: int | None = None) -> SavedCorpus:
        """Save uploads as a new corpus (raw bytes written before any analysis) and return it.

        ``files`` are (uploaded name, bytes). Uploads of a type outside the allow-list or over the size
        cap are not written; they are returned in ``SavedCorpus.rejected`` with the reason. ``manifest``
        may give metadata keyed by the uploaded names (column ``file``). Raises StoreError when no file
        could be kept (nothing is left on disk then).
        """
        clean_name = _clean_text(name, MAX_NAME_CHARS) or "Untitled corpus"
        if manifest is None:
            files, manifest = split_uploaded_manifest(files)
        self.corpora_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.corpora_dir, prefix=".new-"))
        try:
            stored, rejected = self._write_files(tmp, files, 0, max_bytes)
            if not stored:
                reasons = "; ".join(f"{n}: {r}" for n, r in rejected[:5]) or "no files given"
                raise StoreError(f"none of the files can be stored ({reasons})")
            rows = self._manifest_rows(stored, manifest)
            meta = {"name": clean_name, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "files": stored, "rejected": [{"original": n, "reason": r} for n, r in rejected]}
            write_bytes_atomic(tmp / MANIFEST, _manifest_bytes(rows))
            write_bytes_atomic(tmp / META, json.dumps(meta, ensure_ascii=False, indent=1).encode())
            (tmp / LOCK).touch()
            os.chmod(tmp, 0o755)
            # The random suffix makes collisions between sessions practically impossible; os.rename onto
            # an existing non-empty folder fails, so a collision retries instead of merging two corpora.
            for _ in range(20):
                corpus_id = f"{slugify(clean_name)}-{secrets.token_hex(4)}"
                try:
                    os.rename(tmp, self.corpora_dir / corpus_id)
                except OSError:
                    if (self.corpora_dir / corpus_id).exists():
                        continue
                    raise
                break
            else:  # pragma: no cover - 20 collisions of 32 random bits
                raise StoreError("could not allocate a corpus id")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        folder = self.corpora_dir / corpus_id
        return self._saved(corpus_id, folder, meta, rejected)

    def _manifest_rows(self, stored: Sequence[dict], manifest: pd.DataFrame | None) -> pd.DataFrame:
        stored = [s for s in stored if s["file"] in set(_document_files(stored))]
        rows = pd.DataFrame({"file": [s["file"] for s in stored]})
        for col in MANIFEST_COLUMNS[1:]:
            rows[col] = ""
        if manifest is not None and "file" in manifest.columns:
            given = manifest.fillna("").astype(str)
            by_name = {display_name(r["file"]): r for r in given.to_dict("records")}
            for i, s in enumerate(stored):
                match = by_name.get(s["original"])
                if match is None:
                    continue
                for col in MANIFEST_COLUMNS[1:]:
                    value = _clean_text(match.get(col, ""), 2000)
                    if col == "published":
                        try:
                            value = validate_date(value)
                        except ValueError:
                            value = ""  # an unusable date in someone else's manifest is left blank
                    rows.at[i, col] = value
        return rows

    def add_files(self, corpus_id: str, files: Sequence[tuple[str, bytes]], *,
                  max_bytes: int | None = None) -> SavedCorpus:
        """Add uploads to a saved corpus (new manifest rows are blank); rejections as in create()."""
        folder = self.path(corpus_id)
        with self._lock(folder):
            meta = self._meta(folder)
            used = [int(s["file"].split("_", 1)[0]) for s in meta.get("files", [])]
            stored, rejected = self._write_files(folder, files, max(used, default=-1) + 1, max_bytes)
            meta["files"] = list(meta.get("files", [])) + stored
            meta["rejected"] = list(meta.get("rejected", [])) + [{"original": n, "reason": r}
                                                                 for n, r in rejected]
            current = self._read_manifest_unlocked(folder, meta)
            extra = pd.DataFrame({"file": _document_files(stored)})
            merged = pd.concat([current, extra], ignore_index=True).fillna("")
            write_bytes_atomic(folder / MANIFEST, _manifest_bytes(merged))
            write_bytes_atomic(folder / META, json.dumps(meta, ensure_ascii=False, indent=1).encode())
        return self._saved(corpus_id, folder, meta, rejected)

    def rename(self, corpus_id: str, new_name: str) -> SavedCorpus:
        """Change the display name (the id, and so every link to the corpus, stays the same)."""
        clean = _clean_text(new_name, MAX_NAME_CHARS)
        if not clean:
            raise StoreError("the new name is empty")
        folder = self.path(corpus_id)
        with self._lock(folder):
            meta = self._meta(folder)
            meta["name"] = clean
            write_bytes_atomic(folder / META, json.dumps(meta, ensure_ascii=False, indent=1).encode())
        return self._saved(corpus_id, folder, meta)

    def delete(self, corpus_id: str) -> None:
        """Remove a saved corpus: first renamed out of sight (atomic), then its files are deleted."""
        folder = self.path(corpus_id)
        trash = self.corpora_dir / f".trash-{corpus_id}-{secrets.token_hex(4)}"
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    # -- manifest ----------------------------------------------------------------------------------

    def _read_manifest_unlocked(self, folder: Path, meta: dict) -> pd.DataFrame:
        files = _document_files(meta.get("files", []))
        try:
            raw = pd.read_csv(folder / MANIFEST, dtype=str, keep_default_na=False)
        except (OSError, pd.errors.EmptyDataError, pd.errors.ParserError):
            raw = pd.DataFrame(columns=list(MANIFEST_COLUMNS))
        raw = raw.reindex(columns=list(MANIFEST_COLUMNS)).fillna("").astype(str)
        raw = raw.map(_unneutralize)
        raw = raw[raw["file"].isin(files)].drop_duplicates("file")
        # Every stored document file gets a row, in storage order, even if the manifest lost it.
        out = pd.DataFrame({"file": files}).merge(raw, on="file", how="left").fillna("")
        return out.reindex(columns=list(MANIFEST_COLUMNS)).reset_index(drop=True)

    def read_manifest(self, corpus_id: str) -> pd.DataFrame:
        """The manifest: one row per stored article file (CSV/JSONL record files carry their own metadata).

        Columns file, source, title, published, url, all strings.
        """
        folder = self.path(corpus_id)
        return self._read_manifest_unlocked(folder, self._meta(folder))

    def write_manifest(self, corpus_id: str, df: pd.DataFrame) -> pd.DataFrame:
        """Validate and atomically replace the manifest; returns what was written.

        Rows are matched on ``file``; stored files missing from ``df`` keep their current values.
        Raises ManifestError naming every bad row (dates not YYYY-MM-DD, unknown files) and writes
        nothing in that case.
        """
        if "file" not in df.columns:
            raise ManifestError("the manifest needs a 'file' column")
        folder = self.path(corpus_id)
        problems: list[str] = []
        with self._lock(folder):
            meta = self._meta(folder)
            current = self._read_manifest_unlocked(folder, meta).set_index("file")
            for n, row in enumerate(df.to_dict("records"), start=1):
                file = str(row.get("file", "") or "")
                if file not in current.index:
                    problems.append(f"row {n}: {file[:80]!r} is not a file of this corpus")
                    continue
                for col in MANIFEST_COLUMNS[1:]:
                    if col not in row:
                        continue
                    value = row[col]
                    if col == "published":
                        try:
                            value = validate_date(value)
                        except ValueError as exc:
                            problems.append(f"row {n} ({file}): published {exc}")
                            continue
                    elif value is None or (isinstance(value, float) and value != value):
                        value = ""
                    current.at[file, col] = _clean_text(value, 2000)
            if problems:
                raise ManifestError("metadata not saved: " + "; ".join(problems))
            out = current.reset_index().reindex(columns=list(MANIFEST_COLUMNS))
            write_bytes_atomic(folder / MANIFEST, _manifest_bytes(out))
        return out

    # -- export ------------------------------------------------------------------------------------

    def zip_bytes(self, corpus_id: str) -> bytes:
        """A zip of the raw stored files and sources.csv in a folder named after the corpus id.

        Unzipped, the folder is a corpus for ``python -m analysis export <folder>``.
        """
        folder = self.path(corpus_id)
        meta = self._meta(folder)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for entry in meta.get("files", []):
                name = entry["file"]
                if _STORED_RE.match(name) and (folder / name).is_file():
                    zf.write(folder / name, f"{corpus_id}/{name}")
            zf.writestr(f"{corpus_id}/{MANIFEST}", _manifest_bytes(self.read_manifest(corpus_id)))
        return buf.getvalue()



# -- helpers the Corpus page uses (pure pandas, tested without Streamlit) ---------------------------

METADATA_FIELDS = ("source", "title", "published", "url")
RECORD_EXTENSIONS = (".csv", ".jsonl")


def _stored_file_of(path: str) -> str:
    """The stored file an article or skipped row came from ('001_x.csv row 3' -> '001_x.csv')."""
    text = str(path)
    return text.split(" row ", 1)[0] if " row " in text else text


def upload_status(files: pd.DataFrame, rejected: pd.DataFrame, articles: pd.DataFrame,
                  skipped: pd.DataFrame) -> pd.DataFrame:
    """One row per uploaded file: file (as uploaded), stored_as, status (accepted|rejected), articles, reason.

    ``files``/``rejected`` come from CorpusStore.files/rejected; ``articles``/``skipped`` from loading
    the saved folder. A file is accepted when at least one article came from it; the loader's reasons
    (and per-row notes for CSV/JSONL files) are kept in ``reason``.
    """
    per_file = articles["path"].map(_stored_file_of).value_counts() if len(articles) else pd.Series(dtype=int)
    notes: dict[str, list[str]] = {}
    for row in skipped.itertuples(index=False):
        notes.setdefault(_stored_file_of(row.path), []).append(str(row.reason))
    rows = []
    for entry in files.itertuples(index=False):
        n = int(per_file.get(entry.file, 0))
        reason = "; ".join(notes.get(entry.file, [])) or ("" if n else "no article text found")
        rows.append({"file": entry.original, "stored_as": entry.file,
                     "status": "accepted" if n else "rejected", "articles": n, "reason": reason})
    for entry in rejected.itertuples(index=False):
        rows.append({"file": entry.original, "stored_as": "", "status": "rejected", "articles": 0,
                     "reason": entry.reason})
    # Problems not tied to one file (e.g. the manifest itself).
    for name, reasons in notes.items():
        if name not in set(files["file"]):
            rows.append({"file": name, "stored_as": name, "status": "note", "articles": 0,
                         "reason": "; ".join(reasons)})
    return pd.DataFrame(rows, columns=["file", "stored_as", "status", "articles", "reason"])


def metadata_rows(articles: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Editable metadata of articles that come from their own stored file (not CSV/JSONL records).

    Columns: file, article_id, source, title, published, url, with the values the analysis uses now
    (the manifest's where set, else what the loader found in the file).
    """
    cols = ["file", "article_id", *METADATA_FIELDS]
    if articles.empty:
        return pd.DataFrame(columns=cols)
    files = set(manifest["file"])
    own = articles[articles["path"].isin(files)]
    out = own.rename(columns={"path": "file"}).reindex(columns=cols).fillna("").astype(str)
    return out.reset_index(drop=True)


def manifest_edits(shown: pd.DataFrame, edited: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """The manifest after an edit: only cells the user changed become manifest values.

    A cell left as shown keeps its manifest value (blank stays blank, so a date the loader found in a
    dateline keeps its provenance); a cleared cell removes the override.
    """
    out = manifest.copy().set_index("file")
    before = shown.set_index("file")
    for row in edited.to_dict("records"):
        file = row.get("file")
        if file not in out.index or file not in before.index:
            continue
        for col in METADATA_FIELDS:
            new = row.get(col)
            new = "" if new is None or (isinstance(new, float) and new != new) else str(new).strip()
            if new != str(before.at[file, col]).strip():
                out.at[file, col] = new
    return out.reset_index().reindex(columns=list(MANIFEST_COLUMNS))
