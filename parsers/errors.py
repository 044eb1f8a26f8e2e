"""The one exception the parsers raise for input they cannot turn into a report."""

from __future__ import annotations


class ParseError(Exception):
    """Bad input (empty, corrupt, encrypted, unsupported, not a report).

    ``reason`` is one short human sentence, printed as-is by the CLI after the file name.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# What a library's exception means, in words a reader of parse_failures understands: (pattern in the
# exception's type name or first line, anywhere in its cause chain, -> reason).  Hostile files reach
# these through python-docx, openpyxl (defusedxml) and MuPDF, whose own messages name their internals.
_KNOWN = (
    ("EntitiesForbidden", "the XML declares entities (an entity-expansion bomb or an external-entity"
                          " reference); nothing was expanded or fetched"),
    ("entity amplification", "XML entity expansion past the parser's limit (a \"billion laughs\" bomb);"
                             " nothing was expanded"),
    ("entity reference loop", "XML entities that refer to themselves (an entity-expansion bomb)"),
    ("Excessive depth in document", "XML nested too deep (over 256 levels): no report is laid out that way"),
    ("cycle in page tree", "cycle in the PDF page tree (a page is its own ancestor): a damaged or hostile PDF"),
)


def known(err: BaseException) -> str | None:
    """A known library failure (`_KNOWN`) anywhere in the exception's cause chain, in words; else None."""
    seen: list[BaseException] = []
    e: BaseException | None = err
    while e is not None and e not in seen and len(seen) < 8:
        seen.append(e)
        e = e.__cause__ or e.__context__
    for e in seen:
        head = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        for pattern, reason in _KNOWN:
            if pattern in head:
                return reason
    return None


def describe(err: BaseException) -> str:
    """One line saying why a document could not be read: a ParseError's reason, a known library
    failure in words (`known`), else the exception's type and first line."""
    if isinstance(err, ParseError):
        return err.reason
    first = str(err).splitlines()[0][:160] if str(err) else ""
    return known(err) or f"unreadable document ({type(err).__name__}{': ' + first if first else ''})"
