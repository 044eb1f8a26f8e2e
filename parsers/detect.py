"""Decide what kind of document a byte string is, from its content alone.

Portals serve reports with wrong extensions and wrong Content-Types (a .doc that is
really HTML, a .pdf that is a login page), so the file name is never trusted.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# the signatures that open a document file (not a page, not text): the crawler's question (file_kind)
# and the first step of detect_kind's answer.  Family only: any zip (DOCX, XLSX, OFD) is "docx" here,
# any OLE file (DOC, XLS, WPS) "doc"; detect_kind looks inside to tell them apart.
FILE_SIGNATURES = ((b"%PDF-", "pdf"), (ZIP_MAGIC[0], "docx"), (OLE_MAGIC, "doc"), (b"{\\rtf", "rtf"),
                   (b"\xef\xbb\xbf{\\rtf", "rtf"))

# Kinds returned by detect_kind(); "unknown" means binary we cannot read.
KINDS = ("pdf", "docx", "xlsx", "doc", "wps", "xls", "image", "mht", "rtf", "html", "csv", "text", "ofd", "odt", "zip",
         "ole", "unknown")

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
)

_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p)[\s>/]", re.I)
# MHT / MHTML: a MIME message at the very top (Word writes MIME-Version first, Chromium
# From:/Snapshot-Content-Location:/Subject: before it), its HTML part further down.
_MIME_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n")
_MIME_NAMES = re.compile(rb"^(?:MIME-Version|Content-Type)\s*:", re.I | re.M)
_MIME_ARCHIVE = re.compile(rb"^Content-Type\s*:\s*(?:multipart/related|message/rfc822)", re.I | re.M)

# Signatures of common non-document binaries, so they are named "unsupported" rather
# than decoded as garbage text.
_OTHER_BINARY = (
    b"ID3",  # mp3
    b"\xff\xfb",  # mp3 frame
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"MZ",
    b"OggS",
    b"fLaC",
    b"RIFF",
)


def file_kind(body: bytes) -> str | None:
    """The document family a served body's bytes open with (FILE_SIGNATURES; "mht" for a MIME archive,
    a saved page whose bytes come as text/html or message/rfc822), or None for a page or plain text.
    The crawler asks this whatever the Content-Type says (a PDF served as text/html), so it is strict
    where detect_kind is lenient: the signature must open the body, after leading blank lines only
    (``<html>…%PDF-…`` is a page, never a PDF)."""
    head = body[:1024].lstrip()  # a blank line some servers print before a file's bytes
    kind = next((kind for magic, kind in FILE_SIGNATURES if head.startswith(magic)), None)
    if kind is None and _is_mime_archive(body[:8192].lstrip()):
        return "mht"
    return kind


def file_start(data: bytes) -> bytes:
    """The bytes from the file's own first byte: the blank line a server printed before a zip or OLE
    file (kept by the crawler as the file it is, file_kind) is no part of it, and readers that find
    their header at offset 0 (olefile, a DOCX's first local header) must not see it."""
    if data[:1].isspace() and data[:64].lstrip().startswith((*ZIP_MAGIC, OLE_MAGIC)):
        return data.lstrip()
    return data


# what may stand before a PDF's own header and still leave it a PDF: a BOM, blank lines, NULs
_PDF_LEAD = b"\xef\xbb\xbf\xfe\xff \t\r\n\x00\x0c"
# a PDF's first bytes: its header line, comment lines (the binary marker %âãÏÓ), then its first
# object or a cross-reference stream's — what a page or text quoting "%PDF-1.7" never has after it
_PDF_BODY = re.compile(rb"%PDF-\d\.\d[^\r\n]{0,64}[\r\n]+(?:%[^\r\n]{0,256}[\r\n]+)*\d+\s+\d+\s+obj\b")


def _pdf_at_start(data: bytes) -> bool:
    """Whether the first KB holds a PDF's header where a PDF reader would take it (Acrobat looks for
    ``%PDF-`` within the first 1024 bytes).  Nothing but a BOM, blank lines or NULs before it: a PDF
    (a server printed a blank line; a truncated file may have only its header).  Anything else before
    it (a PHP warning, a junk header, or the prose and markup of a page that quotes "%PDF-1.7"): a PDF
    only when the PDF's own structure follows the header — its first object within a few lines."""
    if data[:1024].lstrip(_PDF_LEAD).startswith(b"%PDF"):
        return True
    at = data.find(b"%PDF-", 0, 1024)
    return at >= 0 and _PDF_BODY.match(data[:at + 2048], at) is not None


def detect_kind(data: bytes) -> str:
    """Return one of KINDS for ``data``."""
    data = file_start(data)
    head = data[:1024]
    if _pdf_at_start(data):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    for magic in _IMAGE_MAGIC:
        if head.startswith(magic):
            if magic == b"BM" and not _plausible_bmp(head):
                break
            return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        if head.startswith(b"\xef\xbb\xbf{\\rtf"):
            return "rtf"
        return "html" if _HTML_SNIFF.search(_ascii_view(data[:4096])) else _text_kind(data)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _is_mime_archive(data[:8192]):
        return "mht"
    for magic in _OTHER_BINARY:
        if head.startswith(magic):
            return "unknown"
    if _HTML_SNIFF.search(data[:4096]):
        return "html"
    if _looks_binary(head):
        from parsers.formats.text import unmarked_utf16

        if unmarked_utf16(data):  # Windows "Unicode" text saved without a BOM
            return "html" if _HTML_SNIFF.search(_ascii_view(data[:8192])) else _text_kind(data)
        if not _stray_nuls(head):
            return "unknown"
    return _text_kind(data)


def _text_kind(data: bytes) -> str:
    """"csv" for a table saved as comma-separated values, else "text"."""
    from parsers.formats.csvtable import looks_like_csv

    return "csv" if looks_like_csv(data) else "text"


def mime_archive(head: bytes) -> bool:
    """Whether bytes open as an MHT/MHTML file (a saved web page, Word's 单个文件网页): the crawler
    asks this of a download whose Content-Type says text, so the archive keeps it as the file it is."""
    return _is_mime_archive(head[:8192])


def _is_mime_archive(head: bytes) -> bool:
    """A MIME header block opens the file and names a multipart/related (or a single HTML) body."""
    block, pos = head.lstrip(b"\r\n\t "), 0
    while True:
        m = _MIME_HEADER.match(block, pos)
        if m is None:
            break
        pos = m.end()
    headers = block[:pos]
    if not headers or not block[pos:].startswith((b"\r\n", b"\n")):
        return False  # the header block must end in a blank line, as in a mail message
    if _MIME_ARCHIVE.search(headers):
        return True
    return bool(_MIME_NAMES.search(headers)) and re.search(rb"^Content-Location\s*:", headers, re.I | re.M) is not None


def _ascii_view(data: bytes) -> bytes:
    """Drop NULs so a UTF-16 page can be sniffed for tags with byte regexes."""
    return data.replace(b"\x00", b"")


def _plausible_bmp(head: bytes) -> bool:
    # "BM" is also how plain text can start; require a sane DIB header size.
    return len(head) >= 18 and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124)


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 20


