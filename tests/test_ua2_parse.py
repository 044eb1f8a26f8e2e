"""What the second user-acceptance pass found on the parse side, checked as a user would see it.

- a script shell ("加载中…") is read from the rendered snapshot of its URL, or fails saying so;
- the registry's region and level win for the source's own body, and tell same-name places apart
  for other bodies on its site; one level vocabulary; full province names;
- a web page's chrome (打印本页, 分享到, ICP备, 网站标识码, 主办单位 footers) is not narrative;
- `nianbao crawl` ends with one summary line; the POST year form is built without Scrapy's
  deprecated FormRequest.from_response.
"""

from __future__ import annotations

from pathlib import Path

from parsel import Selector

from archive.placing import Place, place
from archive.reparse import reparse_all
from archive.store import Archive, Fetch
from crawler.run import run_summary
from crawler.sources import load_sources
from crawler.spiders.pagers import form_fields
from parsers import parse_bytes
from parsers.metadata import region_of
from parsers.sections import chrome_lines
from tests.support.dbrows import db_rows as rows

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
FOSHAN = REALWORLD / "05_foshan_city_2023_trs.html"  # 佛山市人民政府 2023, a TRS article page with its footer
SITE = "http://127.0.0.1:9"
SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务公开</title></head><body>
<div class="topbar"><a href="/">无障碍浏览</a> <a href="/en/">English</a> <a href="/wzdt/">网站地图</a></div>
<div class="main"><div id="app"><div class="loading">加载中…</div></div>
<script>fetch('/prod-api/portal/article/' + location.pathname.split('/').pop())
  .then(function (r) { return r.json(); }).then(function (d) { document.getElementById('app').innerHTML = d.data.content; });
