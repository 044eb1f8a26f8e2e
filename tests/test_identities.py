"""Accounting identities: broken ones are reported, printed numbers are never changed."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from parsers import parse_text
from parsers.identities import check_carry_over, check_narrative, check_record, place_lost_cell
from parsers.template import APPLICANT_COLS, REVIEW_COLS, REVIEW_GROUPS, ROWS_2019, ROWS_2021

FIXTURES = Path(__file__).parent / "fixtures"


def _parse(rel: str):
    return parse_text((FIXTURES / rel).read_text(encoding="utf-8"))


def _codes(findings, identity=None):
    return [(f["identity"], f["code"]) for f in findings if identity is None or f["identity"] == identity]


def _consistent_record(rows=ROWS_2021) -> dict:
    """A small report whose tables satisfy every identity."""
    apps = {r: dict.fromkeys(APPLICANT_COLS, 0) for r in rows}
    apps["new_received"].update(natural_person=9, commercial=1, total=10)
    apps["carried_over"].update(natural_person=2, total=2)
    apps["granted"].update(natural_person=5, total=5)
    other = "other_total" if "other_total" in rows else "other_other"
    apps[other].update(natural_person=1, total=1)
    apps["unavailable_not_held"].update(natural_person=3, commercial=1, total=4)
    apps["total_processed"].update(natural_person=9, commercial=1, total=10)
    apps["carried_forward"].update(natural_person=2, total=2)
    reviews = {g: dict.fromkeys(REVIEW_COLS, 0) for g in REVIEW_GROUPS}
    reviews["review"].update(upheld=1, pending=1, total=2)
    return {
        "agency": "某县人民政府",
        "year": 2023,
        "template": "2021",
        "applications": apps,
        "reviews_litigation": reviews,
    }


def test_consistent_record_has_no_findings():
    assert check_record(_consistent_record()) == []
    assert check_record(_consistent_record(ROWS_2019)) == []


def test_seed_003_review_total_broken_is_reported_and_kept():
    result = _parse("seeds/003_cdec267326b5e6a9.txt")
    review = result.record["reviews_litigation"]["review"]
    assert (review["upheld"], review["total"]) == (1, 0)  # printed numbers stay as printed
    found = [f for f in result.findings if f["code"] == "review_sum"]
    assert len(found) == 1
    assert found[0]["identity"] == "4"
    assert found[0]["printed"] == 0 and found[0]["implied"] == 1
    assert "reviews_litigation.review.total" in found[0]["cells"]
    assert "行政复议" in found[0]["message"]


def test_seed_000_narrative_disagrees_with_table():
    result = _parse("seeds/000_8ed2ea85f6f5d4e7.txt")
    narrative = {f["message"]: f for f in result.findings if f["identity"] == "6"}
    granted = [f for f in narrative.values() if f["cells"] == ["applications.granted.total"]]
    assert len(granted) == 1 and (granted[0]["printed"], granted[0]["implied"]) == (2, 3)
    denied = [f for f in narrative.values() if "applications.denied_state_secret.total" in f["cells"]]
    assert len(denied) == 1 and (denied[0]["printed"], denied[0]["implied"]) == (31, 1)
    assert len(denied[0]["cells"]) == 8  # 不予公开 is the sum of the eight denied rows
    # "共收到政府信息公开申请36件" and "无…行政复议和行政诉讼" agree with the tables
    assert len(narrative) == 2
    assert result.record["applications"]["granted"]["total"] == 3


def test_seed_003_narrative_review_count():
    result = _parse("seeds/003_cdec267326b5e6a9.txt")
    said = [f for f in result.findings if f["identity"] == "6"]
    assert [(f["printed"], f["implied"]) for f in said] == [(1, 0)]
    assert said[0]["cells"] == ["reviews_litigation.review.total"]


@pytest.mark.parametrize("seed", ["seeds/002_8436bc073596ce4a.txt", "seeds/004_6499a65bdb56769d.txt"])
def test_clean_seeds_have_no_findings(seed):
    assert _parse(seed).findings == []


@pytest.mark.parametrize("seed", ["seeds/001_def4f50e650d16ba.txt", "seeds/003_cdec267326b5e6a9.txt"])
def test_lost_cell_in_carried_forward_is_inferred_and_marked(seed):
    result = _parse(seed)
    inferred = [c for c in result.cells if c["inferred"]]
    assert len(inferred) == 1
    cell = inferred[0]
    assert (cell["table"], cell["row"]) == ("applications", "carried_forward")
    assert cell["raw"] is None and cell["value"] == 0
    note = [f for f in result.findings if f["code"] == "inferred"]
    assert len(note) == 1 and note[0]["cells"] == [f"applications.carried_forward.{cell['col']}"]
    # printed cells of that row keep their printed text
    printed = [c for c in result.cells if c["row"] == "carried_forward" and not c["inferred"]]
    assert all(c["raw"] is not None for c in printed)


def test_lost_cell_placed_by_identities_not_by_position():
    apps = _consistent_record()["applications"]
    truth = dict(apps["carried_forward"])
    apps["carried_forward"] = dict.fromkeys(APPLICANT_COLS)
    printed = [2, 0, 0, 0, 0, 2]  # 6 of [2, 0, 0, 0, 0, 0, 2]; commercial/research/... all 0
    full, where, notes = place_lost_cell(apps, "carried_forward", printed)
    assert full == [truth[c] for c in APPLICANT_COLS]
    assert where is not None and notes[0]["code"] == "inferred"

    apps = _consistent_record()["applications"]
    apps["new_received"] = dict.fromkeys(APPLICANT_COLS)
    full, where, _ = place_lost_cell(apps, "new_received", [9, 0, 0, 0, 0, 10])  # commercial 1 lost
    assert full == [9, 1, 0, 0, 0, 0, 10] and APPLICANT_COLS[where] == "commercial"


def test_ambiguous_lost_cell_is_not_filled():
    apps = _consistent_record()["applications"]
    for r in apps:  # nothing else constrains the row
        apps[r] = dict.fromkeys(APPLICANT_COLS)
    # [1, x, 0, 0, 0, 0, 1] with x=0 and [1, 0, 0, 0, 0, 1, x] with x=2 both satisfy the row sum
    full, where, notes = place_lost_cell(apps, "granted", [1, 0, 0, 0, 0, 1])
    assert where is None
    # the reader must know why the printed row is (partly) null: a layout finding on those cells
    assert (notes[0]["identity"], notes[0]["code"]) == ("layout", "row_unplaced")
    assert None in full
    assert notes[0]["cells"] == [f"applications.granted.{c}" for c, v in zip(APPLICANT_COLS, full, strict=True)
                                 if v is None]


def test_balance_row_sum_outcome_and_review_identities():
    rec = _consistent_record()
    rec["applications"]["carried_forward"]["natural_person"] = 3  # breaks 1 (and 2 for that row)
    rec["applications"]["granted"]["total"] = 6  # breaks 2 and 3 (total column)
    rec["reviews_litigation"]["litigation_direct"].update(corrected=1, total=2)  # breaks 4
    codes = _codes(check_record(rec))
    assert ("1", "balance") in codes
    assert ("2", "row_sum") in codes
    assert ("3", "outcome_sum") in codes
    assert ("4", "review_sum") in codes
    balance = next(f for f in check_record(rec) if f["code"] == "balance")
    assert balance["cells"][0] == "applications.new_received.natural_person"
    assert (balance["printed"], balance["implied"]) == (12, 11)


def test_outcome_sum_uses_other_total_when_only_it_is_given():
    rec = _consistent_record(ROWS_2019)
    assert check_record(rec) == []
    rec["applications"]["other_total"]["natural_person"] = 4
    rec["applications"]["other_total"]["total"] = 4
    found = [f for f in check_record(rec) if f["code"] == "outcome_sum"]
    assert {f["cells"][0] for f in found} == {
        "applications.total_processed.natural_person",
        "applications.total_processed.total",
    }
    assert all(
        "applications.other_total.total" in f["cells"] or "natural_person" in f["cells"][0] for f in found
    )


def test_null_cells_are_not_checked_as_zero():
    rec = _consistent_record()
    rec["applications"]["granted"]["total"] = None
    rec["applications"]["carried_over"]["natural_person"] = None
    assert check_record(rec) == []


def test_carry_over_across_years():
    prev, cur = _consistent_record(), _consistent_record()
    prev["year"], cur["year"] = 2022, 2023
    assert check_carry_over(prev, cur) == []  # 2 carried forward, 2 carried over
    cur["applications"]["carried_over"].update(natural_person=5, total=5)
    found = check_carry_over(prev, cur)
    assert {f["cells"][0] for f in found} == {
        "applications.carried_over.natural_person",
        "applications.carried_over.total",
    }
    f = next(x for x in found if x["cells"][0].endswith("total"))
    assert (f["identity"], f["code"], f["printed"], f["implied"]) == ("5", "carry_over", 5, 2)
    assert "2022" in f["message"] and "2023" in f["message"]


def test_narrative_numbers_and_zero_claims():
    rec = _consistent_record()
    ok = "全年共收到政府信息公开申请10件，予以公开5件，无法提供4件，其他处理1件。发生行政复议2件，未发生行政诉讼。"
    assert check_narrative(ok, rec) == []
    bad = "全年共收到政府信息公开申请13件，予以公开“6”件。本年度无政府信息公开行政复议案件。"
    found = check_narrative(bad, rec)
    pairs = sorted((f["printed"], f["implied"]) for f in found)
    assert pairs == [(0, 2), (6, 5), (13, 10)]
    assert all(f["identity"] == "6" and f["code"] == "narrative" for f in found)


def test_table_findings_of_the_onecell_fixture():
    result = _parse("text/pdf_onecell_2023.txt")
    codes = _codes(result.findings)
    assert ("2", "row_sum") in codes  # 予以公开 3+1 printed with 总计 5
    assert ("3", "outcome_sum") in codes  # outcomes add up to 10, 总计 says 9
    assert ("6", "narrative") in codes  # text says 予以公开4件
    assert result.record["applications"]["granted"]["total"] == 5


def test_lost_table4_cell_inferred():
    result = _parse("text/plain_2019.txt")
    inferred = [c for c in result.cells if c["inferred"]]
    assert [(c["table"], c["row"], c["col"], c["value"]) for c in inferred] == [
        ("reviews_litigation", "review", "total", 3)
    ]
    assert _codes(result.findings) == [("4", "inferred")]


def test_findings_never_modify_record():
    result = _parse("seeds/000_8ed2ea85f6f5d4e7.txt")
    before = copy.deepcopy(result.record)
    check_record(result.record)
    check_narrative(result.record["sections"]["overview"], result.record)
    assert result.record == before


def test_narrative_wording_that_is_not_a_disagreement():
    rec = _consistent_record()  # 10 new + 2 carried over, review total 2
    texts = [
        "共收到政府信息公开申请12件（含上年结转2件），均已办结。",  # N includes carried-over
        "本年度新收申请10件，2件尚未审结的行政复议案件正在办理。",  # 尚未审结 is not "no review"
        "主动公开政府信息235件，依申请公开办理情况良好。",  # 主动公开 is not 予以公开
        "予以公开的5件均在法定期限内答复。",  # no figure right after the keyword
    ]
    for text in texts:
        assert check_narrative(text, rec) == [], text
    found = check_narrative("共收到政府信息公开申请15件（含上年结转2件）。", rec)
    assert [(f["printed"], f["implied"]) for f in found] == [(15, 12)]
    assert found[0]["cells"] == ["applications.new_received.total", "applications.carried_over.total"]


def test_narrative_claims_about_some_cases_or_another_year_are_not_counts():
    rec = _consistent_record()  # 10 new + 2 carried over, review total 2, litigation 0
    for text in [
        "所有申请均在法定期限内答复，未发生因答复超期引发的行政复议。",  # a cause narrows the claim
        "未发生涉及征地拆迁方面的行政复议。",
        "其中因不予公开引发的行政复议1件。",
        "上年发生行政复议5件。",  # last year's figure
        "与上年相比，新收申请增加12件；上年新收申请56件。",
        "本年度新收申请10件，去年同期予以公开30件。",
    ]:
        assert check_narrative(text, rec) == [], text
    # a qualifier naming disclosure itself keeps the whole count of table 4
    for text in ["未发生因政府信息公开引发的行政复议。", "本年度没有政府信息公开行政复议案件。",
                 "未发生因政府信息公开申请提起的行政复议。"]:
        found = check_narrative(text, rec)
        assert [(f["printed"], f["implied"]) for f in found] == [(0, 2)], text


def test_narrative_new_requests_are_not_checked_against_other_quantities():
    """With 本年新收 not read from the table, a figure it names is not compared with 总计 or the sum."""
    rec = _consistent_record()
    rec["applications"]["new_received"]["total"] = None
    assert check_narrative("本年度共新收政府信息公开申请9件。", rec) == []
    found = check_narrative("共收到政府信息公开申请15件（含上年结转2件）。", _consistent_record())
    assert [(f["printed"], f["implied"]) for f in found] == [(15, 12)]


def test_narrative_about_one_topic_is_not_compared_with_table_totals():
    rec = _consistent_record()  # 10 new + 2 carried over, 予以公开 5
    topical = [
        "从申请内容看，涉及征地拆迁的6件，其中予以公开2件；涉及规划建设的3件。",
        "全年收到申请10件，其中征地拆迁类6件，予以公开3件。",
        "收到涉及征地拆迁的申请6件。",
    ]
    for text in topical:
        assert check_narrative(text, rec) == [], text
    # the year's figures stay checked, in the same paragraph and after a breakdown in brackets
    mixed = (
        "全年共收到申请10件（涉及征地拆迁的6件），予以公开4件。从申请内容看，涉及规划的3件，其中予以公开1件。"
    )
    found = check_narrative(mixed, rec)
    assert [(f["printed"], f["implied"]) for f in found] == [(4, 5)]
    assert check_narrative("全年共受理各类申请13件。", rec)[0]["implied"] == 10


def test_fixture_with_topic_breakdown_has_no_narrative_finding():
    result = _parse("text/self_named_agency_2022.txt")  # "涉及征地拆迁的7件，其中予以公开3件" (table: 5)
    assert [f for f in result.findings if f["code"] == "narrative"] == []
    assert result.record["agency"] == "莘县人民政府"  # the report's own words, not "来源：县政府办"


def test_bare_gongkai_in_an_outcome_list_is_granted():
    """"其中公开N件、部分公开M件" names the granted outcome; 公开 elsewhere (主动公开, 公开申请, a topic) does not."""
    rec = _consistent_record()  # granted total 5
    found = check_narrative("全年办结10件，其中公开7件、部分公开0件。", rec)
    assert [(f["printed"], f["implied"]) for f in found] == [(7, 5)]
    assert found[0]["cells"] == ["applications.granted.total"]
    assert check_narrative("全年办结10件，部分公开0件，公开5件。", rec) == []
    for text in [
        "主动公开政府信息7件，不予公开0件。",
        "收到公开申请10件。",  # the new-received figure (10), not 予以公开
        "公开7件政策文件、部分公开0件。",
        "其中公开7件。另有部分公开0件。",
        "涉及征地拆迁类申请7件，其中公开7件、部分公开0件。",
    ]:
        assert check_narrative(text, rec) == [], text


def test_narrative_about_how_cases_ended_or_a_cause_is_not_their_count():
    """被纠错/败诉 speaks of the cases' outcome, 因答复超期 of a cause: neither is table 4's total,
    whoever (本机关) the sentence names."""
    rec = _consistent_record()  # review total 2
    rec["reviews_litigation"]["litigation_direct"].update(pending=1, total=1)
    for text in [
        "本机关因答复超期被申请行政复议1件。",
        "其中因政府信息公开被申请行政复议2件，未出现行政复议被纠错的情况。",
        "未出现行政复议纠错情况，行政诉讼1件。",
        "无行政复议被纠错案件，行政诉讼1件。",
        "本年度本机关作为被申请人的行政复议案件2件，没有行政诉讼败诉的情况。",
        "全年无政府信息公开行政诉讼败诉案件。",
        "全年收到申请10件，同期办结10件，未发生行政诉讼败诉。",
        "未发生行政复议被撤销或确认违法的情况。",
    ]:
        assert check_narrative(text, rec) == [], text
    # a plain none or count about the whole year is still compared
    for text, printed in [("全年未发生因政府信息公开引发的行政复议。", 0), ("本年度发生行政复议3件，行政诉讼1件。", 3)]:
        found = check_narrative(text, rec)
        assert [(f["printed"], f["implied"]) for f in found] == [(printed, 2)], text


def _pairs(text: str, rec: dict | None = None) -> list[tuple]:
    return [(f["printed"], f["implied"]) for f in check_narrative(text, rec or _consistent_record())]


def test_narrative_of_another_year_is_no_claim():
    """Last year's figures quoted before this year's (report for 2023): none is this report's claim;
    a comparison (较2022年) reaches only its own clause."""
    for text in [
        "2022年度报告显示，2022年共收到政府信息公开申请56件、予以公开30件，发生行政复议9件。",
        "上年共收到申请56件，予以公开30件。",
        "２０２２年共收到申请56件，予以公开30件。",  # full-width year
        "二〇二二年，共收到政府信息公开申请五十六件。",
        "自2019年以来累计收到申请300件。",
    ]:
        assert _pairs(text) == [], text
    assert _pairs("2022年共收到申请56件。2023年共收到申请10件，予以公开6件。") == [(6, 5)]
    assert _pairs("本年度新收申请10件，较2022年增加3件，予以公开6件。") == [(6, 5)]
    assert _pairs("上年共收到申请56件；本年共收到申请11件。") == [(11, 10)]
    # a year naming a document's version or a law's revision is no scope
    assert _pairs("按照2021年版年报格式，共收到申请11件。") == [(11, 10)]
    assert _pairs("贯彻2019年修订的《条例》，全年共收到申请11件。") == [(11, 10)]


def test_every_mention_of_a_figure_is_checked():
    text = "全年共收到政府信息公开申请10件，予以公开5件。（四）平台建设。本年新收政府信息公开申请11件均网上登记。"
    assert _pairs(text) == [(11, 10)]
    # the same wrong figure printed twice is one finding
    assert _pairs("全年予以公开6件。其中予以公开6件均按时答复。") == [(6, 5)]


def test_counts_in_chinese_numerals_and_with_thousands_separators():
    assert _pairs("全年共收到政府信息公开申请十一件，予以公开五件。") == [(11, 10)]
    big = _consistent_record()
    for row in ("new_received", "total_processed"):
        big["applications"][row].update(natural_person=1009, total=1010)
    big["applications"]["granted"].update(natural_person=1005, total=1005)
    big["applications"]["carried_forward"].update(natural_person=2, total=2)
    assert _pairs("全年共收到申请1,010件，予以公开1，005件。", big) == []
    assert _pairs("全年共收到申请1,100件，予以公开1，005件。", big) == [(1100, 1010)]
    # rough figures are no claim: 数十件, 三五件, 近百件, 一件一档, 第一件
    for text in ["全年收到申请数十件。", "收到申请三五件。", "收到申请近10件。", "收到的申请做到一件一档。",
                 "收到申请第一件即予以答复。", "收到申请12件左右。", "每月收到申请十至十五件。"]:
        assert _pairs(text) == [], text


def test_applicant_split_of_new_requests():
    """"其中自然人申请N件、法人或其他组织申请M件" right after the received figure: checked against the
    rows that figure counts (新收, or 新收+上年结转 when it says 含上年结转)."""
    assert _pairs("共收到申请10件，其中自然人申请9件、法人或其他组织申请1件。") == []
    found = check_narrative("共收到申请10件，其中自然人申请9件、法人或其他组织申请2件。", _consistent_record())
    assert [(f["printed"], f["implied"]) for f in found] == [(2, 1)]
    assert found[0]["cells"] == [f"applications.new_received.{c}" for c in APPLICANT_COLS[1:-1]]
    assert _pairs("共收到申请12件（含上年结转2件），其中自然人申请11件、法人或其他组织申请1件。") == []
    found = check_narrative("共收到申请12件（含上年结转2件），其中自然人申请10件。", _consistent_record())
    assert [(f["printed"], f["implied"], f["cells"]) for f in found] == [
        (10, 11, ["applications.new_received.natural_person", "applications.carried_over.natural_person"])
    ]
    # a split of something else (an outcome) is not the applicants of 新收
    assert _pairs("全年共收到申请10件。予以公开5件，其中自然人3件。") == []


def test_documents_and_the_body_as_review_organ_are_not_table_figures():
    for text in [
        "对存量文件开展公开属性认定，予以公开120件、不予公开5件。",
        "区政府作为复议机关，全年共办理行政复议案件156件，其中被纠错11件。",
        "全年发生政府信息公开行政复议2件。本机关办理行政复议案件40件。",
        "全区共收到申请10件，其中区政府办公室收到申请4件，区自然资源局收到6件；予以公开5件。",
        "全区共收到申请10件，其中各镇街予以公开3件。",
        "全年受理12345热线工单4521件，办结4500件；办理人大代表建议45件、政协提案61件，办结106件。",
    ]:
        assert _pairs(text) == [], text


def test_carried_over_and_processed_figures():
    """上年结转N件 is table 3's 二 (not another year); 办结N件 its 三（七）总计."""
    assert _pairs("全年共收到申请10件，上年结转2件，全年办结10件，办结率100%。") == []
    assert _pairs("共收到申请12件（含上年结转2件），均已办结。") == []
    found = check_narrative("全年共收到申请10件，上年结转3件，全年办结11件。", _consistent_record())
    assert [(f["cells"], f["printed"], f["implied"]) for f in found] == [
        (["applications.carried_over.total"], 3, 2),
        (["applications.total_processed.total"], 11, 10),
    ]


