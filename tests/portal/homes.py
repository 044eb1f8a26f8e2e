"""Portals entered at their home page, as every entry of the real registry is: the generic spider
must walk 首页 → 政务公开 → 政府信息公开 → 年报 through hundreds of links and traps.

Opt-in (`Replica.start(homes=True)`), so the five-seed portals' tests keep their expectations.
Fictional bodies on layouts modelled on real portals (tests/portal/README.md says which):

- ha-liuhe-gov   柳河县人民政府 (GBK): the 年报 link is only on the 政府信息公开 page, three hops down;
                 TRS-style column paged by the createPageHTML script.
- yz-edu         沂州市教育局, a department subsite /sjyj/ on the city portal's host: the city's own
                 年报 column (another body's reports) is one click away in the shared header;
                 the column is linked only by a "更多>>" under its block heading; ?page=2 paging.
- qc-district    清川区人民政府 (Hanweb-style /col/colN/): the column is reached only through the
                 信息公开目录 tree, an <iframe> whose nodes are built by script from inline JSON;
                 ?uid=…&pageNum=2 paging; attachment through downfile.jsp?filename=….
- dz-city-gov    东泽市人民政府: no page on the way names a report; the column (年度报告) is a
                 sub-column of the 公开目录's 法定主动公开内容 node; the site-wide 要闻 block sits
                 below the column's list; createPageHTML paging.
- xh-county-gov  西河县人民政府: the 年报 column's list is read by script from /api/infolist (JSON)
                 and paged by javascript:goPage(n) (3 pages); the HTML holds only the news block.

Traps on every portal: an infinite calendar (/rl/index.html?date=), a search page, hot-search
links, news titles naming 政务公开, tracking-parameter duplicates (?from=banner, ?source=hot),
print/share links, look-alike columns (指南, 制度, 财政预决算, 政府工作报告, 统计公报,
法治政府建设年度报告, 企业年报) with their own pages, and external links.
"""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qs, quote

from tests.portal import render
from tests.portal.content import Item, stable_int
from tests.portal.seeds import Seed

HOME_IDS = ("ha-liuhe-gov", "yz-edu", "qc-district", "dz-city-gov", "xh-county-gov")
CALENDAR_PATH = "/rl/index.html"

NEWS_TITLES = [
    "{place}召开2025年政务公开工作推进会", "{place}政府信息公开工作培训会举办", "{place}部署春季森林防火工作",
    "{place}召开优化营商环境工作会议", "{place}开展安全生产大检查", "{place}举办“三八”妇女节座谈会",
    "{place}召开乡村振兴工作推进会", "{place}全力做好春运保障工作", "{place}开展防范电信网络诈骗宣传活动",
    "{place}召开2025年第一次常务会议", "{place}督导检查重点项目建设", "{place}开展“万人助万企”活动",
    "{place}召开民生实事项目推进会", "{place}举办2025年春季招聘会", "{place}开展冬春农田水利建设",
    "{place}通报2024年政务服务“好差评”情况", "{place}召开政务公开和政务服务工作会议", "{place}举办消防安全培训",
    "{place}开展“我为群众办实事”实践活动", "{place}启动2025年植树造林工作",
]
POLICY_TITLES = [
    "{name}关于印发{place}2025年政务公开工作要点的通知", "{name}关于进一步加强政府信息公开工作的通知",
    "{name}关于印发{place}优化营商环境若干措施的通知", "{name}关于做好2025年春节期间有关工作的通知",
    "{name}关于印发{place}政府信息公开年报编制工作方案的通知", "{name}关于公布行政规范性文件清理结果的决定",
]
EXTERNAL = [("中国政府网", "https://www.gov.cn/"), ("国务院客户端", "https://www.gov.cn/home/xkd.htm"),
            ("省人民政府", "https://www.henan.gov.cn/"), ("政府网站找错", "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"),
            ("全国一体化政务服务平台", "https://gjzwfw.www.gov.cn/"), ("国家企业信用信息公示系统（企业年报）", "https://www.gsxt.gov.cn/"),
            ("12345政务服务便民热线", "https://12345.henan.gov.cn/"), ("人民网", "http://www.people.com.cn/"),
            ("新华网", "http://www.news.cn/"), ("省政务服务网", "https://www.hnzwfw.gov.cn/")]
SERVICES = ["个人办事", "法人办事", "部门服务", "主题服务", "好差评", "电子证照", "一件事一次办", "跨省通办", "社保查询",
            "公积金查询", "不动产登记", "企业开办", "工程建设项目审批", "医保服务", "婚姻登记", "户籍办理"]
DEPARTMENTS = [("发展和改革委员会", "fgw"), ("教育局", "jyj"), ("科学技术局", "kjj"), ("工业和信息化局", "gxj"),
               ("公安局", "gaj"), ("民政局", "mzj"), ("司法局", "sfj"), ("财政局", "czj"), ("人力资源和社会保障局", "rsj"),
               ("自然资源局", "zrzyj"), ("生态环境分局", "sthjj"), ("住房和城乡建设局", "zjj"), ("交通运输局", "jtj"),
               ("水利局", "slj"), ("农业农村局", "nyncj"), ("商务局", "swj"), ("文化广电和旅游局", "wglj"),
               ("卫生健康委员会", "wjw"), ("退役军人事务局", "tyjrj"), ("应急管理局", "yjglj"), ("审计局", "sjj"),
               ("市场监督管理局", "scjgj"), ("统计局", "tjj"), ("医疗保障局", "ybj"), ("城市管理局", "cgj"),
               ("信访局", "xfj"), ("林业局", "lyj"), ("粮食和物资储备中心", "lsj"), ("行政审批服务局", "spj"),
               ("机关事务中心", "jgswj")]
TOWNS = ["城关镇", "城东街道", "城西街道", "东王镇", "西湖镇", "南河乡", "北岗乡", "柳庄镇", "李集镇", "张楼乡", "高寺镇",
         "大营镇", "白塔乡", "孟楼镇", "杨湖乡", "谭庄镇"]

KEY_FIELDS = ["重大建设项目", "公共资源交易", "财政资金", "生态环境", "食品安全", "教育领域", "医疗卫生", "社会救助",
              "就业创业", "乡村振兴", "安全生产", "征地拆迁", "国有企业", "价格收费", "保障性住房", "审计结果",
              "政府采购", "招标投标", "行政执法", "双随机一公开", "减税降费", "涉企收费", "市场监管", "养老服务"]
MEDIA = ["人民网：{place}“小切口”撬动乡村振兴“大文章”", "新华网：{place}持续优化营商环境激发市场活力",
         "河南日报：{place}政务服务“一网通办”跑出加速度", "大河网：{place}春耕备播正当时",
         "中国新闻网：{place}非遗展演迎新春", "央视网：{place}冬小麦长势喜人", "光明网：{place}书香校园建设见成效",
         "经济日报：{place}特色产业带动群众增收", "河南广播电视台：{place}开展春季植树活动",
         "人民日报：{place}基层治理有新招", "学习强国：{place}文化惠民演出走进乡村", "中国日报网：{place}招商引资再结硕果"]
