"""The replica portals: who publishes, on which CMS family, where the list starts.

Ids double as registry ids in the sources YAML.  Shared by the builder (what
to write), the server (encoding, dynamic parts) and write_sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    family: str  # trs | hanweb | shandong | generic
    level: str
    kind: str
    region: dict
    start_path: str
    real_host: str  # the host the replica imitates (documentation only)
    charset: str = "utf-8"
    overrides: dict = field(default_factory=dict)
    fault: bool = False
    home: bool = False  # entered at its home page; started only by Replica.start(homes=True) (homes.py)
    host: str = "127.0.0.1"  # the loopback address it is served on (a sibling host needs its own)
    part_of: str = ""  # a sibling host of this portal id: no registry entry, its host joins that entry's allowed_domains


HANWEB_COLUMN = "1533"
HANWEB_UNIT = "378901"
HANWEB_PERPAGE = 15

SD_LIAOCHENG = ("lcsgaj", "5f9a3c2e0b1d4a7c8e6f1a2b")
SD_CHANGLE = ("clxgaj", "5fa1b2c3d4e5f60718293a4b")

PORTALS: list[Portal] = [
    Portal(
        id="sd-liaocheng-gov", name="聊城市人民政府", family="trs", level="city", kind="government",
        region={"province": "山东省", "city": "聊城市", "county": None},
        start_path="/zwgk/zfxxgknb/index.html", real_host="www.liaocheng.gov.cn",
    ),
    Portal(
        id="sd-liaocheng-police", name="聊城市公安局", family="shandong", level="city", kind="department",
        region={"province": "山东省", "city": "聊城市", "county": None},
        start_path=f"/gongkai/site_{SD_LIAOCHENG[0]}/channel_{SD_LIAOCHENG[1]}/", real_host="www.liaocheng.gov.cn",
    ),
    Portal(
        id="sd-zibo-police", name="淄博市公安局", family="hanweb", level="city", kind="department",
        region={"province": "山东省", "city": "淄博市", "county": None},
        start_path=f"/col/col{HANWEB_COLUMN}/index.html", real_host="gaj.zibo.gov.cn",
        overrides={"hanweb": {"columnid": HANWEB_COLUMN, "unitid": HANWEB_UNIT, "webid": "1", "path": "/",
                              "perpage": HANWEB_PERPAGE}},
    ),
    Portal(
        id="sd-changle-police", name="昌乐县公安局", family="shandong", level="county", kind="department",
        region={"province": "山东省", "city": "潍坊市", "county": "昌乐县"},
        start_path=f"/gongkai/site_{SD_CHANGLE[0]}/channel_{SD_CHANGLE[1]}/", real_host="www.changle.gov.cn",
    ),
    Portal(
        id="ha-zhoukou-police", name="周口市公安局", family="generic", level="city", kind="department",
        region={"province": "河南省", "city": "周口市", "county": None},
        start_path="/zwgk/xxgknb/index.html", real_host="gaj.zhoukou.gov.cn", charset="GBK",
    ),
    Portal(
        id="faults", name="青石县人民政府", family="generic", level="county", kind="government",
        region={"province": "山东省", "city": "聊城市", "county": "青石县"},
        start_path="/nianbao/index.html", real_host="www.qingshi.example", fault=True,
    ),
    # home-page portals (tests/portal/homes.py): fictional bodies, layouts modelled on real portals
    Portal(
        id="ha-liuhe-gov", name="柳河县人民政府", family="generic", level="county", kind="government",
        region={"province": "河南省", "city": "周口市", "county": "柳河县"},
        start_path="/", real_host="www.liuhe.example", charset="GBK", home=True,
    ),
    Portal(
        id="yz-edu", name="沂州市教育局", family="generic", level="city", kind="department",
        region={"province": "河南省", "city": "沂州市", "county": None},
        start_path="/sjyj/", real_host="www.yizhou.example", home=True,
    ),
    Portal(
        id="qc-district", name="清川区人民政府", family="generic", level="county", kind="government",
        region={"province": "河南省", "city": "周口市", "county": "清川区"},
        start_path="/", real_host="www.qingchuan.example", home=True,
    ),
    Portal(
        id="dz-city-gov", name="东泽市人民政府", family="generic", level="city", kind="government",
        region={"province": "河南省", "city": "东泽市", "county": None},
        start_path="/", real_host="www.dongze.example", home=True,
    ),
    Portal(
        id="xh-county-gov", name="西河县人民政府", family="generic", level="county", kind="government",
        region={"province": "河南省", "city": "周口市", "county": "西河县"},
        start_path="/", real_host="www.xihe.example", home=True,
    ),
    # more home-page portals (tests/portal/homes2.py)
    Portal(
        id="nh-prov-gov", name="南湖省人民政府", family="generic", level="province", kind="government",
        region={"province": "南湖省", "city": None, "county": None},
        start_path="/", real_host="www.nanhu.example", home=True,
    ),
    Portal(
        id="lc-county-gov", name="澜川县人民政府", family="generic", level="county", kind="government",
        region={"province": "河南省", "city": "周口市", "county": "澜川县"},
        start_path="/", real_host="www.lanchuan.example", charset="GBK", home=True,
    ),
    # more home-page portals (tests/portal/homes3.py)
    Portal(
        id="hs-slt", name="海山省水利厅", family="generic", level="province", kind="department",
        region={"province": "海山省", "city": None, "county": None},
        start_path="/", real_host="slt.haishan.example", home=True,
    ),
    Portal(
        id="jx-county-gov", name="静溪县人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "静溪县"},
        start_path="/", real_host="www.jingxi.example", home=True,
    ),
    Portal(
        id="jx-xxgk", name="静溪县人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "静溪县"},
        start_path="/", real_host="xxgk.jingxi.example", home=True, host="127.0.0.2", part_of="jx-county-gov",
    ),
    Portal(
        id="yq-county-gov", name="玉泉县人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "玉泉县"},
        start_path="/", real_host="www.yuquan.example", home=True,
    ),
    # a Java CMS township site (tests/portal/homes4.py)
    Portal(
        id="jt-town-gov", name="金塘镇人民政府", family="generic", level="township", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "玉泉县"},
        start_path="/", real_host="www.jintang.example", home=True,
    ),
    # a district site whose links open through script and whose older 年报 come by a POST form (homes5.py)
    Portal(
        id="hx-district-gov", name="河西区人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "河西区"},
        start_path="/", real_host="www.hexi.example", home=True,
    ),
    # a district site whose report pages frame their report (iframe src/srcdoc, embed, object; homes6.py)
    Portal(
        id="mq-district-gov", name="明桥区人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "明桥区"},
        start_path="/", real_host="www.mingqiao.example", home=True,
    ),
    # a county site reached through script redirects, whose 年报 list loads by XHR on scroll and whose
    # reports are split over pages or served under the wrong Content-Type (homes7.py)
    Portal(
        id="qt-county-gov", name="青潭县人民政府", family="generic", level="county", kind="government",
        region={"province": "海山省", "city": "临江市", "county": "青潭县"},
        start_path="/", real_host="www.qingtan.example", home=True,
    ),
    # a provincial platform behind a cookie WAF whose hub holds departments' columns, one of them an
    # entry of its own and one answering 403 (homes8.py; its own host, so its cookie stays its own)
    Portal(
        id="lb-prov-gov", name="岭北省人民政府", family="generic", level="province", kind="government",
        region={"province": "岭北省", "city": None, "county": None},
        start_path="/", real_host="www.lingbei.example", home=True, host="127.0.0.3",
    ),
]

BY_ID = {p.id: p for p in PORTALS}