def test_narrative_table2_figures_follow_the_templates_columns():
    """Section 一's 制发/公开 counts name table 二's columns of the report's own template: 本年制发 (2021),
    本年新制作 and 本年新公开 (2019), where 公开 is a column of its own."""
    rec = _consistent_record()
    rec["active_disclosure"] = {"normative_documents": {"issued": 5, "repealed": 1, "in_force": 80}}
    found = check_narrative("本年度制发规范性文件6件，废止1件，现行有效80件。", rec)
    assert [(f["cells"], f["printed"], f["implied"]) for f in found] == [
        (["active_disclosure.normative_documents.issued"], 6, 5)]
    assert "制发规范性文件6件" in found[0]["message"] and "表格为5件" in found[0]["message"]
    rec = _consistent_record(ROWS_2019)
    rec["template"] = "2019"
    rec["active_disclosure"] = {"normative_documents": {"made": 5, "published": 4, "total_public": 100}}
    assert check_narrative("本年新制作规范性文件5件，主动公开规范性文件4件。", rec) == []
    found = check_narrative("全年制发规范性文件5件，公开规范性文件7件；现行有效规范性文件90件。", rec)
    assert [(f["cells"], f["printed"], f["implied"]) for f in found] == [
        (["active_disclosure.normative_documents.published"], 7, 4)]  # 现行有效: no such 2019 column


