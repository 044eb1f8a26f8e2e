"""Legacy Word (.doc, OLE): LibreOffice -> DOCX (~1-2 s), catdoc (~5 ms) as the fallback.

catdoc is fast but was seen here to garble some table cells into mojibake and to drop
empty cells (so columns shift); LibreOffice keeps merges and blanks, so it goes first
and catdoc only runs when LibreOffice cannot convert the file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import parsers.limits as limits
from parsers.errors import ParseError

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
CATDOC = shutil.which("catdoc") or "/usr/bin/catdoc"


def catdoc_text(data: bytes) -> str | None:
    with tempfile.NamedTemporaryFile(suffix=".doc") as fh:
        fh.write(data)
        fh.flush()
        try:
            proc = run_bounded([CATDOC, "-w", "-d", "utf-8", fh.name], limits.CATDOC_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            return None
    if proc.returncode != 0:
        return None
    text = proc.stdout.decode("utf-8", errors="replace").replace("\r", "\n").replace("\x07", "\t")
    return text if text.strip() else None


def run_bounded(cmd: list[str], seconds: float) -> subprocess.CompletedProcess:
    """subprocess.run with a time limit that holds for the whole process group.

    soffice is a launcher whose soffice.bin child keeps the output pipes open: on a
    time-out subprocess.run kills only the launcher and then waits for the pipes to close,
    i.e. forever.  Here the program runs in its own session and the whole group is killed.
    """
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def soffice_to_docx(data: bytes, suffix: str) -> bytes:
    """Convert with a private LibreOffice profile (shared profiles silently produce nothing)."""
    work = Path(tempfile.mkdtemp(prefix="nianbao-doc-"))
    try:
        src = work / f"in{suffix}"
        src.write_bytes(data)
        profile = work / f"profile-{uuid.uuid4().hex}"
        cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(src)]
        try:
            run_bounded(cmd, limits.SOFFICE_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            raise ParseError("LibreOffice conversion failed or timed out") from None
        out = work / "out" / "in.docx"
        if not out.exists():
            raise ParseError("unreadable Word document (LibreOffice could not convert it)")
        return out.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def via_docx(data: bytes, suffix: str, kind: str) -> str:
    """A format LibreOffice reads and catdoc cannot (RTF, ODT): converted, then the DOCX reader's
    rules; a failure names the document's own kind."""
    from parsers.formats import docx

    try:
        converted = soffice_to_docx(data, suffix)
    except ParseError as e:
        raise ParseError(str(e).replace("Word document", f"{kind} document")) from None
    return docx.extract(converted)


def extract(data: bytes, suffix: str = ".doc") -> str:
    from parsers.formats import docx

    try:
        return docx.extract(soffice_to_docx(data, suffix))
    except ParseError as first:
        text = catdoc_text(data)
        if text is None:
            raise first from None
        return text