def _stray_nuls(head: bytes) -> bool:
    """Text with a few NUL bytes in it (after each 。 of a C-string copy, a broken export): without
    them the bytes are text that decodes as UTF-8 or GB18030, with no other control bytes."""
    text = head.replace(b"\x00", b"")
    if len(head) - len(text) > len(head) // 10 or not text or _looks_binary(text):
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(text, final=False)  # a cut character at the end is fine
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            odf = _first_bytes(zf, "mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, ValueError, OSError):
        # Truncated: the central directory is gone, but local headers still name members,
        # so a cut-off DOCX is reported as a damaged DOCX rather than "some zip".
        if b"word/" in data:
            return "docx"
        if b"xl/" in data:
            return "xlsx"
        return "ofd" if b"OFD.xml" in data else "zip"
    if "OFD.xml" in names:  # GB/T 33190 fixed-layout document
        return "ofd"
    if odf == _ODT and "content.xml" in names:  # OpenDocument text (ODF 1.2 3.3: the mimetype member)
        return "odt"
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return "zip"


_ODT = b"application/vnd.oasis.opendocument.text"


def _first_bytes(zf: zipfile.ZipFile, name: str) -> bytes:
    """A small member's first bytes (never more, whatever its size claims), stripped."""
    try:
        with zf.open(name) as fh:
            return fh.read(80).strip()
    except Exception:  # noqa: BLE001 - damaged or encrypted: not the member that names the type
        return b""


def _ole_kind(data: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises bare OSError/struct errors on damaged headers
        return "ole"
    try:
        streams = {"/".join(p) for p in ole.listdir()}
    finally:
        ole.close()
    if "WordDocument" in streams:
        return "doc"
    if "WpsDocument" in streams or any(s.lower().startswith("wps") for s in streams):
        return "wps"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    return "ole"
