"""A page script's functions and strings read as text, without a browser.

A site's list pager or catalogue node calls a helper it defines in an inline script or a script
file (`goPage(2)`, `openCat('1205')`): what the helper does (builds a URL from its argument,
writes it into a form and submits it) is read from its definition's text (`function_body`), and
a URL it builds may start from a string the script names (`string_vars`).  The pagers
(pagers.py) and the form-submitting catalogue nodes (formnodes.py) read helpers this way.
"""

from __future__ import annotations

import re

SCRIPT_FUNCTION_CHARS = 800  # how much of a helper's body is read for the URL it builds


def function_body(script: str, name: str) -> tuple[str, str] | None:
    """(parameter, body) of `function name(p) {…}` / `name = function (p) {…}` in an inline script."""
    bare = re.escape(name.rsplit(".", 1)[-1])
    head = re.search(rf"(?:function\s+{bare}\s*\(|\b{bare}\s*[=:]\s*function\s*\()\s*(\w+)[^)]*\)\s*\{{", script)
    if head is None:
        return None
    return head.group(1), script[head.end():head.end() + SCRIPT_FUNCTION_CHARS]


def string_vars(scripts: list[str]) -> dict[str, str]:
    """`var listUrl = '/ndbg/list.jsp?pageNo=';` -> {"listUrl": "/ndbg/list.jsp?pageNo="}: the strings a
    helper may build its URL from."""
    found: dict[str, str] = {}
    for script in scripts:
        for m in re.finditer(r"""(?:\bvar|\blet|\bconst|[;{\s])\s*([A-Za-z_$][\w$]*)\s*=\s*['"]([^'"\s]*)['"]""", script):
            found.setdefault(m.group(1), m.group(2))
    return found
