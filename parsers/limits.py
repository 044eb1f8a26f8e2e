"""Bounds on what one document may cost, in one place.

A crawler of government portals meets zip bombs, 5,000-page compilations, pages with a
million drawing operations and images of a billion pixels.  Each must end as a
`ParseError` with a one-line reason (or as a partial parse that says what it skipped),
never as a hang, an out-of-memory kill or a traceback.  The numbers are far above any
real report (a report is 10-60 pages, < 1 MB of text, tables of < 1,000 cells) and far
below what hurts a 2-core, few-GB worker.  Checks run where the bytes are read: before a
zip member is inflated, before an image is decoded, between PDF pages.
"""

from __future__ import annotations

import io
import os
import re
import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterator

from parsers.errors import ParseError

MB = 1 << 20

# Whole documents -----------------------------------------------------------------------
# Scanned 60-page reports reach ~60 MB; beyond this a blob is a video, a disk image or a bundle.
MAX_DOCUMENT_BYTES = 256 * MB
# Text and HTML: a report page is < 2 MB (inline base64 images are removed before this
# check); the core parser is linear, but 10 MB of text is ~100 reports' worth.
MAX_TEXT_BYTES = 10 * MB

# Zip packages (DOCX, XLSX) --------------------------------------------------------------
# Entries: a DOCX has ~15, one with many pictures a few hundred.
MAX_ZIP_ENTRIES = 5_000
# One XML part, inflated: document.xml of a 1,000-page book is ~30 MB; lxml needs ~10x in memory.
MAX_XML_PART_BYTES = 64 * MB
# One worksheet, inflated: openpyxl reads ~15k cells a second here (a 5 MB sheet of 200k cells
# took 15 s); a report's sheet is < 200 KB.
MAX_SHEET_XML_BYTES = 4 * MB
# All XML parts together (the DOCX reader parses every one of them).
MAX_ZIP_XML_TOTAL_BYTES = 128 * MB
# All members, inflated (pictures included: python-docx loads every part).
MAX_ZIP_TOTAL_BYTES = 512 * MB

# PDF ------------------------------------------------------------------------------------
# Pages read: later pages are skipped (and said so in meta["skipped"]), not refused, since a
# report is sometimes bound into a yearly compilation.
MAX_PDF_PAGES = 200
# Pages rendered and OCR'd (~3 s each) for a scanned PDF.
MAX_OCR_PAGES = 40
# Vector paths on one page above which no table is looked for on it (a ruled report table
# has < 1,000; a page of map or chart art can have millions and makes the grid search slow).
MAX_PAGE_VECTORS = 20_000
# ... and above which PyMuPDF's find_tables (the fallback when no ruled grid is found) is not
# tried: it took 3 s on 5,000 stray rectangles, 12 s on 19,000; real report pages have < 100.
MAX_SLOW_TABLE_VECTORS = 2_000
# One page's content stream, inflated: a page of text is < 100 KB, a page of map art a few MB.
# MuPDF inflates and interprets a content stream whole (text, then again to render it for OCR):
# a 4 MB FlateDecode stream of 4 GB of spaces took 88 s.
MAX_CONTENT_STREAM_BYTES = 64 * MB
# Wall-clock budget for reading one PDF or one multi-page image (a scan's OCR, ~3-10 s a page),
# checked between pages (MuPDF and the OCR cannot be interrupted inside a page): a page is not
# begun when the slowest page so far would end it past the budget, and a process started for the
# document counts its start-up (`ReadClock`), so the whole file ends by it.  The error says "timed
# out", so the extraction cache retries it.  A real scanned report runs 8-40 pages at 3-15 s a page
# on a busy 2-core box: 180 s failed a 20-page scan; 600 s reads 40 pages and still ends a
# 300-page scan (or a page-per-minute pathology) with a reason.
MAX_PDF_SECONDS = 600.0
# A process that has lived longer than this when it reads its first document was started for
# something else (a batch, a test run): its start-up is no part of that document's time.
_STARTUP_SECONDS = 20.0

# Images ---------------------------------------------------------------------------------
# Pixels decoded for OCR: an A4 scan at 600 dpi is ~35 M; a 30000x30000 PNG (900 M pixels,
# ~1 GB grey, 3 GB RGB) is refused from its header before any decoding.
MAX_IMAGE_PIXELS = 60_000_000
# Pixels a PDF page is rendered at for OCR, whatever its size in points: A2 at a scan's 200 dpi is
# 15 M.  The OCR's working arrays cost ~35 bytes a pixel (a 14,400 pt page rendered at
# MAX_IMAGE_PIXELS peaked at 2.2 GB for a 3 KB file; two such parses at once would pass 4 GB).
MAX_OCR_RENDER_PIXELS = 16_000_000

# Tables ---------------------------------------------------------------------------------
# Grid positions of one HTML table (rows x columns after rowspan/colspan); past this the
# spans are ignored and rows are not padded, so output stays linear in the input.
MAX_GRID_POSITIONS = 1_000_000
# Spreadsheet rows/columns read per sheet (a report sheet has < 200 rows, < 30 columns;
# a sheet can claim 1,048,576 x 16,384).
MAX_SHEET_ROWS = 5_000
MAX_SHEET_COLS = 200

