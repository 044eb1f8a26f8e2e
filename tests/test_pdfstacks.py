"""Borderless tables read from glyph positions: header cells wrapped over lines are joined top to
bottom (总 over 计 is 总计), and two numbers a word gap apart are two cells, never one spaced number.
The whole-report cases are the realworld fixtures r20_* (tests/fixtures/realworld/make_r20.py)."""

from __future__ import annotations

from parsers.formats.pdfglyphs import Glyph, build_lines, text_items


def _glyphs(*pieces: tuple[float, str], base: float, size: float = 10.0) -> list[Glyph]:
    """Glyphs of one printed line: each piece starts at its x, a CJK glyph 1 em wide, a digit 0.5 em."""
    out = []
    for x, text in pieces:
        for c in text:
            w = size / 2 if c.isascii() else size
            out.append(Glyph(x, base - size, x + w, base, c, size, base, True))
            x += w
    return out


def _items(glyphs: list[Glyph]) -> list[str]:
    return [text for _y, _x, text in sorted(text_items(build_lines(glyphs)))]


def test_two_numbers_further_apart_than_a_space_are_two_cells():
    # 其他 5 and 总计 235 in narrow columns, 8 pt apart at 10 pt: not 5 235 (read as 5235)
    (line,) = build_lines(_glyphs((0, "合计"), (40, "5"), (53, "235"), base=100))
    assert [c.text for c in line.cells] == ["合计", "5", "235"]
    # a thousands grouping keeps its groups a space apart: one number
    (line,) = build_lines(_glyphs((0, "合计"), (40, "1"), (49, "234"), base=100))
    assert [c.text for c in line.cells][-1] == "1 234"


def test_wrapped_header_cells_are_joined_over_their_column():
    """Table 4's group header in a borderless print: 总 / 计, 结果 / 维持 … over the numbers."""
    xs = [0, 30, 60, 90, 120]
    top = [(x, w) for x, w in zip(xs, ("总", "结果", "结果", "其他", "尚未"), strict=True)]
    low = [(x, w) for x, w in zip(xs, ("计", "维持", "纠正", "结果", "审结"), strict=True)]
    nums = [(x, n) for x, n in zip(xs, "21003", strict=True)]
    glyphs = _glyphs((0, "行政复议"), base=80) + _glyphs(*top, base=100) + _glyphs(*low, base=114)
    lines = _items(glyphs + _glyphs(*nums, base=134))
    assert lines[1:6] == ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert lines[-1] == "2\t1\t0\t0\t3"


def test_group_name_over_several_columns_and_paragraphs_are_not_joined():
    # 未经复议直接起诉 spans the columns under it: several pieces below, so it wraps nothing
    glyphs = _glyphs((0, "未经复议直接起诉"), base=80) + _glyphs((0, "总"), (30, "结果"), (60, "结果"), base=96)
    glyphs += _glyphs((0, "计"), (30, "维持"), (60, "纠正"), base=110) + _glyphs((0, "1"), (30, "0"), (60, "1"), base=130)
    lines = _items(glyphs)
    assert lines[:4] == ["未经复议直接起诉", "总计", "结果维持", "结果纠正"]
    # lines of short words with no row of numbers under them are text, left as printed
    text = _glyphs((0, "• 首页"), base=40) + _glyphs((0, "• 政务公开"), base=54)
    assert "•" in " ".join(_items(text)) and "••" not in "".join(_items(text))
