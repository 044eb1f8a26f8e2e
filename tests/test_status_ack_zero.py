"""`nianbao status --ack` accepts a count of 0 too (operator exam ops22, F1): after a source's shape
changed and it found nothing two nights running, `--ack` left it `failing for N runs`, status exit 1
and every night's `schedule --once` exit 4.  Real SQLite archive, status run as the operator runs it."""

from __future__ import annotations

import contextlib
import json

from archive.store import Archive
from crawler import monitor
from tests.test_operator_nights import night, status


def test_ack_accepts_zero_until_the_count_changes(tmp_path, capsys) -> None:
    arc = Archive(tmp_path)
    night(arc, {"docx": 2, "other": 3})
    night(arc, {"docx": 0, "other": 3})
    last = night(arc, {"docx": 0, "other": 3})
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "source docx: 0 reports found (was 2 in run " in out and "failing for 2 runs" in out
    rc, out = status(tmp_path, capsys, "--ack", "docx")
    assert f"acknowledged: docx: 0 reports in run {last} accepted" in out
    assert rc == 0 and "OK: nothing needs attention" in out, out
    assert "0 reports found, accepted as normal by `nianbao status --ack`" in out  # said, not hidden
    night(arc, {"docx": 0, "other": 3})  # the next night: still 0, still accepted
    rc, out = status(tmp_path, capsys)
    assert rc == 0, out
    rc, text = status(tmp_path, capsys, "--json")
    docx = next(s for s in json.loads(text)["sources"] if s["source_id"] == "docx")
    assert docx["problem"] is None and docx["reports_found"] == 0
    night(arc, {"docx": 2, "other": 3})  # it recovers: fine
    assert status(tmp_path, capsys)[0] == 0
    night(arc, {"docx": 0, "other": 3})  # and drops again: a change, flagged anew
    rc, out = status(tmp_path, capsys)
    assert rc == 1 and "source docx: 0 reports found (was 2 in the run before)" in out
    arc.close()


def test_ack_of_zero_does_not_silence_errors_and_the_help_says_so(tmp_path, capsys) -> None:
    """Errors are the portal's news, not a count: `--ack` leaves them flagged, and its help names the
    way for a source gone for good."""
    arc = Archive(tmp_path)
    night(arc, {"dead": 2})
    for _ in range(2):
        run = arc.start_run("nianbao", ["dead"])
        arc.record_error(run, "dead", "http://127.0.0.1:9/zwgk/", "connection refused")
        arc.finish_run(run, {"dead": {"pages": 0, "reports_found": 0, "attachments": 0, "errors": 1,
                                      "duration_s": 1.0}})
    arc.close()
    rc, out = status(tmp_path, capsys, "--ack", "dead")
    assert rc == 1 and "source dead: only errors (1): connection refused" in out, out
    with contextlib.suppress(SystemExit):
        monitor.main(["--help"])
    helptext = " ".join(capsys.readouterr().out.split())
    assert "0 included" in helptext and "removed from the registry" in helptext