# External programs ----------------------------------------------------------------------
SOFFICE_SECONDS = 180.0  # LibreOffice DOC/WPS -> DOCX, ~1-2 s normally, ~10 s cold
CATDOC_SECONDS = 60.0

# A line the extractor appends to its text to say what it skipped; parse_extracted moves
# it into meta["skipped"].  The NUL keeps it from colliding with document text.
SKIP_MARK = "\x00nianbao-skipped: "


def mb(n: int, limit: int | None = None) -> str:
    """A size in MB; past a ``limit``, with the decimals that show it is past it (10.5 MB, not a
    "10 MB (limit 10 MB)" that reads as a contradiction)."""
    if n < MB:
        return f"{n} bytes"
    for digits in (0, 1, 2):
        text = f"{n / MB:.{digits}f}"
        if limit is None or float(text) * MB > limit:
            break
    return f"{text} MB"


def over(n: int, limit: int) -> str:
    """"10.5 MB (11,000,123 bytes), over the 10 MB limit": a refusal's size in words."""
    return f"{mb(n, limit)} ({n:,} bytes), over the {mb(limit)} limit"


def check_document_size(data: bytes) -> None:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"document too large: {over(len(data), MAX_DOCUMENT_BYTES)}")


def check_text_size(data: bytes | str, what: str) -> None:
    if len(data) > MAX_TEXT_BYTES:
        raise ParseError(f"{what} too large: {over(len(data), MAX_TEXT_BYTES)}")


def zip_entry_count(data: bytes) -> int | None:
    """Entries the end-of-central-directory record claims, read before zipfile builds one
    object per entry; None when there is no such record (a truncated zip)."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))  # noqa: SLF001 - the stdlib's own EOCD reader
    except (OSError, struct.error, zipfile.BadZipFile):
        return None
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else None  # noqa: SLF001


def check_zip(data: bytes, what: str) -> None:
    """Refuse a zip package whose directory promises too much, before anything is inflated.

    The declared sizes can lie: members are then read with `read_member` (or `check_members`
    before a library that reads them whole), which stops one byte past the limit.
    """
    count = zip_entry_count(data)
    if count is not None and count > MAX_ZIP_ENTRIES:
        raise ParseError(f"{what} has too many zip entries: {count} (limit {MAX_ZIP_ENTRIES})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, struct.error):
        return  # damaged: the format's own reader names the damage
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ParseError(f"{what} has too many zip entries: {len(infos)} (limit {MAX_ZIP_ENTRIES})")
    total = xml_total = 0
    for info in infos:
        total += info.file_size
        if info.filename.endswith((".xml", ".rels")):
            xml_total += info.file_size
        limit = MAX_SHEET_XML_BYTES if info.filename.startswith("xl/worksheets/") else MAX_XML_PART_BYTES
        if info.filename.endswith((".xml", ".rels")) and info.file_size > limit:
            raise ParseError(f"{what} part {info.filename} inflates to {mb(info.file_size, limit)}"
                             f" (limit {mb(limit)}): too large for a report")
    if xml_total > MAX_ZIP_XML_TOTAL_BYTES:
        raise ParseError(f"{what} XML parts inflate to {mb(xml_total, MAX_ZIP_XML_TOTAL_BYTES)} (limit {mb(MAX_ZIP_XML_TOTAL_BYTES)}):"
                         " too large for a report")
    if total > MAX_ZIP_TOTAL_BYTES:
        raise ParseError(f"{what} inflates to {mb(total, MAX_ZIP_TOTAL_BYTES)} (limit {mb(MAX_ZIP_TOTAL_BYTES)}): a zip bomb or not a report")


ZIP_CHUNK = 1 * MB


def member_limit(name: str) -> int:
    """The most one zip member may inflate to: a worksheet, another XML part, any other part."""
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return MAX_SHEET_XML_BYTES
    if name.endswith((".xml", ".rels")):
        return MAX_XML_PART_BYTES
    return MAX_ZIP_TOTAL_BYTES


def _inflated(zf: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> Iterator[bytes]:
    limit, size = member_limit(info.filename), 0
    with zf.open(info) as member:
        while chunk := member.read(ZIP_CHUNK):
            size += len(chunk)
            if size > limit:
                raise ParseError(f"{what} part {info.filename} inflates past {mb(limit)} (its header says"
                                 f" {mb(info.file_size)}): a zip bomb, not a report")
            yield chunk


def read_member(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    """A zip member's bytes, inflated a chunk at a time and refused one chunk past its limit.

    `check_zip` trusts the sizes the directory declares.  A member whose stream inflates far past
    them is cut at the declared size and fails its CRC, but `ZipFile.read` inflates up to 2 GB in
    one call before cutting (1.8 GB of RSS for a 2 MB DOCX); chunked reads never hold more than a
    chunk beyond what the limit allows."""
    return b"".join(_inflated(zf, zf.getinfo(name), what))


def check_members(data: bytes, what: str) -> None:
    """Inflate every member chunk by chunk, keeping nothing, before a library that reads members
    whole (python-docx) opens the package: a member that lies about its size stops here."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, struct.error):
        return  # no package at all: the format's own reader names the damage
    with zf:
        for info in zf.infolist():
            try:
                for _ in _inflated(zf, info, what):
                    pass
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
                # a bad CRC is how a member that inflates past its declared size ends: the library
                # would inflate all of it (up to 2 GB in one call) before finding that out
                raise ParseError(f"corrupt {what} ({e})") from None
            except (NotImplementedError, RuntimeError):
                continue  # an encrypted or unknown-method part: the library decides


