"""Reports printed in traditional characters (parsers/traditional.py): read, and only they pay for it.

The whole 繁体 report is checked cell by cell in tests/test_parse_realworld.py (case 100); here: the
simplified reports every other test parses are never converted, and a simplified report quoting a
traditional name stays as printed.
"""

from __future__ import annotations

from pathlib import Path

import parsers
from parsers.traditional import is_traditional, to_simplified

FIXTURES = Path(__file__).parent / "fixtures"
TRADITIONAL = FIXTURES / "realworld" / "100_shenzhen_futian_district_2022_traditional_taiwan_phrasing.txt"


def _simplified_texts() -> list[tuple[str, str]]:
    paths = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "realworld").glob("*.txt"))
    out = []
    for p in paths:
        if p == TRADITIONAL:
            continue
        data = p.read_bytes()
        try:
            out.append((p.name, data.decode("utf-8")))
        except UnicodeDecodeError:
            out.append((p.name, data.decode("gb18030")))
    return out


def test_simplified_reports_are_never_converted():
    texts = _simplified_texts()
    assert len(texts) > 40
    for name, text in texts:
        same, converted = to_simplified(text)
        assert not converted, name
        assert same is text, name  # not even a copy


def test_a_traditional_name_quoted_in_a_simplified_report_is_kept():
    text = (FIXTURES / "seeds" / "001_def4f50e650d16ba.txt").read_text(encoding="utf-8")
    quoted = text.replace("一、总体情况\n", "一、总体情况\n经香港特別行政區政府資訊科技總監辦公室協調，完成数据对接。\n", 1)
    assert quoted != text
    assert not is_traditional(quoted)
    record = parsers.parse_text(quoted).record
    assert "香港特別行政區政府資訊科技總監辦公室" in (record["sections"]["overview"] or "")


def test_traditional_report_is_read_and_said_so():
    result = parsers.parse_text(TRADITIONAL.read_text(encoding="utf-8"))
    assert result.record["agency"] == "深圳市福田区人民政府"
    assert result.record["template"] == "2021"
    assert result.record["applications"]["total_processed"]["total"] == 32
    assert any("繁体" in w for w in result.meta["warnings"])


def test_hong_kong_and_old_printed_variants_come_out_simplified():
    """衞 (Hong Kong's form of 衛) and 鄕 (an old printed form) are left as printed by OpenCC's t2s; the
    record names the body as its simplified reports do, and the crawler's classifier agrees."""
    from crawler.classify import classify

    text = TRADITIONAL.read_text(encoding="utf-8")
    text = text.replace("深圳市福田區人民政府\n", "深圳市福田區衞生健康局\n", 1)
    text = text.replace("深圳市福田區人民政府認真", "深圳市福田區衞生健康局認真", 1)
    record = parsers.parse_text(text).record
    assert record["agency"] == "深圳市福田区卫生健康局"
    assert "深圳市福田区卫生健康局认真" in record["sections"]["overview"]
    assert classify("深圳市福田區衞生健康局2022年度政府資訊公開工作年度報告")["agency"] == record["agency"]
    assert to_simplified(text.replace("福田區", "某鄕", 2))[0].startswith("深圳市某乡卫生健康局")