def test_applications_of_another_procedure_are_not_disclosure_requests():
    """A government receiving 行政复议 (or 许可) applications is the body deciding them: neither its
    disclosure requests (table 三's 新收) nor the reviews of its own disclosure (table 四)."""
    for text in [
        "区政府全年共收到行政复议申请45件，依法受理40件。本机关因政府信息公开被申请行政复议2件。",
        "县政府依法受理行政复议申请38件，审结35件。",
        "市政府本年度接到行政复议申请120件，已全部办结。",
        "全年共收到行政许可申请1200件，受理政府信息公开申请10件。",
        "作为复议机关，共接收行政复议申请96件；发生政府信息公开行政复议2件。",
    ]:
        assert _pairs(text) == [], text
    # the body's own figures beside its caseload as reviewer are still checked
    assert _pairs("区政府全年收到行政复议申请45件。本机关因政府信息公开被申请行政复议3件。") == [(3, 2)]
    assert _pairs("收到行政复议申请45件，另收到政府信息公开申请13件。") == [(13, 10)]


def test_one_count_of_joined_outcomes_is_their_sum():
    """"予以公开和部分公开27件" counts both outcomes: compared with their sum, never with the last one."""
    rec = _consistent_record()  # granted 5, partially 0, unavailable 4, other 1
    for text in ["全年予以公开和部分公开5件。", "予以公开、部分公开5件，占50%。", "部分公开与予以公开5件。",
                 "无法提供及其他处理5件。", "收到申请10件，予以公开和部分公开5件，无法提供4件。"]:
        assert _pairs(text, rec) == [], text
    found = check_narrative("收到申请10件，予以公开和部分公开6件。", rec)
    assert [(f["printed"], f["implied"], f["cells"]) for f in found] == [
        (6, 5, ["applications.granted.total", "applications.partially_granted.total"])]
    assert "予以公开和部分公开6件" in found[0]["message"]
    assert _pairs("全年予以公开和部分公开6件。", rec) == [(6, 5)]
    assert _pairs("依申请公开和部分公开5件。", rec) == []  # something else joined: no row to name
    # an enumeration gives each outcome its own count
    assert _pairs("其中予以公开5件、部分公开1件。", rec) == [(1, 0)]
    assert _pairs("其中予以公开5件和部分公开1件。", rec) == [(1, 0)]
    assert _pairs("平均答复用时5天、部分公开1件。", rec) == [(1, 0)]
    assert _pairs("予以公开占50%、部分公开1件。", rec) == [(1, 0)]


