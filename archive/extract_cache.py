"""Extracted text, cached by (document bytes, extractor code), so a re-parse skips OCR and LibreOffice.

`nianbao parse` rebuilds every parsed table from the blobs on each run.  Text extraction is
the slow part (OCR ~3 s a page, LibreOffice ~1-2 s a file) and changes rarely; most parser
work is in the core text parser (`parsers.parse_text`).  So the text each extractor returns is
kept in `extracted_text` (nianbao.db), keyed by

* the sha256 of the bytes handed to the extractor (the blob after Content-Encoding is undone),
* the *extractor fingerprint*: a hash over the source of every module extraction runs
  (parsers/detect.py, extract.py, errors.py, formats/*.py and whatever parsers module those
  import) plus the versions of the libraries and the identity of the programs they call.

Any edit to an extractor, or a library upgrade, changes the fingerprint by itself, so a stale
text is never served and nobody has to remember to bump a constant.  An edit to the core
parser does not, which is the point.  A `ParseError` from extraction (damaged or unsupported
bytes) is cached too, except a time-out, which may pass next time.  Blobs stay untouched: this
table is derived data, dropped rows are simply extracted again.
"""

from __future__ import annotations

import ast
import hashlib
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PARSERS_DIR = Path(__file__).resolve().parent.parent / "parsers"
# entry points of extraction; parsers modules they import are added by `extraction_sources`
ROOT_MODULES = ("detect.py", "extract.py", "errors.py")
LIBRARIES = ("pymupdf", "python-docx", "rapidocr-onnxruntime", "onnxruntime", "opencv-python",
             "opencv-python-headless", "numpy", "openpyxl", "xlrd", "olefile", "lxml")
# programs the extractors run, with files whose change means a new version of them
PROGRAMS = {"soffice": ("versionrc", "libmergedlo.so"), "catdoc": ()}
TRANSIENT = ("timed out", "timeout")  # extraction errors worth retrying on the next run

logger = logging.getLogger(__name__)

Extractor = Callable[[bytes], tuple[str, str]]


def _module_file(package_dir: Path, parts: tuple[str, ...]) -> Path | None:
    """The file of module `parsers.a.b` (a .py, or a package's __init__.py), None if it is not one."""
    if not parts or parts[0] != "parsers" or len(parts) < 2:
        return None
    rel = Path(*parts[1:])
    for candidate in (package_dir / rel.with_suffix(".py"), package_dir / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_parsers_modules(path: Path, package_dir: Path) -> set[Path]:
    """Files of the parsers package that `path` imports (absolute `parsers.x` or relative)."""
    found: set[Path] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.parent.relative_to(package_dir).parts
    for node in ast.walk(tree):
        names: list[tuple[str, ...]] = []
        if isinstance(node, ast.Import):
            names = [tuple(a.name.split(".")) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = ("parsers", *here)
            base = package[: len(package) - node.level + 1] if node.level else ()
            base += tuple(node.module.split(".")) if node.module else ()
            subs = [base + (a.name,) for a in node.names]
            # `from parsers import limits` runs limits.py, not what parsers/__init__.py defines (the core
            # parser): the package itself counts only when a name is not a module of it
            names = subs + ([] if all(_module_file(package_dir, s) for s in subs) else [base])
        for parts in names:
            if not parts or parts[0] != "parsers":
                continue
            rel = Path(*parts[1:]) if len(parts) > 1 else Path()
            for candidate in (package_dir / rel.with_suffix(".py") if parts[1:] else None,
                              package_dir / rel / "__init__.py"):
                if candidate is not None and candidate.is_file():
                    found.add(candidate.resolve())
    return found


def extraction_sources(package_dir: Path = PARSERS_DIR) -> list[Path]:
    """Every source file extraction can run: the root modules, formats/, and their parsers imports.

    extract.py's own imports are not followed, even when an extractor imports it (a DOCX's imported
    chunk is read by its own format's extractor): it imports the core parser only for parse_bytes,
    and a core-parser edit must not invalidate the texts.
    """
    package_dir = Path(package_dir).resolve()
    todo = [package_dir / "formats" / p.name for p in sorted((package_dir / "formats").glob("*.py"))]
    todo.append(package_dir / "detect.py")
    files = {(package_dir / name).resolve() for name in ROOT_MODULES if (package_dir / name).is_file()}
    seen: set[Path] = {(package_dir / "extract.py").resolve()}  # a root module, its imports not followed
    while todo:
        path = todo.pop().resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        files.add(path)
        todo.extend(_imported_parsers_modules(path, package_dir) - seen)
    return sorted(files)


def _program_identity(name: str, companions: tuple[str, ...]) -> str:
    """Path, size and mtime of a program and its telltale files: an upgrade changes them (cheap, no exec)."""
    found = shutil.which(name)
    if not found:
        return f"{name}=absent"
    real = Path(os.path.realpath(found))
    parts = [str(real)]
    for p in (real, *(real.parent / c for c in companions)):
        try:
            st = p.stat()
            parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p.name}:absent")
    return f"{name}=" + ",".join(parts)


def _library_version(name: str) -> str:
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name}=absent"