NOTICES = ["{place}2025年公开招聘教师公告", "关于{place}2025年度城乡居民医疗保险集中缴费的通告",
           "{place}关于开展2024年度企业年报公示工作的通知", "{place}2025年第一批拟录用公务员公示",
           "关于征求《{place}国土空间总体规划》意见的公告", "{place}关于调整部分公交线路的通告",
           "{place}2025年春季征兵公告", "{place}关于做好2025年元旦春节期间有关工作的通知",
           "{place}政府信息公开工作年度报告编制说明", "{place}关于公开征集民生实事项目的公告",
           "{place}2025年度农业补贴发放公示", "关于{place}城区集中供暖延期的通知"]


@dataclass
class Report:
    year: int
    fmt: str = "html"  # html | html+pdf | docx | pdf (how it is published)
    item: Item | None = None


@dataclass
class HomeSite:
    """One portal's pages; `put` goes to the shared Writer, `doc` into the manifest."""

    w: object
    pid: str
    name: str
    place: str
    charset: str = "utf-8"
    nav: list[tuple[str, str]] = field(default_factory=list)
    header_extra: str = ""

    @property
    def file_charset(self) -> str:
        return "gbk" if self.charset.lower() in ("gbk", "gb2312") else "utf-8"

    def chrome(self, title: str, body: str, head: str = "") -> str:
        nav = " | ".join(f'<a href="{h}">{html.escape(t)}</a>' for t, h in self.nav)
        hot = " ".join(f'<a href="/search/index.html?q={quote(q)}">{q}</a>' for q in ("政府信息公开年报", "营商环境", "社保"))
        foot = " | ".join(f'<a href="{h}" target="_blank">{html.escape(t)}</a>' for t, h in EXTERNAL[:4])
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{self.charset}">
<meta name="SiteName" content="{html.escape(self.name)}">
<title>{html.escape(title)}</title>
{head}</head>
<body>
<div class="topbar"><a href="javascript:void(0)" onclick="aria.start()">无障碍浏览</a> <a href="javascript:;">长者模式</a>
 <a href="javascript:;">繁體</a> <a href="/en/index.html">English</a> <a href="/user/login.html">登录</a>
 <a href="/user/register.html">注册</a> <a href="/wzdt/index.html">网站地图</a></div>
{self.header_extra}<div class="header"><a href="/"><img src="/images/logo.png" alt="{html.escape(self.name)}"></a>
<form action="/search/index.html" method="get"><input name="q" placeholder="请输入关键词"><button>搜索</button></form>
<div class="hot">热搜：{hot}</div></div>
<div class="nav">{nav}</div>
<div class="main">
{body}
</div>
<div class="footer"><div class="links">{foot}</div>
<a href="/wzdt/index.html">网站地图</a> | <a href="/lxwm/index.html">联系我们</a> | <a href="/gybz/index.html">关于本站</a> |
<a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备05012345号</a> | <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41160202000123" target="_blank">豫公网安备 41160202000123号</a>
<p>主办：{html.escape(self.name)}办公室　网站标识码：41162{stable_int(self.pid, 5):05d}</p></div>
</body>
</html>
"""

    def put(self, path: str, title: str, body: str, head: str = "") -> None:
        self.w.put(self.pid, path, self.chrome(title, body, head), self.file_charset)

    def put_raw(self, path: str, data: str | bytes) -> None:
        self.w.put(self.pid, path, data, self.file_charset)

    def article(self, item: Item, body: str, column: str) -> None:
        head = (f'<meta name="ArticleTitle" content="{html.escape(item.title)}">\n'
                f'<meta name="PubDate" content="{item.published:%Y-%m-%d} 10:00">\n'
                f'<meta name="ColumnName" content="{html.escape(column)}">\n')
        tools = (f'<div class="tools"><a href="javascript:window.print()">打印本页</a> '
                 f'<a href="/print.jsp?url={quote(item.path)}">打印预览</a> '
                 f'<a href="https://service.weibo.com/share/share.php?url={quote(item.path)}" target="_blank">分享到微博</a> '
                 f'<a href="javascript:window.close()">关闭窗口</a></div>')
        inner = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; {html.escape(column)}</div>\n'
                 f'<div class="article"><h1>{html.escape(item.title)}</h1>\n'
                 f'<div class="info">发布时间：{item.published:%Y-%m-%d}　来源：{html.escape(self.name)}</div>\n'
                 f'<div class="content" id="zoom">\n{body}\n</div>\n{tools}</div>')
        self.put(item.path, item.title, inner, head)

    def doc(self, item: Item, **extra: object) -> None:
        self.w.doc(self.pid, item, **extra)


# ----------------------------------------------------------------------------- shared blocks

def news_items(site: HomeSite, base: str, titles: list[str], start: date, salt: str) -> list[Item]:
    items = []
    for i, t in enumerate(titles):
        d = start - timedelta(days=2 * i + 1)
        title = t.format(place=site.place, name=site.name)
        path = f"{base}/{d:%Y%m}/t{d:%Y%m%d}_{stable_int(salt + title, 7)}.html"
        items.append(Item(title, d, path=path, body=f"{title}。详细内容见正文。"))
    return items


def write_news(site: HomeSite, items: list[Item], column: str) -> None:
    """News articles that link onward: related news and the 政务公开 landing page."""
    for i, it in enumerate(items):
        related = items[i + 1:i + 4] + items[:max(0, i + 4 - len(items))]
        rel = "".join(f'<li><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in related if r is not it)
        body = (f"<p>{html.escape(it.body)}</p>\n<p>会议强调，要进一步提高认识，狠抓落实。</p>\n"
                f'<div class="related"><h3>相关新闻</h3><ul>{rel}</ul></div>')
        site.article(it, body, column)


def ul(items: list[Item], dates: bool = True, suffix: str = "") -> str:
    return "<ul>" + "".join(
        f'<li><a href="{it.path}{suffix}" title="{html.escape(it.title)}" target="_blank">{html.escape(it.title)}</a>'
        + (f"<span>{it.published:%m-%d}</span>" if dates else "") + "</li>" for it in items) + "</ul>"


def block(title: str, inner: str, more: str | None = None) -> str:
    more_link = f'<a class="more" href="{more}">更多&gt;&gt;</a>' if more else ""
    return f'<div class="block"><div class="block-hd"><span class="name">{html.escape(title)}</span>{more_link}</div>\n{inner}</div>'


def calendar_links(day: date) -> str:
    """The 政务日历 widget: one link per day of the month, and the months either side."""
    first = day.replace(day=1)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    days = []
    d = first
    while d.month == first.month:
        days.append(f'<a href="{CALENDAR_PATH}?date={d:%Y-%m-%d}">{d.day}</a>')
        d += timedelta(days=1)
    return (f'<div class="calendar"><a href="{CALENDAR_PATH}?date={prev_month:%Y-%m-%d}">上一月</a> '
            f'{first:%Y年%m月} <a href="{CALENDAR_PATH}?date={next_month:%Y-%m-%d}">下一月</a>\n' + " ".join(days) + "</div>")


def home_furniture(site: HomeSite, depts_base: str) -> str:
    services = "".join(f'<li><a href="https://www.hnzwfw.gov.cn/portal/guide/{i:03d}" target="_blank">{s}</a></li>'
                       for i, s in enumerate(SERVICES))
    depts = "".join(f'<li><a href="{depts_base}{code}/index.html">{site.place}{n}</a></li>' for n, code in DEPARTMENTS)
    towns = "".join(f'<li><a href="/xz/{stable_int(t, 4):04d}/index.html">{t}</a></li>' for t in TOWNS)
    friends = "".join(f'<li><a href="{h}" target="_blank">{html.escape(t)}</a></li>' for t, h in EXTERNAL)
    interact = "".join(f'<li><a href="/hdjl/{c}/index.html">{t}</a></li>' for t, c in (
        ("书记信箱", "sjxx"), ("县长信箱", "xzxx"), ("12345热线", "rx12345"), ("在线访谈", "zxft"), ("征集调查", "zjdc"),
        ("常见问题", "cjwt"), ("依申请公开", "ysqgk")))
    topics = "".join(f'<li><a href="/ztzl/{c}/index.html?from=index_zt">{t}</a></li>' for t, c in (
        ("优化营商环境", "yshj"), ("乡村振兴", "xczx"), ("安全生产", "aqsc"), ("企业年报公示专栏", "qynb"),
        ("民法典宣传", "mfd"), ("防范非法集资", "ffjz"), ("文明城市创建", "wmcs"), ("双拥工作", "sygz")))
    fields = "".join(f'<li><a href="/zdly/{i:02d}/index.html">{t}</a></li>' for i, t in enumerate(KEY_FIELDS))
    media = "".join(f'<li><a href="http://www.people.com.cn/n1/2025/02{10 + i}/c{stable_int(t, 6)}.html" '
                    f'target="_blank">{t.format(place=site.place)}</a></li>' for i, t in enumerate(MEDIA))
    notices = "".join(f'<li><a href="/xwzx/tzgg/202502/t202502{10 + i}_{stable_int(t, 6)}.html">'
                      f'{t.format(place=site.place)}</a><span>02-{10 + i}</span></li>' for i, t in enumerate(NOTICES))
    photos = "".join(f'<li><a href="/xwzx/tpxw/202502/t202502{11 + i}_{i}.html"><img src="/images/p{i}.jpg" '
                     f'alt="图片新闻{i + 1}">{site.place}图片新闻（{i + 1}）</a></li>' for i in range(8))
    leaders = "".join(f'<li><a href="/zjlh/ldzc/{i}.html">{t}</a></li>' for i, t in enumerate(
        ("县委书记", "县长", "常务副县长", "副县长（一）", "副县长（二）", "副县长（三）", "副县长（四）", "县政府党组成员")))
    villages = "".join(f'<li><a href="/xz/cun/{i:03d}.html">{TOWNS[i % len(TOWNS)][:2]}{"东西南北中"[i % 5]}村</a></li>'
                       for i in range(30))
    towns_news = "".join(f'<li><a href="/xwzx/xzdt/202502/t202502{i + 10}_{stable_int(t, 5)}.html">{t}{NEWS_TITLES[i][6:]}</a></li>'
                         for i, t in enumerate(TOWNS))
    readings = "".join(f'<li><a href="/zwgk/zcjd/202502/t202502{i + 10}_{i}.html">图解：{t.format(place=site.place, name=site.name)}</a></li>'
                       for i, t in enumerate(POLICY_TITLES + NOTICES[:6]))
    return (block("政务服务", f"<ul>{services}</ul>")
            + block("乡镇动态", f"<ul>{towns_news}</ul>", "/xwzx/xzdt/index.html")
            + block("政策解读", f"<ul>{readings}</ul>", "/zwgk/zcjd/index.html")
            + block("重点领域信息公开", f"<ul>{fields}</ul>") + block("媒体关注", f"<ul>{media}</ul>")
            + block("通知公告", f"<ul>{notices}</ul>", "/xwzx/tzgg/index.html") + block("图片新闻", f"<ul>{photos}</ul>")
            + block("领导之窗", f"<ul>{leaders}</ul>") + block("村（社区）", f"<ul>{villages}</ul>") + block("专题专栏", f"<ul>{topics}</ul>", "/ztzl/index.html")
            + block("部门网站", f"<ul>{depts}</ul>") + block("乡镇（街道）", f"<ul>{towns}</ul>")
            + block("互动交流", f"<ul>{interact}</ul>") + block("政务日历", calendar_links(date(2025, 3, 1)))
            + block("友情链接", f"<ul>{friends}</ul>"))


def renamed_record(seed: Seed, agency: str, year: int) -> dict:
    record = copy.deepcopy(seed.record)
    record["agency"] = agency
    record["year"] = year
    return record


def narrative(agency: str, year: int) -> str:
    return "\n".join([
        f"本报告由{agency}根据《中华人民共和国政府信息公开条例》编制。",
        "一、总体情况",
        f"{year}年，{agency}认真贯彻落实政府信息公开条例，主动公开、依申请公开、平台建设等工作有序推进。",
        "五、存在的主要问题及改进情况",
        "公开内容的针对性有待提升。下一步将加强解读，提高公开质量。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ])


def report_items(agency: str, reports: list[Report]) -> list[Item]:
    for k, r in enumerate(reports):
        r.item = Item(f"{agency}{r.year}年政府信息公开工作年度报告", date(r.year + 1, 1, 15 + k), is_report=True,
                      seed="", fmt=r.fmt)
    return [r.item for r in reports]


def write_report(site: HomeSite, r: Report, seed: Seed, column: str, attach_dir: str,
                 attach_href=None, **extra: object) -> None:
    """The report page (and its PDF/DOCX, made by LibreOffice), recorded in the manifest."""
    it = r.item
    record = renamed_record(seed, site.name, r.year)
    it.seed = seed.key
    ext = "docx" if r.fmt == "docx" else "pdf"
    if r.fmt == "pdf":  # the list links the file itself
        site.w.convert(site.pid, it.path, render.report_html(record, narrative(site.name, r.year), it.title), "pdf")
        site.doc(it, agency=site.name, year=r.year, **extra)
        return
    body = render.report_body_html(record, narrative(site.name, r.year)) if r.fmt != "docx" else (
        f"<p>{html.escape(it.title)}已经编制完成，现予以公布。全文请下载附件。</p>")
    if r.fmt in ("html+pdf", "docx"):
        it.attachment = f"{attach_dir}/P0{it.published:%Y%m%d}{stable_int(it.title, 9):09d}.{ext}"
        href = attach_href(it.attachment) if attach_href else it.attachment
        body += f'\n<p class="attachment">附件：<a href="{href}">{html.escape(it.title)}.{ext}</a></p>'
        site.w.convert(site.pid, it.attachment, render.report_html(record, narrative(site.name, r.year), it.title),
                       ext)
        it.attachment = href  # the manifest names the link as the page publishes it
    site.article(it, body, column)
    site.doc(it, agency=site.name, year=r.year, **extra)


def lookalike_column(site: HomeSite, path: str, column: str, titles: list[tuple[str, str]], start: date) -> None:
    """A sibling column (指南, 预决算, 统计公报 …) with its own list and articles: never a report."""
    items = []
    for i, (title, text) in enumerate(titles):
        d = start - timedelta(days=9 * i)
        items.append(Item(title, d, path=f"{path}{d:%Y%m}/t{d:%Y%m%d}_{stable_int(title, 6)}.html", body=text))
    for it in items:
        site.article(it, f"<p>{html.escape(it.body)}</p>", column)
        site.doc(it)
    site.put(f"{path}index.html", column, f"<h2>{html.escape(column)}</h2>\n" + ul(items),
             head=f'<meta name="ColumnName" content="{html.escape(column)}">')


def lookalikes(name: str, place: str) -> dict[str, list[tuple[str, str]]]:
    return {
        "指南": [(f"{name}政府信息公开指南", "为便于公民、法人和其他组织依法获取政府信息，编制本指南。"),
                 (f"{name}政府信息公开指南（2021年修订）", "申请方式：当面、邮寄、网上申请。")],
        "制度": [(f"{name}政府信息公开保密审查制度", "为规范政府信息公开保密审查工作，制定本制度。"),
                 (f"{name}政府信息公开工作考核制度", "考核结果纳入年度绩效考核。")],
        "预决算": [(f"{name}2025年部门预算", "现将2025年部门预算公开如下。"),
                   (f"{name}2023年度部门决算", "现将2023年度部门决算公开如下。"),
                   (f"{place}2024年财政预算执行情况和2025年财政预算草案的报告", "全县一般公共预算收入完成情况如下。")],
        "工作报告": [(f"2025年{place}人民政府工作报告", "各位代表：现在，我代表县人民政府向大会报告工作。"),
                     (f"2024年{place}人民政府工作报告", "过去一年，全县经济社会发展取得新成效。")],
        "统计公报": [(f"{place}2024年国民经济和社会发展统计公报", "2024年，全县地区生产总值比上年增长5.6%。"),
                     (f"{place}2023年国民经济和社会发展统计公报", "2023年，全县地区生产总值比上年增长4.8%。")],
        "法治": [(f"{name}2024年法治政府建设年度报告", "2024年，深入学习贯彻习近平法治思想，法治政府建设取得新成效。"),
                 (f"{name}2023年法治政府建设年度报告", "现将2023年法治政府建设情况报告如下。")],
    }


TRS_PAGER = """<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var out = [];
  for(var i = 0; i < _nPageCount; i++){
    var href = i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
    out.push(i == _nCurrIndex ? "<span>" + (i + 1) + "</span>" : "<a href=\\"" + href + "\\">" + (i + 1) + "</a>");
  }
  document.write(out.join(" "));
}
</script>
"""


# ----------------------------------------------------------------------------- 柳河县人民政府 (GBK)

def build_liuhe(w, seeds: list[Seed]) -> None:
    name, place = "柳河县人民政府", "柳河县"
    nav = [("首页", "/"), ("走进柳河", "/zjlh/index.html"), ("政务公开", "/zwgk/index.html"),
           ("政务服务", "https://www.hnzwfw.gov.cn/"), ("互动交流", "/hdjl/index.html"), ("专题专栏", "/ztzl/index.html")]
    site = HomeSite(w, "ha-liuhe-gov", name, place, charset="gb2312", nav=nav)
    gk, col = "/zwgk/zfxxgk", "/zwgk/zfxxgk/gknb"
    # news
    jryw = news_items(site, "/xwzx/jryw", NEWS_TITLES[:10], date(2025, 3, 1), "jryw")
    bmdt = news_items(site, "/xwzx/bmdt", NEWS_TITLES[10:], date(2025, 3, 1), "bmdt")
    policy = news_items(site, "/zwgk/zcwj", POLICY_TITLES, date(2025, 2, 20), "zcwj")
    write_news(site, jryw, "今日柳河")
    write_news(site, bmdt, "部门动态")
    write_news(site, policy, "政策文件")
    banner = ('<div class="banner"><a href="/zwgk/index.html?from=banner">政务公开</a> '
              '<a href="/ztzl/yshj/index.html?from=banner">优化营商环境</a></div>')
    body = (banner + block("今日柳河", ul(jryw), "/xwzx/jryw/index.html") + block("部门动态", ul(bmdt), "/xwzx/bmdt/index.html")
            + block("政策文件", ul(policy), "/zwgk/zcwj/index.html") + home_furniture(site, "/bm/"))
    site.put("/index.html", name, body)
    # 政务公开: no 年报 link here, only the way to 政府信息公开
    left = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开", f"{gk}/index.html"), ("政策文件", "/zwgk/zcwj/index.html"), ("政策解读", "/zwgk/zcjd/index.html"),
        ("人事信息", "/zwgk/rsxx/index.html"), ("财政预决算", f"{gk}/czyjs/index.html"), ("重点领域", "/zwgk/zdly/index.html"),
        ("建议提案办理", "/zwgk/jyta/index.html")))
    site.put("/zwgk/index.html", "政务公开", f'<div class="left"><h3>政务公开</h3><ul>{left}</ul></div>'
             + block("政务公开动态", ul(jryw[:2] + policy)) + block("政策文件", ul(policy), "/zwgk/zcwj/index.html"))
    # 政府信息公开: the 公开目录 and the 年报 column
    tree = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开指南", f"{gk}/gkzn/index.html"), ("政府信息公开制度", f"{gk}/gkzd/index.html"),
        ("法定主动公开内容", f"{gk}/fdzdgknr/index.html"), ("财政预决算", f"{gk}/czyjs/index.html"),
        ("政府工作报告", f"{gk}/zfgzbg/index.html"), ("统计公报", f"{gk}/tjgb/index.html"),
        ("法治政府建设年度报告", f"{gk}/fzzfjs/index.html"), ("政府信息公开年报", f"{col}/index.html"),
        ("依申请公开", "/hdjl/ysqgk/index.html")))
    site.put(f"{gk}/index.html", "政府信息公开", f'<div class="gkml"><h3>政府信息公开目录</h3><ul>{tree}</ul></div>'
             + block("最新公开", ul(policy[:4])))
    looks = lookalikes(name, place)
    for sub, column, key in (("gkzn", "政府信息公开指南", "指南"), ("gkzd", "政府信息公开制度", "制度"),
                             ("czyjs", "财政预决算", "预决算"), ("zfgzbg", "政府工作报告", "工作报告"),
                             ("tjgb", "统计公报", "统计公报"), ("fzzfjs", "法治政府建设年度报告", "法治")):
        lookalike_column(site, f"{gk}/{sub}/", column, looks[key], date(2025, 2, 10))
    site.put(f"{gk}/fdzdgknr/index.html", "法定主动公开内容", block("法定主动公开内容", ul(policy)))
    # the column: 8 items on two pages, paged by the createPageHTML script
    reports = [Report(2024), Report(2023, "html+pdf"), Report(2022), Report(2021), Report(2020, "docx"), Report(2019)]
    rep_items = report_items(name, reports)
    for it in rep_items:
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    extra = [Item(f"图解：{name}2023年政府信息公开工作年度报告", date(2024, 1, 25), body="一图读懂年度报告要点。"),
             Item(f"{name}办公室关于做好政府信息公开年报编制工作的通知", date(2024, 12, 20), body="各乡镇、各部门：请于1月31日前报送。")]
    for it in extra:
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    items = [rep_items[0], extra[1], rep_items[1], extra[0], rep_items[2], rep_items[3], rep_items[4], rep_items[5]]
    pages = [items[:5], items[5:]]
    hot = f'<div class="side"><h3>热点关注</h3><ul><li><a href="{rep_items[0].path}?source=hot">{html.escape(rep_items[0].title)}</a></li></ul></div>'
    for n, chunk in enumerate(pages):
        lis = "".join(f'<li><a href="{it.path}" title="{html.escape(it.title)}">{html.escape(it.title)}</a>'
                      f'<span>{it.published:%Y-%m-%d}</span></li>' for it in chunk)
        body = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt; '
                f'<a href="{gk}/index.html">政府信息公开</a> &gt; 政府信息公开年报</div>\n'
                f'<div class="list"><h2>政府信息公开年报</h2><ul>{lis}</ul>\n'
                f'<div class="page">{TRS_PAGER}<script>createPageHTML({len(pages)}, {n}, "index", "html");</script></div></div>\n{hot}')
        site.put(f"{col}/{'index.html' if n == 0 else f'index_{n}.html'}", "政府信息公开年报", body,
                 head='<meta name="ColumnName" content="政府信息公开年报">')
    for r, seed in zip(reports, seeds * 2, strict=False):
        write_report(site, r, seed, "政府信息公开年报", f"{col}/{r.item.published:%Y%m}")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "政府信息公开年报")
        site.doc(it)
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


# ----------------------------------------------------------------------------- 沂州市教育局 (department subsite)

def build_yz_edu(w, seeds: list[Seed]) -> None:
    city, name, place, sub = "沂州市人民政府", "沂州市教育局", "沂州市", "/sjyj"
    city_nav = [("首页", "/"), ("政务公开", "/zwgk/index.html"), ("政务服务", "https://www.hnzwfw.gov.cn/"),
                ("互动交流", "/hdjl/index.html")]
    city_site = HomeSite(w, "yz-edu", city, place, nav=city_nav)
    # the city's own portal on the same host, with the city's own reports (another body: never this source's)
    city_reports = [Report(2024), Report(2023)]
    city_items = report_items(city, city_reports)
    for it in city_items:
        it.path = f"/zwgk/zfxxgknb/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    for r, seed in zip(city_reports, seeds, strict=False):
        write_report(city_site, r, seed, "政府信息公开年报", "/zwgk/zfxxgknb/files", other_body=True)
    city_site.put("/zwgk/zfxxgknb/index.html", "政府信息公开年报", "<h2>政府信息公开年报</h2>" + ul(city_items),
                  head='<meta name="ColumnName" content="政府信息公开年报">')
    city_site.put("/zwgk/index.html", "政务公开", block("政府信息公开年报", ul(city_items), "/zwgk/zfxxgknb/index.html"))
    city_site.put("/index.html", city, block("市直部门", "<ul>" + "".join(
        f'<li><a href="/s{code}/index.html">{place}{n}</a></li>' for n, code in DEPARTMENTS) + "</ul>")
        + home_furniture(city_site, "/s"))
    # the department subsite: the city header strip links up to the city's pages
    strip = ('<div class="city-bar"><a href="/">沂州市人民政府</a> | <a href="/zwgk/index.html">市政府政务公开</a> | '
             '<a href="/zwgk/zfxxgknb/index.html">市政府信息公开年报</a> | <a href="/index.html#bm">市直部门</a></div>\n')
    nav = [("首页", f"{sub}/index.html"), ("机构概况", f"{sub}/jggk/index.html"), ("教育动态", f"{sub}/jydt/index.html"),
           ("信息公开", f"{sub}/xxgk/index.html"), ("办事服务", f"{sub}/bsfw/index.html"), ("互动交流", f"{sub}/hdjl/index.html")]
    site = HomeSite(w, "yz-edu", name, place, nav=nav, header_extra=strip)
    news = news_items(site, f"{sub}/jydt", [
        "{place}召开2025年全市教育工作会议", "全市教育系统政务公开工作推进会召开", "{place}启动2025年义务教育招生工作",
        "全市中小学开展安全教育周活动", "{place}举办教师信息技术应用能力培训", "全市教育系统开展“双减”督导检查",
        "{place}召开高考工作部署会", "全市职业教育活动周启动", "{place}教育局开展信息公开工作培训",
        "全市学前教育宣传月活动启动", "{place}公布2025年民办学校年检结果", "全市校园食品安全专项检查开展"],
        date(2025, 3, 1), "jydt")
    write_news(site, news, "教育动态")
    body = (block("教育动态", ul(news[:8]), f"{sub}/jydt/index.html") + block("通知公告", ul(news[8:]), f"{sub}/tzgg/index.html")
            + home_furniture(site, f"{sub}/bm/"))
    site.put(f"{sub}/index.html", name, body)
    col = f"{sub}/xxgk/xxgknb"
    reports = [Report(2024, "pdf"), Report(2023), Report(2022), Report(2021, "docx"), Report(2020), Report(2019)]
    rep_items = report_items(name, reports)
    for it in rep_items:
        d = it.published
        it.path = (f"{col}/{d:%Y%m}/P0{d:%Y%m%d}{stable_int(it.title, 9):09d}.pdf" if it.fmt == "pdf"
                   else f"{col}/{d:%Y%m}/t{d:%Y%m%d}_{stable_int(it.title, 7)}.html")
    looks = lookalikes(name, place)
    extra = []
    for title, text in looks["预决算"][:2] + looks["法治"][:1] + looks["指南"][:1]:
        d = date(2025, 2, 1) - timedelta(days=5 * len(extra))
        extra.append(Item(title, d, path=f"{col}/{d:%Y%m}/t{d:%Y%m%d}_{stable_int(title, 7)}.html", body=text))
    items = [rep_items[0], extra[0], extra[1], rep_items[1], extra[2], rep_items[2], rep_items[3], extra[3],
             rep_items[4], rep_items[5]]
    pages = [items[:7], items[7:]]
    for n, chunk in enumerate(pages, start=1):
        lis = "".join(f'<li><a href="{it.path}" title="{html.escape(it.title)}">{html.escape(it.title)}</a>'
                      f'<span>{it.published:%Y-%m-%d}</span></li>' for it in chunk)
        nums = " ".join(f"<span>{i}</span>" if i == n else f'<a href="index.html{"" if i == 1 else f"?page={i}"}">{i}</a>'
                        for i in range(1, len(pages) + 1))
        nxt = f'<a href="index.html?page={n + 1}">下一页</a>' if n < len(pages) else ""
        body = (f'<div class="position">当前位置：<a href="{sub}/index.html">首页</a> &gt; <a href="{sub}/xxgk/index.html">信息公开</a>'
                f' &gt; 信息公开年报</div>\n<div class="list"><h2>信息公开年报</h2><ul>{lis}</ul>\n'
                f'<div class="page">共{len(items)}条 {nums} {nxt} <a href="index.html?page={len(pages)}">尾页</a></div></div>')
        site.put(f"{col}/{'index.html' if n == 1 else f'index_{n}.html'}", "信息公开年报", body,
                 head='<meta name="ColumnName" content="信息公开年报">')
    for r, seed in zip(reports, seeds[1:] * 2, strict=False):
        write_report(site, r, seed, "信息公开年报", f"{col}/{r.item.published:%Y%m}")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "信息公开年报")
        site.doc(it)
    # 信息公开: the column's block shows the latest three, and only "更多>>" leads to the column
    gk = f"{sub}/xxgk"
    for key, path, column in (("指南", "xxgkzn", "信息公开指南"), ("制度", "xxgkzd", "信息公开制度"),
                              ("预决算", "czzj", "财政资金")):
        lookalike_column(site, f"{gk}/{path}/", column, looks[key], date(2025, 2, 12))
    left = "".join(f'<li><a href="{gk}/{p}/index.html">{t}</a></li>' for t, p in (
        ("信息公开指南", "xxgkzn"), ("信息公开制度", "xxgkzd"), ("财政资金", "czzj")))
    latest = [it for it in rep_items if it.fmt != "pdf"][:3]
    site.put(f"{gk}/index.html", "信息公开", f'<div class="left"><ul>{left}</ul></div>'
             + block("信息公开年报", ul(latest), f"{col}/index.html") + block("教育动态", ul(news[:6])))
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


# ----------------------------------------------------------------------------- 清川区人民政府 (iframe + script tree)

TREE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>信息公开目录</title>
<style>.tree li { list-style: none; }</style></head>
<body>
<div class="tree" id="xxgk-tree"></div>
<script>
var zNodes = %s;
function build(nodes, parent) {
  var ul = document.createElement("ul");
  nodes.forEach(function (n) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = n.url; a.target = "_parent"; a.textContent = n.name; li.appendChild(a);
    if (n.children) { build(n.children, li); }
    ul.appendChild(li);
  });
  parent.appendChild(ul);
}
build(zNodes, document.getElementById("xxgk-tree"));
</script>
</body></html>
"""