def _with_two_unavailable_rows() -> dict:
    rec = _consistent_record()  # 无法提供: 本机关不掌握 4, 需另行制作 2 (group 6)
    apps = rec["applications"]
    apps["unavailable_needs_creation"].update(natural_person=2, total=2)
    for row in ("new_received", "total_processed"):
        apps[row].update(natural_person=apps[row]["natural_person"] + 2, total=apps[row]["total"] + 2)
    return rec


def test_a_reason_names_a_sub_row_not_its_group():
    rec = _with_two_unavailable_rows()
    assert check_record(rec) == []
    for text in [
        "其中因本机关不掌握相关政府信息无法提供4件。",
        "因没有现成信息需要另行制作无法提供2件。",
        "收到申请12件，无法提供6件，其中本机关不掌握相关信息的无法提供4件。",
        "因信息不存在等原因无法提供5件。",  # several reasons: a part of the group no row names
        "因申请内容不明确无法提供1件。",  # a reason the template's rows do not name
    ]:
        assert _pairs(text, rec) == [], text
    found = check_narrative("其中因本机关不掌握相关政府信息无法提供3件。", rec)
    assert [(f["printed"], f["implied"], f["cells"]) for f in found] == [
        (3, 4, ["applications.unavailable_not_held.total"])]
    assert "不掌握相关政府信息无法提供3件" in found[0]["message"]
    assert _pairs("全年无法提供4件。", rec) == [(4, 6)]  # the group's own count is still checked