def extractor_fingerprint(package_dir: Path = PARSERS_DIR) -> str:
    """Hash of the extraction code and what it runs on; see the module docstring.

    Computed afresh each call (~60 ms): a long-lived process must see an edit too.
    """
    h = hashlib.sha256()
    root = Path(package_dir).resolve()
    for path in extraction_sources(root):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        h.update(_library_version(lib).encode() + b"\0")
    for program, companions in PROGRAMS.items():
        h.update(_program_identity(program, companions).encode() + b"\0")
    return h.hexdigest()[:32]


def default_extract(data: bytes) -> tuple[str, str]:
    from parsers.extract import extract_text

    return extract_text(data)


class ExtractCache:
    """Text of document bytes from `extracted_text`, extracting (and storing) on a miss.

    `refresh=True` (`nianbao parse --no-cache`) extracts everything again and overwrites.
    Each new text is committed at once, so a long OCR run that dies keeps what it did.
    """

    def __init__(self, conn: sqlite3.Connection, fingerprint: str | None = None, refresh: bool = False,
                 extract: Extractor | None = None) -> None:
        self.conn = conn
        self.fingerprint = fingerprint or extractor_fingerprint()
        self.refresh = refresh
        self.extract_fn = extract or default_extract
        self.hits = 0
        self.extracted = 0
        self.seconds_saved = 0.0
        # bytes already counted this run: a text asked for twice (a report page read for its tables, and
        # again for the date it gives its file) is one text extracted or reused, not two
        self._counted: set[str] = set()

    def lookup(self, digest: str) -> tuple[str | None, str | None, str | None, float | None] | None:
        row = self.conn.execute("SELECT text, kind, error, seconds FROM extracted_text"
                                " WHERE sha256 = ? AND fingerprint = ?", (digest, self.fingerprint)).fetchone()
        return tuple(row) if row else None  # type: ignore[return-value]

    def store(self, digest: str, text: str | None, kind: str | None, error: str | None, seconds: float) -> None:
        """Commit one entry now; a busy database only costs the entry (it is extracted again next run)."""
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # the archive's writers take the write lock first, so do we
            with self.conn:
                self.conn.execute(
                    "INSERT OR REPLACE INTO extracted_text (sha256, fingerprint, kind, text, error, seconds,"
                    " extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (digest, self.fingerprint, kind, text, error, round(seconds, 3), at))
        except sqlite3.OperationalError as err:
            logger.warning("extraction cache: could not store %s (%s)", digest[:12], err)

    def extract(self, data: bytes) -> tuple[str, str]:
        """(text, kind) as `parsers.extract.extract_text` returns it; a cached failure raises ParseError again."""
        from parsers.errors import ParseError

        digest = hashlib.sha256(data).hexdigest()
        # --no-cache extracts each text once this run, then serves it like any other
        row = None if self.refresh and digest not in self._counted else self.lookup(digest)
        if row is not None:
            text, kind, error, seconds = row
            if digest not in self._counted:
                self._counted.add(digest)
                self.hits += 1
                self.seconds_saved += seconds or 0.0
            if error is not None:
                raise ParseError(error)
            return text or "", kind or ""
        started = time.perf_counter()
        self._counted.add(digest)
        try:
            text, kind = self.extract_fn(data)
        except ParseError as err:
            self.extracted += 1
            reason = str(getattr(err, "reason", None) or err)
            if not any(t in reason.lower() for t in TRANSIENT):
                self.store(digest, None, None, reason, time.perf_counter() - started)
            raise
        self.extracted += 1
        self.store(digest, text, kind, None, time.perf_counter() - started)
        return text, kind

    def parse(self, data: bytes, name: str | None = None) -> Any:
        """`parsers.parse_bytes` with the extraction step served from the cache."""
        from parsers.extract import parse_extracted

        text, kind = self.extract(data)
        return parse_extracted(text, kind, name)

    def prune(self) -> int:
        """Forget texts made by other extractor versions (call inside the caller's transaction)."""
        cur = self.conn.execute("DELETE FROM extracted_text WHERE fingerprint != ?", (self.fingerprint,))
        return cur.rowcount