def build_qc(w, seeds: list[Seed]) -> None:
    name, place = "清川区人民政府", "清川区"
    nav = [("首页", "/index.html"), ("走进清川", "/col/col100/index.html"), ("政务公开", "/col/col101/index.html"),
           ("政务服务", "https://www.hnzwfw.gov.cn/"), ("互动交流", "/col/col103/index.html"),
           ("专题专栏", "/col/col104/index.html")]
    site = HomeSite(w, "qc-district", name, place, nav=nav)
    news = news_items(site, "/art", NEWS_TITLES[5:17], date(2025, 3, 1), "art")
    policy = news_items(site, "/art/zcwj", POLICY_TITLES, date(2025, 2, 20), "zcwj")
    write_news(site, news, "清川要闻")
    write_news(site, policy, "政策文件")
    site.put("/index.html", name, block("清川要闻", ul(news[:8]), "/col/col105/index.html")
             + block("政策文件", ul(policy), "/col/col106/index.html") + home_furniture(site, "/col/bm_"))
    site.put("/col/col101/index.html", "政务公开",
             block("政务动态", ul(news[8:] + policy[:2]))
             + '<div class="gkml"><iframe src="/module/xxgk/tree.html" title="信息公开目录" name="xxgkml" '
               'width="260" height="600" frameborder="0"></iframe></div>')
    col = "/col/col230"
    looks = lookalikes(name, place)
    sibling = {"col201": ("政府信息公开指南", "指南"), "col202": ("政府信息公开制度", "制度"),
               "col213": ("财政预决算", "预决算"), "col214": ("统计公报", "统计公报"),
               "col215": ("政府工作报告", "工作报告"), "col216": ("法治政府建设", "法治")}
    for cid, (column, key) in sibling.items():
        lookalike_column(site, f"/col/{cid}/", column, looks[key], date(2025, 2, 15))
    nodes = [
        {"name": "政府信息公开指南", "url": "/col/col201/index.html"},
        {"name": "政府信息公开制度", "url": "/col/col202/index.html"},
        {"name": "法定主动公开内容", "url": "/col/col210/index.html", "children": [
            {"name": "机构职能", "url": "/col/col211/index.html"}, {"name": "政策文件", "url": "/col/col212/index.html"},
            {"name": "财政预决算", "url": "/col/col213/index.html"}, {"name": "统计公报", "url": "/col/col214/index.html"},
            {"name": "政府工作报告", "url": "/col/col215/index.html"}, {"name": "法治政府建设", "url": "/col/col216/index.html"}]},
        {"name": "政府信息公开年报", "url": f"{col}/index.html"},
        {"name": "依申请公开", "url": "/col/col240/index.html"},
    ]
    site.put_raw("/module/xxgk/tree.html", TREE_PAGE % json.dumps(nodes, ensure_ascii=False))
    reports = [Report(2024), Report(2023), Report(2022, "html+pdf"), Report(2021), Report(2020), Report(2019)]
    rep_items = report_items(name, reports)
    for it in rep_items:
        d = it.published
        it.path = f"/art/{d.year}/{d.month}/{d.day}/art_230_{stable_int(it.title, 6)}.html"
    extra = []
    for title, text in [(f"一图读懂{name}2024年政府信息公开工作年度报告", "一图读懂年度报告要点。")] + looks["法治"][:1] \
            + looks["工作报告"][:1] + looks["统计公报"][:1]:
        d = date(2025, 2, 3) - timedelta(days=7 * len(extra))
        extra.append(Item(title, d, path=f"/art/{d.year}/{d.month}/{d.day}/art_230_{stable_int(title, 6)}.html", body=text))
    items = [extra[0], rep_items[0], extra[1], extra[2], rep_items[1], rep_items[2], extra[3], rep_items[3],
             rep_items[4], rep_items[5]]
    pages = [items[:6], items[6:]]
    for n, chunk in enumerate(pages, start=1):
        lis = "".join(f'<tr><td><a href="{it.path}" target="_blank" title="{html.escape(it.title)}">'
                      f'{html.escape(it.title)}</a></td><td>{it.published:%Y-%m-%d}</td></tr>' for it in chunk)
        nums = " ".join(f"<span>{i}</span>" if i == n else f'<a href="{col}/index.html?uid=4321&pageNum={i}">{i}</a>'
                        for i in range(1, len(pages) + 1))
        body = (f'<div class="bt-position">您当前的位置：<a href="/index.html">首页</a> &gt; '
                f'<a href="/col/col101/index.html">政务公开</a> &gt; 政府信息公开年报</div>\n'
                f'<table class="list"><tbody>{lis}</tbody></table>\n<div class="pager">共{len(items)}条 {nums}</div>')
        site.put(f"{col}/{'index.html' if n == 1 else f'index_{n}.html'}", "政府信息公开年报", body,
                 head='<meta name="ColumnName" content="政府信息公开年报">')
    for r, seed in zip(reports, seeds[2:] * 3, strict=False):
        write_report(site, r, seed, "政府信息公开年报", "/attach",
                     attach_href=lambda p: f"/module/download/downfile.jsp?classid=0&filename={p.rsplit('/', 1)[1]}")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "政府信息公开年报")
        site.doc(it)
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


