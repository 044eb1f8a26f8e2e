"""A page set in two columns is read column by column (parsers/formats/pdfgutter.py); a one-column
page keeps its order.  Whole reports: realworld r20_03/04 (make_r20.py) and real22's p30/p31."""

from __future__ import annotations

from parsers.formats.pdfgutter import two_column_order

H = 595.0  # a landscape A4 page's height


def _item(box: tuple[float, float, float, float], text: str):
    return (box[1], box[0], [text]), box


def _read(placed: list[tuple[tuple, tuple]]) -> list[str] | None:
    items = [it for it, _ in placed]
    order = two_column_order(items, {id(it): box for it, box in placed}, H)
    return None if order is None else [it[2][0] for it in sorted(items, key=order)]


def test_a_table_row_atop_the_right_column_follows_the_left_column():
    page = [_item((49, 55, 404, 219), "table 3's last rows"), _item((69, 232, 259, 242), "四、行政复议、行政诉讼情况"),
            _item((49, 254, 404, 301), "table 4's header"), _item((439, 43, 794, 54), "table 4's numbers"),
            _item((459, 66, 598, 76), "五、存在的主要问题"), _item((439, 90, 788, 129), "paragraph"),
            _item((459, 143, 568, 153), "六、其他需要报告的事项"), _item((439, 234, 502, 245), "【打印本页】"),
            _item((49, 305, 392, 319), "主办单位"), _item((392, 305, 509, 319), "豫ICP备")]  # a footer in two blocks
    assert _read(page) == ["table 3's last rows", "四、行政复议、行政诉讼情况", "table 4's header", "table 4's numbers",
                           "五、存在的主要问题", "paragraph", "六、其他需要报告的事项", "【打印本页】", "主办单位", "豫ICP备"]


def test_a_title_across_both_columns_is_read_first():
    page = [_item((208, 60, 640, 80), "title"), _item((49, 117, 404, 140), "left paragraph"),
            _item((49, 261, 404, 492), "table 2"), _item((439, 105, 794, 300), "table 3"),
            _item((439, 310, 794, 330), "paragraph")]
    assert _read(page) == ["title", "left paragraph", "table 2", "table 3", "paragraph"]


def test_a_one_column_page_keeps_its_order():
    page = [_item((49, 60, 794, 120), "paragraph"), _item((49, 130, 200, 140), "二、主动公开"),
            _item((49, 150, 794, 300), "table"), _item((600, 320, 700, 330), "吉林省民政厅"),
            _item((600, 340, 700, 350), "2024年1月20日")]
    assert _read(page) is None
    # two short lines side by side (联系人 … 电话 …) are no columns either
    page = [_item((49, 60, 300, 70), "联系人：张三"), _item((500, 60, 700, 70), "电话：1234"),
            _item((49, 80, 794, 200), "paragraph"), _item((49, 210, 300, 220), "地址：某路"),
            _item((500, 210, 700, 220), "邮编：100000")]
    assert _read(page) is None