_FLATE_MAX_RATIO = 1032  # deflate never inflates more than ~1032x: smaller streams need no look


def check_pdf_page(doc, page) -> None:
    """Refuse a page whose FlateDecode content stream inflates past MAX_CONTENT_STREAM_BYTES, counted
    by inflating it here a chunk at a time before MuPDF reads it.  Only streams big enough to get
    there at deflate's best ratio are looked at, so a normal page costs nothing."""
    for xref in page.get_contents():
        raw = doc.xref_stream_raw(xref)  # (its size first: the filter is looked up for a big stream only)
        if raw is None or len(raw) * _FLATE_MAX_RATIO <= MAX_CONTENT_STREAM_BYTES:
            continue
        kind, value = doc.xref_get_key(xref, "Filter")
        if kind == "array":
            value = value.strip("[] ").split(" ")[0]
        if value != "/FlateDecode":
            continue
        inflater, size, pending = zlib.decompressobj(), 0, raw
        try:
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, ZIP_CHUNK))
                pending = inflater.unconsumed_tail
                if size > MAX_CONTENT_STREAM_BYTES:
                    raise ParseError(f"PDF page {page.number + 1} content stream inflates past"
                                     f" {mb(MAX_CONTENT_STREAM_BYTES)} (from {mb(len(raw))}): a decompression bomb,"
                                     " not a report")
        except zlib.error:
            continue  # damaged: MuPDF reads what it can


def image_pixels(data: bytes) -> tuple[int, str] | None:
    """(pixels, "WxH" or "") from the image header alone, or None if Pillow cannot tell."""
    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:  # lazy: reads the header, decodes nothing
                w, h = im.size
                return w * h, f"{w}x{h}"
    except Image.DecompressionBombError as e:  # Pillow's own guard fired first: it names the pixels
        m = re.search(r"\((\d+) pixels", str(e))
        return (int(m.group(1)) if m else MAX_IMAGE_PIXELS + 1), ""
    except Exception:  # noqa: BLE001 - unreadable header: the image extractor names it
        return None


def check_image(data: bytes) -> None:
    found = image_pixels(data)
    if found and found[0] > MAX_IMAGE_PIXELS:
        pixels, dims = found
        raise ParseError(f"image too large to decode: {dims + ', ' if dims else ''}{pixels / 1e6:.0f} M pixels"
                         f" (limit {MAX_IMAGE_PIXELS / 1e6:.0f} M)")


def _process_age() -> float:
    """Seconds since this process started (interpreter start-up and imports included), 0 if unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


_read_any = False  # whether this process has begun reading a document yet


class ReadClock:
    """The wall clock of reading one document page by page, against MAX_PDF_SECONDS.

    A caller waits for the whole file, not only for its pages: the first document of a freshly
    started process counts the process's start-up, and a page is not begun when the slowest page
    so far would take the reading past the limit (a 10 s OCR page begun at 175 s ended past it).
    What was read is then dropped: a timeout is a failure with its reason, never a partial
    document passed off as the whole."""

    def __init__(self, what: str) -> None:
        global _read_any
        now = time.monotonic()
        age = 0.0 if _read_any else _process_age()
        _read_any = True
        self.what = what
        self.started = now - (age if age <= _STARTUP_SECONDS else 0.0)
        self.last, self.slowest = now, 0.0

    def check(self, done: int, total: int) -> None:
        """Before page `done` (0-based) of `total`: ParseError("… timed out …") when it would end late."""
        now = time.monotonic()
        if done:
            self.slowest = max(self.slowest, now - self.last)
        self.last = now
        spent = now - self.started
        if spent + self.slowest > MAX_PDF_SECONDS:
            raise ParseError(f"{self.what} reading timed out: {done} of {total} pages read in {spent:.0f} s, the"
                             f" next would end past the {MAX_PDF_SECONDS:.0f} s limit")


def skip_note(reason: str) -> str:
    return SKIP_MARK + reason.replace("\n", " ")


def split_skip_notes(text: str) -> tuple[str, list[str]]:
    """(text without skip-note lines, the notes); a text with no note comes back as is."""
    if SKIP_MARK not in text:
        return text, []
    kept, notes = [], []
    for line in text.split("\n"):
        if line.startswith(SKIP_MARK):
            notes.append(line[len(SKIP_MARK):])
        else:
            kept.append(line)
    return "\n".join(kept), notes