# ----------------------------------------------------------------------------- 东泽市人民政府 (法定主动公开内容)

def build_dz(w, seeds: list[Seed]) -> None:
    """The 年报 column sits inside the 公开目录's 法定主动公开内容 node, and nothing on the way names
    a report; the column page carries the site-wide 要闻 block below its own list."""
    name, place = "东泽市人民政府", "东泽市"
    nav = [("首页", "/"), ("走进东泽", "/zjdz/index.html"), ("政务公开", "/zwgk/index.html"),
           ("政务服务", "https://www.hnzwfw.gov.cn/"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "dz-city-gov", name, place, nav=nav)
    gk, node, col = "/xxgk", "/xxgk/fdzdgknr", "/xxgk/fdzdgknr/ndbg"
    news = news_items(site, "/xwzx/zwyw", NEWS_TITLES, date(2025, 3, 1), "zwyw")
    policy = news_items(site, "/zwgk/zcwj", POLICY_TITLES, date(2025, 2, 20), "zcwj")
    write_news(site, news, "要闻动态")
    write_news(site, policy, "政策文件")
    site.put("/index.html", name, block("要闻动态", ul(news), "/xwzx/zwyw/index.html")
             + block("政策文件", ul(policy), "/zwgk/zcwj/index.html") + home_furniture(site, "/bm/"))
    left = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开", f"{gk}/index.html"), ("政策文件", "/zwgk/zcwj/index.html"), ("政策解读", "/zwgk/zcjd/index.html"),
        ("政府工作报告", "/zwgk/zfgzbg/index.html"), ("统计公报", "/zwgk/tjgb/index.html")))
    site.put("/zwgk/index.html", "政务公开", f'<div class="left"><h3>政务公开</h3><ul>{left}</ul></div>'
             + block("政务公开动态", ul(policy)))
    looks = lookalikes(name, place)
    lookalike_column(site, "/zwgk/zfgzbg/", "政府工作报告", looks["工作报告"], date(2025, 2, 10))
    lookalike_column(site, "/zwgk/tjgb/", "统计公报", looks["统计公报"], date(2025, 2, 10))
    tree = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开指南", f"{gk}/gkzn/index.html"), ("政府信息公开制度", f"{gk}/gkzd/index.html"),
        ("法定主动公开内容", f"{node}/index.html"), ("依申请公开", f"{gk}/ysqgk/index.html"),
        ("信息公开机构", f"{gk}/gkjg/index.html")))
    site.put(f"{gk}/index.html", "政府信息公开", f'<div class="gkml"><h2>{name}信息公开目录</h2><ul>{tree}</ul></div>'
             + block("要闻动态", ul(news)))
    for sub, column, key in (("gkzn", "政府信息公开指南", "指南"), ("gkzd", "政府信息公开制度", "制度")):
        lookalike_column(site, f"{gk}/{sub}/", column, looks[key], date(2025, 2, 10))
    site.put(f"{gk}/gkjg/index.html", "信息公开机构", "<p>东泽市人民政府办公室（政务公开办）。</p>")
    subs = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("机构职能", f"{node}/jgzn/index.html"), ("政策文件", "/zwgk/zcwj/index.html"),
        ("财政预决算", f"{node}/czyjs/index.html"), ("法治政府建设", f"{node}/fzzf/index.html"),
        ("年度报告", f"{col}/index.html"), ("建议提案办理", f"{node}/jyta/index.html")))
    site.put(f"{node}/index.html", "法定主动公开内容",
             f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{gk}/index.html">政府信息公开</a> &gt; 法定主动公开内容</div>'
             f'<ul class="sub">{subs}</ul>' + block("要闻动态", ul(news)))
    lookalike_column(site, f"{node}/czyjs/", "财政预决算", looks["预决算"], date(2025, 2, 10))
    lookalike_column(site, f"{node}/fzzf/", "法治政府建设", looks["法治"], date(2025, 2, 10))
    reports = [Report(2024, "html+pdf"), Report(2023), Report(2022), Report(2021, "docx"), Report(2020), Report(2019)]
    rep_items = report_items(name, reports)
    for it in rep_items:
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    extra = [Item(f"图解：{name}2024年政府信息公开工作年度报告", date(2025, 1, 28), body="一图读懂年度报告要点。"),
             Item(f"{place}2024年度政府信息公开工作年度报告解读", date(2025, 2, 5), body="解读年度报告。")]
    for it in extra:
        it.path = f"{col}/{it.published:%Y%m}/t{it.published:%Y%m%d}_{stable_int(it.title, 7)}.html"
    items = [extra[1], extra[0], *rep_items]
    pages = [items[:5], items[5:]]
    for n, chunk in enumerate(pages):
        lis = "".join(f'<li><a href="{it.path}" title="{html.escape(it.title)}">{html.escape(it.title)}</a>'
                      f'<span>{it.published:%Y-%m-%d}</span></li>' for it in chunk)
        body = (f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{gk}/index.html">政府信息公开</a> &gt; '
                f'<a href="{node}/index.html">法定主动公开内容</a> &gt; 年度报告</div>\n'
                f'<ul class="list">{lis}</ul>\n'
                f'<div class="page">{TRS_PAGER}<script>createPageHTML({len(pages)}, {n}, "index", "html");</script></div>\n'
                + block("要闻动态", ul(news)))
        site.put(f"{col}/{'index.html' if n == 0 else f'index_{n}.html'}", "年度报告", body)
    for r, seed in zip(reports, seeds * 2, strict=False):
        write_report(site, r, seed, "年度报告", f"{col}/{r.item.published:%Y%m}")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "年度报告")
        site.doc(it)
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


