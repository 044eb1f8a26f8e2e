"""A report page that only carries another report document: "详见附件" over a link to the file.

Where a column lists both an article and its attached file, the crawl files both as `report`
documents (the file was listed first, or by itself), so the article has no attachment of its own.
Read alone, the article holds no tables, and the re-parse would file it as a second report of
the body-year with `table_missing` findings it never deserved: the report is its file.  Judged
from the archive only (the page's archived bytes and the documents table), never by fetching.
"""

from __future__ import annotations

from urllib.parse import urljoin

from archive.parts import page_tree, url_key


def carried_reports(html: str, base_url: str, reports: dict[str, str]) -> list[str]:
    """The report documents (`reports`: comparison key -> URL, see `report_keys`) the page links
    with <a href>, <iframe>/<embed src> or <object data>, in page order; the page's own URL is
    never among them."""
    root = page_tree(html)
    if root is None:
        return []
    own = url_key(base_url)
    found: dict[str, None] = {}
    for el in root.iter("a", "iframe", "embed", "object"):
        ref = (el.get("href") or el.get("src") or el.get("data") or "").strip()
        if not ref or ref.lower().startswith(("javascript:", "#", "mailto:")):
            continue
        key = url_key(urljoin(base_url, ref))
        if key != own and key in reports:
            found.setdefault(reports[key])
    return list(found)


def report_keys(urls: list[str]) -> dict[str, str]:
    """Report document URLs by the key a page's links are compared with (host case, escapes aside)."""
    return {url_key(u): u for u in urls}
