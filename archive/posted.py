"""A document reached by POSTing a form (a list whose rows call `viewDetail('2200')`, which fills a hidden
`infoId` and submits `<form method=post action=/detail.do>`): several reports share the one URL, so the URL
alone is no document's identity.  The form sent is made part of it: the document is recorded under the URL
with a `#post:` fragment holding the urlencoded form (`…/detail.do#post:infoId=2200`).

A fragment is never sent, so the key is no other page's URL; everything keyed by URL (documents, snapshots
and their revisions, reports, conditional re-crawls) tells the reports apart and finds a report's earlier
versions under the same key.  The crawl sends the form as a POST to the URL without the fragment
(`posted_form`), and the WARC records are filed under that URL, the request record holding the POST line
and the form as its body (`warc_target`)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes, urlencode, urlsplit, urlunsplit

POST_MARK = "post:"


def posted_url(action: str, fields: list[tuple[str, str]], encoding: str = "utf-8") -> str:
    """The identity of the document `fields` POSTed to `action` give: the action with `#post:<form>`."""
    form = urlencode([(k, v) for k, v in fields], encoding=encoding)
    return urlunsplit(urlsplit(action)._replace(fragment=POST_MARK + form))


def posted_form(url: str) -> tuple[str, bytes] | None:
    """(the URL to POST to, the form body) of a `posted_url`, else None."""
    parts = urlsplit(url)
    if not parts.fragment.startswith(POST_MARK):
        return None
    body = parts.fragment[len(POST_MARK):]
    # a fragment may have been %-escaped again on the way (a browser's URL): the form is urlencoded ASCII
    if "%25" in body:
        body = unquote_to_bytes(body).decode("latin-1")
    return urlunsplit(parts._replace(fragment="")), body.encode("latin-1", "replace")


def warc_target(url: str) -> str:
    """The URI a record is filed under: the URL the request went to (a POSTed document's without its
    `#post:` key, which was never sent)."""
    found = posted_form(url)
    return found[0] if found else url
