"""The faults portal's hostile corner, /hostile/: input that attacks the client rather than failing.

Nothing else on the portal links here, so only a registry that starts at HOSTILE_START crawls it
(tests/test_crash_safety.py).  A gzip bomb, a page whose Content-Type charset lies, an attachment
link answered by a 200 HTML error page, an attachment over the size cap, a redirect loop, and
file names in Chinese: raw in the href, percent-encoded UTF-8, percent-encoded GBK, in the query.
"""

from __future__ import annotations

import gzip
import io
from functools import cache
from urllib.parse import unquote_to_bytes, urlsplit

HOSTILE_START = "/hostile/index.html"
BOMB_INFLATED = 64 * 1024 * 1024  # what the bomb inflates to; its gzip body is ~64 KB
HUGE_BYTES = 3 * 1024 * 1024

# (href as written in the list page, list title); every title is a report title with a year
REPORTS = [
    ("/hostile/bomb.html", "青石县统计局2024年政府信息公开工作年度报告"),
    ("/hostile/liar.html", "青石县审计局2024年政府信息公开工作年度报告"),
    ("/hostile/report.html", "青石县民政局2024年政府信息公开工作年度报告"),
    ("/hostile/loop-a.html", "青石县林业局2024年政府信息公开工作年度报告"),
    ("/hostile/年报/水利局2024年报.html", "青石县水利局2024年政府信息公开工作年度报告"),
    ("/hostile/files/青石县文旅局2024年报.pdf", "青石县文化和旅游局2024年政府信息公开工作年度报告"),
]
# attachments of /hostile/report.html: (href, link text)
ATTACHMENTS = [
    ("/hostile/files/missing.pdf", "附件1：2024年政府信息公开工作年度报告.pdf"),
    ("/hostile/files/huge.pdf", "附件2：统计表（扫描件）.pdf"),
    ("/hostile/files/%E9%99%84%E4%BB%B62024%E5%B9%B4%E6%8A%A5.pdf", "附件3"),
    ("/hostile/files/download.pdf?name=统计表2024.pdf", "附件4"),
    ("/hostile/files/%C4%EA%B1%A8.pdf", "附件5（GBK 文件名）"),
]
LIAR_TEXT = "青石县审计局2024年政府信息公开工作年度报告。本年度主动公开政府信息一百二十条。"


def _page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")


def index_page() -> bytes:
    items = "".join(f'<li><a href="{href}" title="{title}">{title}</a><span>2025-01-2{i}</span></li>'
                    for i, (href, title) in enumerate(REPORTS))
    return _page("青石县政府信息公开年报（专题）", f"<ul class='list'>{items}</ul>").encode("utf-8")


def report_page(title: str, attachments: list[tuple[str, str]]) -> bytes:
    links = "".join(f'<p><a href="{href}">{text}</a></p>' for href, text in attachments)
    body = f"<div id='zoom'><p>发布时间：2025-01-22</p><p>{title}全文见附件。</p>{links}</div>"
    return _page(title, body).encode("utf-8")


@cache
def bomb() -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * (1 << 20)
        for _ in range(BOMB_INFLATED // len(chunk)):
            gz.write(chunk)
    return buf.getvalue()


@cache
def pdf(text: str) -> bytes:
    """A real one-page PDF (pymupdf) saying which file was asked for."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text, fontname="china-s", fontsize=12)
    data = doc.tobytes()
    doc.close()
    return data


def liar_page() -> bytes:
    """GBK bytes (its meta says so) served as "charset=utf-8", as misconfigured servers do."""
    return _page("青石县审计局2024年政府信息公开工作年度报告", f"<div id='zoom'><p>{LIAR_TEXT}</p></div>",
                 charset="gb2312").encode("gbk")


def answer(raw_target: str):
    """The response for a /hostile/ request (raw_target: path and query as sent), or None."""
    from tests.portal.server import Response

    parts = urlsplit(raw_target)
    raw_path = unquote_to_bytes(parts.path)
    html = [("Content-Type", "text/html; charset=utf-8")]
    if parts.path == HOSTILE_START:
        return Response(200, index_page(), html)
    if parts.path == "/hostile/bomb.html":
        return Response(200, bomb(), [*html, ("Content-Encoding", "gzip")])
    if parts.path == "/hostile/liar.html":
        return Response(200, liar_page(), html)
    if parts.path == "/hostile/report.html":
        return Response(200, report_page(REPORTS[2][1], ATTACHMENTS), html)
    if parts.path == "/hostile/loop-a.html":
        return Response(302, b"", [("Location", "/hostile/loop-b.html")])
    if parts.path == "/hostile/loop-b.html":
        return Response(302, b"", [("Location", "/hostile/loop-a.html")])
    if raw_path == "/hostile/年报/水利局2024年报.html".encode():
        return Response(200, report_page(REPORTS[4][1], []), html)
    if parts.path == "/hostile/files/missing.pdf":  # the CMS's "file not found" page, with 200
        return Response(200, _page("提示信息", "<p>对不起，您访问的文件不存在或已被删除！</p>").encode("utf-8"), html)
    if parts.path == "/hostile/files/huge.pdf":
        return Response(200, b"%PDF-1.4\n" + b"0" * HUGE_BYTES, [("Content-Type", "application/pdf")])
    if raw_path.startswith(b"/hostile/files/") and raw_path.endswith(b".pdf"):
        name = raw_path.decode("utf-8", "replace") + ("?" + parts.query if parts.query else "")
        return Response(200, pdf(name), [("Content-Type", "application/pdf")])
    return None