def test_a_regions_figure_with_the_bodys_own_inside_it():
    """"全县…312件，其中县政府本级56件": the body's own count is the claim; a table of either scope
    agrees with the sentence."""
    for text in [
        "全县各级行政机关共收到政府信息公开申请312件，其中县政府本级收到10件，已全部办结。",
        "全市共受理申请300件，其中市政府本级10件。",
        "全区各部门共收到申请10件，其中区政府本级收到3件。",  # the table counts the whole district
        "全县予以公开100件，其中本级予以公开5件。",
        "全县共收到申请312件，县政府本级10件。",
        "全县政府系统共收到申请500件，其中县政府本级10件。",
        "全市各级行政机关共受理政府信息公开申请312件（其中市政府本级10件）。",
        "全区各部门共收到政府信息公开申请312件。其中，区政府本级收到10件。",
    ]:
        assert _pairs(text) == [], text
    assert _pairs("全县共收到政府信息公开申请312件，其中本级收到11件。") == [(11, 10)]
    # without a 本级 figure the region's count is still the region's: the county government's table
    # counts its own office, so 312 accuses no one (a 本级 count of something else changes nothing)
    assert _pairs("全县共收到政府信息公开申请312件。") == []
    assert _pairs("全市共收到申请312件。本级予以公开5件。") == []
    # the body's own count in a sentence of its own, or after the region's words, is its claim
    assert _pairs("全县共收到政府信息公开申请312件。本机关共收到申请11件。") == [(11, 10)]
    assert _pairs("按照全省统一部署，本局共收到政府信息公开申请11件。") == [(11, 10)]