</script></div>
<div class="footer"><a href="https://beian.miit.gov.cn/">粤ICP备05012345号</a><p>主办：佛山市人民政府办公室　网站标识码：4406000001</p></div>
</body></html>""".encode()


def record(arc: Archive, url: str, body: bytes, at: str, rendered: bool = False) -> None:
    arc.record(Fetch(url=url, final_url=url, status=200, headers=[("Content-Type", "text/html; charset=utf-8")],
                     body=body, fetched_at=at, referrer=None, source_id="fs-gov", spider="test", rendered=rendered))



def registry(tmp_path: Path, province: str = "广东", city: str = "佛山市") -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"- id: fs-gov\n  name: 佛山市人民政府\n  level: city\n  kind: government\n"
        f"  region: {{province: {province}, city: {city}}}\n  family: generic\n"
        f"  start_urls: ['{SITE}/']\n", encoding="utf-8")
    return path


# ---- #2 script shells ----------------------------------------------------------------------------

def test_a_script_shell_is_read_from_the_rendered_snapshot_of_its_url(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["fs-gov"])
    url = f"{SITE}/zwgk/detail/7007"
    arc.record_document("fs-gov", url, "report", title="佛山市人民政府2023年政府信息公开工作年度报告", year=2023)
    record(arc, url, SHELL, "2025-01-10T00:00:00Z")
    record(arc, url, FOSHAN.read_bytes(), "2025-01-10T00:00:01Z", rendered=True)
    arc.close()
    reparse_all(tmp_path, sources=registry(tmp_path))
    assert rows(tmp_path, "SELECT * FROM parse_failures") == []
    [report] = rows(tmp_path, "SELECT * FROM reports")
    rendered = rows(tmp_path, "SELECT id FROM snapshots WHERE url = ? AND rendered = 1", url)[0]["id"]
    assert report["snapshot_id"] == rendered
    assert (report["agency"], report["year"], report["template"]) == ("佛山市人民政府", 2023, "2021")
    assert report["new_received_total"] is not None
    # the registry wrote 广东 and the body is the entry's own: its place, under the full name
    assert (report["province"], report["city"], report["county"], report["level"]) == ("广东省", "佛山市", None, "city")


def test_a_shell_alone_is_a_failure_that_says_why(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    arc.start_run("test", ["fs-gov"])
    url = f"{SITE}/zwgk/detail/7042"
    arc.record_document("fs-gov", url, "report", title="佛山市人民政府2019年政府信息公开工作年度报告", year=2019)
    record(arc, url, SHELL, "2025-01-10T00:00:00Z")
    arc.close()
    reparse_all(tmp_path, sources=registry(tmp_path))
    assert rows(tmp_path, "SELECT * FROM reports") == []
    [failure] = rows(tmp_path, "SELECT * FROM parse_failures")
    assert failure["url"] == url and failure["reason"].startswith("script shell:")
    assert "加载中" in failure["reason"]


# ---- #3 the registry's place ---------------------------------------------------------------------

def test_the_registry_places_its_own_body_even_against_the_division_list() -> None:
    # 柳河县 is in 吉林省通化市 in the national list; this registry's 柳河县人民政府 is in 河南
    parsed = region_of("柳河县人民政府")
    assert parsed["province"] == "吉林省"
    entry = Place("柳河县人民政府", "county", "河南省", "周口市", "柳河县")
    assert place("柳河县人民政府", parsed, "县区", entry) == {
        "province": "河南省", "city": "周口市", "county": "柳河县", "level": "county"}
    # 县政府 for 县人民政府, and the place prefix the crawler's link text carries: still the entry's body
    assert place("周口市柳河县人民政府", region_of("周口市柳河县人民政府"), "县区", entry)["province"] == "河南省"


def test_other_bodies_on_the_site_are_placed_by_name_with_the_source_telling_same_names_apart() -> None:
    changchun = Place("长春市人民政府", "city", "吉林省", "长春市", None)
    chaoyang = region_of("朝阳区人民政府")  # 北京's and 长春's: the name alone leaves it open
    assert place("朝阳区人民政府", chaoyang, "县区", changchun) == {
        "province": "吉林省", "city": "长春市", "county": "朝阳区", "level": "county"}
    # a body of a real place elsewhere stays where the list puts it
    assert place("聊城市公安局", region_of("聊城市公安局"), "市", changchun)["province"] == "山东省"
    # the source's own county, unknown to the list (静溪县 is fictional): the registry places its departments
    jingxi = Place("静溪县人民政府", "county", "海山省", "临江市", "静溪县")
    assert place("静溪县教育局", region_of("静溪县教育局"), "县区", jingxi) == {
        "province": "海山省", "city": "临江市", "county": "静溪县", "level": "county"}
    # outside the registry the parser's place stands, in the registry's level words
    assert place("聊城市公安局", region_of("聊城市公安局"), "市", None) == {
        "province": "山东省", "city": "聊城市", "county": None, "level": "city"}


def test_reports_level_uses_the_registrys_words(tmp_path: Path) -> None:
    levels = {s.level for s in load_sources(registry(tmp_path))}
    parsed = parse_bytes(FOSHAN.read_bytes(), FOSHAN.name).meta["level"]
    placed = place("佛山市人民政府", {"province": "广东省", "city": "佛山市"}, parsed, None)["level"]
    assert placed in levels | {"province", "county", "township", "national"} and placed == "city"


# ---- #4 page chrome ------------------------------------------------------------------------------

def test_web_page_chrome_is_not_narrative_but_the_reports_sentences_are() -> None:
    lines = [
        "无障碍浏览 长者模式 繁體 English 登录 注册 网站地图",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "我局开展网站ICP备案信息核查和政务新媒体",  # a sentence broken by the layout: kept
        "分享到微信朋友圈的政策解读共12篇，主办单位：市政府办公室。",
        "打印本页 打印预览 分享到微博 关闭窗口",
        "【打印本页】 【关闭窗口】",
        "分享到：微信 微博",
        "中国政府网 | 国务院客户端 | 省人民政府 | 政府网站找错",
        "网站地图 | 联系我们 | 关于本站 | 豫ICP备05012345号 | 豫公网安备 41160202000123号",
        "主办：柳河县人民政府办公室 网站标识码：4116233143",
        "主办单位：周口市公安局 网站标识码：3715000001 后台管理",
        "版权所有：佛山市人民政府办公室",
    ]
    assert sorted(chrome_lines(lines)) == [0, *range(5, len(lines))]


def test_a_real_pages_footer_leaves_its_last_section_and_search() -> None:
    text = FOSHAN.read_text("utf-8")
    assert "打印本页" in text and "ICP备" in text  # the saved page has them below the report
    other = parse_bytes(FOSHAN.read_bytes(), FOSHAN.name).record["sections"]["other"]
    assert other.endswith("均已按期办结。")
    assert not [w for w in ("打印本页", "关闭窗口", "分享到", "ICP备", "网站标识码", "主办单位") if w in other]


# ---- #14 crawl output ----------------------------------------------------------------------------

def test_a_crawl_ends_with_one_summary_line(tmp_path: Path) -> None:
    arc = Archive(tmp_path)
    run = arc.start_run("nianbao", ["a", "b"])
    arc.finish_run(run, {"a": {"pages": 12, "reports_found": 6, "attachments": 2, "errors": 0, "duration_s": 3.0},
                         "b": {"pages": 5, "reports_found": 1, "attachments": 0, "errors": 2, "duration_s": 1.0}})
    arc.close()
    line = run_summary(tmp_path, run)
    assert "\n" not in line and run in line
    for part in ("2 sources", "17 pages", "7 reports", "2 attachments", "2 errors"):
        assert part in line, line


def test_a_post_year_form_sends_what_a_browser_would() -> None:
    form = Selector(text="""<form method="post" action="query.do">
      <input type="hidden" name="columnId" value="12"><input name="q" value="">
      <select name="year"><option value="2024">2024年</option><option value="2023" selected>2023年</option></select>
      <input type="checkbox" name="all" value="1"><input type="checkbox" name="pub" checked>
      <input type="text" name="off" value="x" disabled><input type="file" name="f">
      <button type="submit" name="go" value="查询">查询</button><input type="submit" name="again" value="再查">
    </form>""").xpath("//form")[0]
    assert form_fields(form) == [("columnId", "12"), ("q", ""), ("year", "2023"), ("pub", "on"), ("go", "查询")]