# ----------------------------------------------------------------------------- 西河县人民政府 (list by XHR)

XH_LIST = """<ul id="list"></ul><div id="pager"></div>
<script>
function goPage(n) {
  var x = new XMLHttpRequest();
  x.open('GET', '/api/infolist?channel=nb&page=' + n);
  x.onload = function () {
    var d = JSON.parse(x.responseText), h = '', p = '';
    d.records.forEach(function (r) { h += '<li><a href="' + r.url + '" target="_blank">' + r.title + '</a><span>' + r.date + '</span></li>'; });
    document.getElementById('list').innerHTML = h;
    for (var i = 1; i <= d.pages; i++) { p += i == n ? '<span>' + i + '</span> ' : '<a href="javascript:goPage(' + i + ')">' + i + '</a> '; }
    if (n < d.pages) { p += '<a href="javascript:goPage(' + (n + 1) + ')">下一页</a>'; }
    document.getElementById('pager').innerHTML = p;
  };
  x.send();
}
goPage(1);
</script>"""
XH_PER_PAGE = 3


def build_xh(w, seeds: list[Seed]) -> None:
    """The 年报 column's list is fetched by script from a JSON API and paged by javascript:goPage(n):
    its HTML holds no item at all, only the site-wide news block below the empty list."""
    name, place = "西河县人民政府", "西河县"
    nav = [("首页", "/"), ("走进西河", "/zjxh/index.html"), ("政务公开", "/zwgk/index.html"),
           ("政务服务", "https://www.hnzwfw.gov.cn/"), ("互动交流", "/hdjl/index.html")]
    site = HomeSite(w, "xh-county-gov", name, place, nav=nav)
    gk, col = "/zwgk/xxgk", "/zwgk/xxgk/nb"
    news = news_items(site, "/xwzx/xqdt", NEWS_TITLES, date(2025, 3, 1), "xqdt")
    write_news(site, news, "县区动态")
    site.put("/index.html", name, block("县区动态", ul(news), "/xwzx/xqdt/index.html") + home_furniture(site, "/bm/"))
    site.put("/zwgk/index.html", "政务公开", '<div class="left"><h3>政务公开</h3><ul>'
             f'<li><a href="{gk}/index.html">政府信息公开</a></li><li><a href="/zwgk/zcjd/index.html">政策解读</a></li>'
             "</ul></div>" + block("县区动态", ul(news)))
    looks = lookalikes(name, place)
    tree = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (
        ("政府信息公开指南", f"{gk}/gkzn/index.html"), ("政府信息公开制度", f"{gk}/gkzd/index.html"),
        ("政府信息公开年报", f"{col}/index.html"), ("财政预决算", f"{gk}/czyjs/index.html")))
    site.put(f"{gk}/index.html", "政府信息公开", f'<div class="gkml"><h3>政府信息公开目录</h3><ul>{tree}</ul></div>')
    for sub, column, key in (("gkzn", "政府信息公开指南", "指南"), ("gkzd", "政府信息公开制度", "制度"),
                             ("czyjs", "财政预决算", "预决算")):
        lookalike_column(site, f"{gk}/{sub}/", column, looks[key], date(2025, 2, 10))
    reports = [Report(2024), Report(2023, "html+pdf"), Report(2022), Report(2021), Report(2020, "docx"), Report(2019)]
    rep_items = report_items(name, reports)
    for it in rep_items:
        it.path = f"{col}/content_{stable_int(it.title, 5)}.html"
    extra = [Item(f"一图读懂{name}2023年政府信息公开工作年度报告", date(2024, 2, 1), body="一图读懂年度报告要点。"),
             Item(f"{name}办公室关于做好政府信息公开年报编制工作的通知", date(2024, 12, 20), body="请于1月31日前报送。")]
    for it in extra:
        it.path = f"{col}/content_{stable_int(it.title, 5)}.html"
    items = [rep_items[0], extra[1], rep_items[1], extra[0], *rep_items[2:]]
    pages = [items[i:i + XH_PER_PAGE] for i in range(0, len(items), XH_PER_PAGE)]
    for n, chunk in enumerate(pages, start=1):
        records = [{"title": it.title, "url": it.path, "date": f"{it.published:%Y-%m-%d}"} for it in chunk]
        site.put_raw(f"/api/infolist/nb_{n}.json", json.dumps(
            {"page": n, "pages": len(pages), "total": len(items), "records": records}, ensure_ascii=False))
    site.put(f"{col}/index.html", "政府信息公开年报",
             f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{gk}/index.html">政府信息公开</a> &gt; 政府信息公开年报</div>'
             f"<h2>政府信息公开年报</h2>{XH_LIST}" + block("县区动态", ul(news)))
    for r, seed in zip(reports, seeds[1:] * 2, strict=False):
        write_report(site, r, seed, "政府信息公开年报", "/module/download/files")
    for it in extra:
        site.article(it, f"<p>{html.escape(it.body)}</p>", "政府信息公开年报")
        site.doc(it)
    site.put_raw("/robots.txt", "User-agent: *\nDisallow: /admin/\nAllow: /\n")