def test_xinshou_names_new_requests_only():
    """新收 is 本年新收 by name; 收到/受理 may count what was carried over too (56 + 2 = 58)."""
    assert _pairs("本年度新收政府信息公开申请12件。") == [(12, 10)]
    assert _pairs("本年度新收到政府信息公开申请12件。") == [(12, 10)]
    for text in ["全年共收到政府信息公开申请12件。", "全年共受理申请12件，均已按时答复。",
                 "本年度新收政府信息公开申请10件。", "新收及上年结转申请12件。"]:
        assert _pairs(text) == [], text


def test_fee_message_quotes_the_figure_as_printed():
    rec = _consistent_record()
    rec["active_disclosure"] = {"fees": {"amount_10k_yuan": 12.46}}
    found = check_narrative("全年收取行政事业性收费125000元。", rec)
    assert [(f["cells"], f["printed"], f["implied"]) for f in found] == [
        (["active_disclosure.fees.amount_10k_yuan"], 12.5, 12.46)]
    assert "行政事业性收费125000元" in found[0]["message"] and "12.5万元" in found[0]["message"]
    assert check_narrative("全年收取行政事业性收费124600元。", rec) == []
    found = check_narrative("全年收取行政事业性收费3.6万元。", rec)
    assert found[0]["message"] == "总体情况称行政事业性收费3.6万元，但表格为12.46万元"


def test_partly_granted_in_other_words():
    rec = _consistent_record()  # granted 5, partially 0
    assert _pairs("予以公开5件，部分予以公开0件。", rec) == []
    assert _pairs("同意公开5件，部分同意公开1件。", rec) == [(1, 0)]
