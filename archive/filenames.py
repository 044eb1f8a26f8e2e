"""An archived file's real name and type, for serving it and for listing it on the report page.

Portals hand out attachments from `download.jsp?fileId=1006` as `application/octet-stream`, the name
only in `Content-Disposition` (RFC 6266: `filename*=UTF-8''…` percent-encoded, or a plain
`filename="…"` whose bytes are GBK or UTF-8, or percent-encoded by hand).  A journalist who saves
it must get `…附表.xlsx` that Excel opens, not `download.bin`; so the archived header names it,
and the bytes (not a generic or wrong Content-Type) say what it is.
"""

from __future__ import annotations

import json
import re
from email.message import Message
from urllib.parse import unquote_to_bytes, urlsplit

from parsers.detect import detect_kind

# Content-Types that say nothing about the file (the bytes decide)
GENERIC = {"", "application/octet-stream", "application/x-download", "application/force-download",
           "application/download", "binary/octet-stream", "application/x-msdownload", "application/unknown",
           "application/binary", "application/x-octet-stream"}
_KIND_MIME = {"pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "wps": "application/vnd.ms-works", "rtf": "application/rtf", "zip": "application/zip",
              "ofd": "application/ofd", "odt": "application/vnd.oasis.opendocument.text", "mht": "multipart/related"}
_IMAGES = ((b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
           (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"))


def header(headers_json: str | None, name: str) -> str | None:
    """The first archived response header called `name` (snapshots.headers holds [[name, value], …])."""
    try:
        pairs = json.loads(headers_json or "[]")
    except ValueError:
        return None
    return next((v for k, v in pairs if isinstance(k, str) and k.lower() == name.lower()), None)


def _text(raw: str) -> str:
    """A header value's non-ASCII bytes as the server meant them: the archive keeps header values as
    Latin-1 text of their bytes, so GBK or UTF-8 names are read back from those bytes."""
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        return raw  # already real characters
    found = utf8_or_gb18030(data)
    return raw if found is None else found


def utf8_or_gb18030(data: bytes) -> str | None:
    """The bytes as UTF-8 when they are UTF-8, else as GB18030 (GBK and GB2312 are its subsets: what
    Chinese servers write when they do not say), else None: never replacement characters where one of
    the two reads them."""
    for charset in ("utf-8", "gb18030"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    return None


def unescape(text: str) -> str:
    """Percent-escapes as the characters the server meant: UTF-8 when the bytes are UTF-8, else
    GB18030 (Chinese servers write GBK paths: %BB%F4%C9%BD is 霍山).  Never replacement characters
    where one of the two reads the bytes."""
    if "%" not in text:
        return text
    data = unquote_to_bytes(text)
    found = utf8_or_gb18030(data)
    return data.decode("utf-8", errors="replace") if found is None else found


def url_name(url: str) -> str:
    """The last segment of a URL's path as a file name (…/%BB%F4%C9%BD….pdf is 霍山….pdf), '' for a
    directory."""
    return unescape(urlsplit(url).path.rsplit("/", 1)[-1])


def _extended(value: tuple[str, str, str]) -> str:
    """An RFC 2231/5987 `filename*` value (charset, language, text of its bytes) as characters: a
    charset that does not fit its bytes (GBK bytes labelled UTF-8) is read as GB18030."""
    charset, _language, text = value
    try:
        data = text.encode("latin-1")  # email gives the %-decoded bytes as Latin-1 text
    except UnicodeEncodeError:
        return text  # already real characters
    try:
        return data.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("gb18030", errors="replace")


def disposition_name(value: str | None) -> str | None:
    """The file name a Content-Disposition gives (filename* first, as RFC 6266 says), without any path."""
    if not value:
        return None
    holder = Message()
    holder["Content-Disposition"] = value
    given = [v for k, v in holder.get_params([], header="content-disposition") if k == "filename"]
    star = next((v for v in given if isinstance(v, tuple)), None)
    name = _extended(star) if star else None
    plain = next((v for v in given if isinstance(v, str)), None)
    if not name and plain:
        name = _text(plain.strip())
        if re.search(r"%[0-9A-Fa-f]{2}", name):  # percent-encoded by hand, UTF-8 or GBK
            name = unescape(name)
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().strip('"')
    return name or None


def sniffed_type(body: bytes) -> str | None:
    """The MIME type the bytes themselves prove (a PDF, an Office file, an image), else None."""
    for magic, mime in _IMAGES:
        if body.startswith(magic):
            return mime
    return _KIND_MIME.get(detect_kind(body))


def served_type(content_type: str | None, body: bytes | None) -> str:
    """The Content-Type to serve: the archived one, unless it is generic or the bytes prove another
    document type (a PDF, an RTF or an MHT sent as text/html).  Pages and text keep their own
    (charset included): a text/rtf RTF stays text/rtf."""
    given = (content_type or "").split(";")[0].strip().lower()
    sniffed = sniffed_type(body) if body else None
    if sniffed and (given in GENERIC or given == "text/html" or (given != sniffed and not given.startswith("text/"))
                    or (given.startswith("text/") and sniffed == "application/pdf")):
        return sniffed
    return content_type or "application/octet-stream"
