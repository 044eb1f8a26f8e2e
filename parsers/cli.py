"""`nianbao parse PATH --json`: parse one file and print its canonical record (`--all`: every
body's record of a 汇编, as a JSON array).

Bad input is an expected outcome, not a crash: exit code 2 and one line on stderr
naming the file and the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="nianbao parse", description="Parse one annual report file.")
    ap.add_argument("path", type=Path, help="report file (text, HTML, PDF, DOC/DOCX, WPS, XLS/XLSX, image)")
    ap.add_argument("--json", action="store_true", help="print record + findings + meta as JSON (default)")
    ap.add_argument("--text", action="store_true", help="print the extracted text instead of parsing it")
    ap.add_argument("--all", action="store_true",
                    help="every report of a 汇编 (several bodies' reports in one file): a JSON array, one"
                         " record per body (a single report: an array of one)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from parsers.errors import ParseError, describe

    path: Path = args.path
    try:
        data = path.read_bytes()
    except OSError as e:
        print(f"{path}: cannot read file ({e.strerror or e})", file=sys.stderr)
        return EXIT_BAD_INPUT
    from parsers.formats.pictables import pictures_beside

    try:
        with pictures_beside(path.parent):  # an HTML file's linked pictures: read from beside it
            out = _run(args, data, path.name)
    except ParseError as e:
        print(f"{path}: {e.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # an extractor library choking on hostile bytes is still bad input
        print(f"{path}: {describe(e)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return 0


def _run(args: argparse.Namespace, data: bytes, name: str) -> str:
    """The output for one file's bytes: its text, or its record(s) as JSON."""
    from parsers.extract import extract_text, parse_all, parse_bytes
    from parsers.limits import split_skip_notes
    from parsers.sheetnames import split as split_sheet_names

    if args.text:
        from parsers.truncation import split_note

        text, _kind = extract_text(data)
        text, cut = split_note(text)
        out, sheets = split_sheet_names(text)
        out, skipped = split_skip_notes(out)
        ends = f"\n[truncated ({cut['where']}): {cut['quote']}]" if cut else ""
        return out + "".join(f"\n[skipped: {note}]" for note in skipped) + (f"\n[sheets: {'、'.join(sheets)}]" if sheets else "") \
            + ends
    if args.all:
        return json.dumps([r.to_json_dict() for r in parse_all(data, name=name)], ensure_ascii=False, indent=1)
    return json.dumps(parse_bytes(data, name=name).to_json_dict(), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    raise SystemExit(main())