def build_homes(w, seeds: dict[str, Seed]) -> None:
    ordered = [seeds[k] for k in sorted(seeds)]
    build_liuhe(w, ordered)
    build_yz_edu(w, ordered)
    build_qc(w, ordered)
    build_dz(w, ordered)
    build_xh(w, ordered)


# ----------------------------------------------------------------------------- what a static tree cannot do

def calendar_page(query: str) -> str:
    raw = (parse_qs(query).get("date") or ["2025-03-01"])[0]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = date(2025, 3, 1)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务日历 {day:%Y-%m-%d}</title></head><body>'
            f"<h2>政务日历</h2><p>{day:%Y年%m月%d日}：暂无活动安排。</p>{calendar_links(day)}</body></html>")


def search_page(query: str) -> str:
    q = html.escape((parse_qs(query).get("q") or [""])[0])
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>搜索结果</title></head><body>'
            f'<form action="/search/index.html"><input name="q" value="{q}"></form>'
            f"<p>检索“{q}”：请稍后再试，搜索服务繁忙。</p></body></html>")


def answer(replica, portal, path: str, query: str, headers):
    """Dynamic parts of the home portals (None: serve the static file)."""
    from tests.portal.server import Response

    page_html = [("Content-Type", f"text/html; charset={portal.charset}")]
    from tests.portal.homes8 import HOME8_IDS, answer8

    if portal.id in HOME8_IDS:  # a cookie WAF in front of everything (homes8.py)
        resp = answer8(replica, portal, path, query, headers)
        if resp is not None:
            return resp
    from tests.portal.homes3 import HOME3_IDS, answer3

    if portal.id in HOME3_IDS and not path.startswith(("/search/", CALENDAR_PATH)):
        return answer3(replica, portal, path, query, headers)
    from tests.portal.homes4 import HOME4_IDS, answer4

    if portal.id in HOME4_IDS and not path.startswith(("/search/", CALENDAR_PATH)):
        return answer4(replica, portal, path, query, headers)
    from tests.portal.homes5 import HOME5_IDS, answer5

    if portal.id in HOME5_IDS and not path.startswith(("/search/", CALENDAR_PATH)):
        resp = answer5(replica, portal, path, query, headers)
        if resp is not None:
            return resp
    from tests.portal.homes7 import HOME7_IDS, answer7

    if portal.id in HOME7_IDS and not path.startswith(("/search/", CALENDAR_PATH)):
        resp = answer7(replica, portal, path, query, headers)
        if resp is not None:
            return resp
    if path == CALENDAR_PATH:
        return Response(200, calendar_page(query).encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
    if path.startswith("/search/"):
        return Response(200, search_page(query).encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
    if path == "/module/download/downfile.jsp":
        filename = (parse_qs(query).get("filename") or [""])[0]
        if "/" in filename or not filename:
            return Response(404, b"", page_html)
        return replica.static(portal, f"/attach/{filename}", headers)
    params = parse_qs(query)
    if path == "/api/infolist":  # the JSON API a script-built list reads (xh-county-gov)
        channel, page = (params.get("channel") or [""])[0], (params.get("page") or ["1"])[0]
        if not (channel.isalnum() and page.isdigit()):
            return Response(400, b"", page_html)
        return replica.static(portal, f"/api/infolist/{channel}_{int(page)}.json", headers)
    number = (params.get("page") or params.get("pageNum") or [None])[0]
    if number and number.isdigit() and int(number) > 1 and (path.endswith("/") or path.endswith("/index.html")):
        return replica.static(portal, path.rsplit("/", 1)[0] + f"/index_{int(number)}.html", headers)
    return None
