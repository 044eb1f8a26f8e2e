"""MHT / MHTML ("single file web page" from Word, IE or Chromium): a MIME multipart/related
archive whose HTML part is the report, usually quoted-printable in GB2312/GBK.

The MIME and quoted-printable decoding is the standard library's; the HTML part then goes
through the ordinary HTML extractor.  Pictures travel as parts of their own: they are put
back into the page as data: URIs, so a table pasted as a picture can still be OCR'd.
"""

from __future__ import annotations

import base64
import email
import email.policy
import posixpath
import re
from email.message import Message
from urllib.parse import unquote, urljoin

from parsers.errors import ParseError
from parsers.formats import html

_SRC = re.compile(r"""(\bsrc\s*=\s*)(["']?)([^"'\s>]+)\2""", re.I)
_MAX_INLINED = 6  # pictures put back (pictables reads at most MAX_PICTURES anyway)


def _parts(msg: Message) -> list[Message]:
    return [p for p in msg.walk() if not p.is_multipart()]


def _location(part: Message) -> str:
    return unquote((part.get("Content-Location") or "").strip())


def _html_part(parts: list[Message]) -> Message | None:
    for part in parts:
        if part.get_content_type() == "text/html":
            return part
    return None


def _decode(part: Message) -> str | None:
    """The HTML as text, from the part's declared charset; None if that does not decode it."""
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "").lower()
    if not charset:
        return None
    try:
        return payload.decode(html.CHARSET_ALIASES.get(charset, charset))
    except (UnicodeDecodeError, LookupError):
        return None


def _inline_pictures(text: str, base: str, parts: list[Message]) -> str:
    """src="report.files/image001.png" (or cid:...) -> a data: URI of that part's bytes."""
    by_ref: dict[str, Message] = {}
    for part in parts:
        if part.get_content_maintype() != "image":
            continue
        loc = _location(part)
        if loc:
            by_ref.setdefault(loc, part)
            by_ref.setdefault(posixpath.basename(loc), part)
        cid = (part.get("Content-ID") or "").strip().strip("<>")
        if cid:
            by_ref.setdefault("cid:" + cid, part)
    if not by_ref:
        return text
    inlined = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal inlined
        ref = unquote(m.group(3))
        part = by_ref.get(ref) or by_ref.get(urljoin(base, ref) if base else ref) or by_ref.get(
            posixpath.basename(ref))
        if part is None or inlined >= _MAX_INLINED:
            return m.group(0)
        inlined += 1
        data = base64.b64encode(part.get_payload(decode=True) or b"").decode("ascii")
        return f'{m.group(1)}"data:{part.get_content_type()};base64,{data}"'

    return _SRC.sub(swap, text)


def extract(data: bytes) -> str:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = _parts(msg)
    except RecursionError:  # multipart nested thousands deep: no saved web page looks like that
        raise ParseError("unreadable MHT archive (MIME parts nested too deep)") from None
    part = _html_part(parts)
    if part is None:
        raise ParseError("MHT archive without an HTML part")
    text = _decode(part)
    if text is None:  # no or a wrong charset label: the HTML extractor sniffs the bytes itself
        payload = part.get_payload(decode=True) or b""
        text = html.decode_html(payload)
    text = _inline_pictures(text, _location(part), parts)
    return html.extract(b"\xef\xbb\xbf" + text.encode("utf-8"))
