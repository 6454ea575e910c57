"""The number parser: real passages from the seed captures, edge cases, and properties."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import given, settings, strategies as st

from framing.source.numbers import Quantity, describe, find_quantities, parse_quantity, same_value

CAPTURES = Path(__file__).resolve().parent.parent / "content" / "captures"

# (a passage as it stands in one of the five seed captures, the quantity's text in it,
#  value, unit, currency, qualifier, percent)
SEED_EXAMPLES = [
    # 000 中华网
    ("Qwen大模型自2023年以来开源了300多款模型", "2023年", 2023, "年", "", "", False),
    ("Qwen大模型自2023年以来开源了300多款模型", "300多款", 300, "款", "", "more-than", False),
    ("尺寸从0.5B到480B全尺寸", "0.5B", 500_000_000, "B", "", "", False),
    ("尺寸从0.5B到480B全尺寸", "480B", 480_000_000_000, "B", "", "", False),
    ("全球模型社区下载量突破6亿次,衍生模型超17万个", "突破6亿次", 600_000_000, "次", "", "more-than", False),
    ("全球模型社区下载量突破6亿次,衍生模型超17万个", "超17万个", 170_000, "个", "", "more-than", False),
    ("2022年底ChatGPT问世时", "2022年", 2022, "年", "", "", False),
    ("但短短两年内,Qwen大模型用数据给出了答案:6亿下载量、17万衍生模型", "两年", 2, "年", "", "", False),
    ("但短短两年内,Qwen大模型用数据给出了答案:6亿下载量、17万衍生模型", "6亿", 600_000_000, "", "", "", False),
    ("但短短两年内,Qwen大模型用数据给出了答案:6亿下载量、17万衍生模型", "17万", 170_000, "", "", "", False),
    ("基于Qwen的二次开发项目比Llama多了40%", "40%", 40, "%", "", "", True),
    ("计划四年内投入5000亿美元建设下一代AI基础设施", "四年", 4, "年", "", "", False),
    ("计划四年内投入5000亿美元建设下一代AI基础设施", "5000亿美元", 500_000_000_000, "", "USD", "", False),
    ("相当于美国2023年国防预算的60%", "60%", 60, "%", "", "", True),
    ("Qwen衍生模型超17万个,覆盖195个国家和地区", "195个国家", 195, "国", "", "", False),
    ("Qwen模型的6亿下载量、17万衍生模型以及195国开发者", "195国", 195, "国", "", "", False),
    ("三年前,很少有人想到中国AI能让美国如此紧张", "三年", 3, "年", "", "", False),
    ("有村民抽水吸金1年用电9.6万度", "9.6万", 96_000, "", "", "", False),
    ("男子交易前一刻被警方拦截保住90万", "90万", 900_000, "", "", "", False),
    ("韩自研3000吨级潜艇参演", "3000吨", 3000, "吨", "", "", False),
    ("民调:德国近六成受访者支持启动义务兵役制", "近六成", 60, "%", "", "nearly", True),
    ("武汉黄陂清凉寨景区下雪了 初雪提前23天降临", "23天", 23, "天", "", "", False),
    # 001 观察者网
    ("Qwen以22.32%的收益率夺得冠军,而GPT-5亏损超62%垫底", "22.32%", Decimal("22.32"), "%", "", "", True),
    ("Qwen以22.32%的收益率夺得冠军,而GPT-5亏损超62%垫底", "超62%", 62, "%", "", "more-than", True),
    ("千问占据HuggingFace全球模型榜单前十中的七席", "七席", 7, "席", "", "", False),
    ("在全球主要模型社区的下载量突破6亿,衍生模型突破17万个", "突破6亿", 600_000_000, "", "", "more-than", False),
    ("在全球主要模型社区的下载量突破6亿,衍生模型突破17万个", "突破17万个", 170_000, "个", "", "more-than", False),
    ("就像1957年苏联发射“斯普特尼克”号人造卫星时", "1957年", 1957, "年", "", "", False),
    ("未来四年内投资5000亿美元", "5000亿美元", 500_000_000_000, "", "USD", "", False),
    # 002 北京日报 / 长安街知事
    ("DeepSeek以“一轮训练费用仅650万美元”让英伟达股价暴跌17%", "650万美元", 6_500_000, "", "USD", "", False),
    ("DeepSeek以“一轮训练费用仅650万美元”让英伟达股价暴跌17%", "17%", 17, "%", "", "", True),
    ("Qwen的全球下载量突破了6亿次,衍生模型超过17万个", "突破了6亿次", 600_000_000, "次", "", "more-than", False),
    ("Qwen的全球下载量突破了6亿次,衍生模型超过17万个", "超过17万个", 170_000, "个", "", "more-than", False),
    ("近一周机构调研个股有20多只", "20多只", 20, "只", "", "more-than", False),
    ("近一周机构调研个股有20多只", "一周", 1, "周", "", "", False),
    ("539项国家标准今起实施", "539项", 539, "项", "", "", False),
    # 003 港股研究社
    ("仅Meta单次再融资即达300亿美元", "300亿美元", 30_000_000_000, "", "USD", "", False),
    ("全新版Qwen3性能已达GPT-5、Gemini 2.5-Pro同级水平,支持119种语言", "119种", 119, "种", "", "", False),
    ("到去年底中美顶尖模型性能差距已收敛到0.3%", "0.3%", Decimal("0.3"), "%", "", "", True),
    ("历经十六年的沉淀", "十六年", 16, "年", "", "", False),
    ("阿里又进一步宣布未来三年将投入超3800亿元建设云与AI基建", "三年", 3, "年", "", "", False),
    ("阿里又进一步宣布未来三年将投入超3800亿元建设云与AI基建", "超3800亿元", 380_000_000_000, "", "CNY", "more-than", False),
    ("AI表格支持单表千万行操作", "千万", 10_000_000, "", "", "", False),
    ("试图锁定未来二十年的技术范式与定义权", "二十年", 20, "年", "", "", False),
    # 004 网易号 (Traditional)
    ("消息一出,阿里盤前漲幅瞬間突破4%", "突破4%", 4, "%", "", "more-than", True),
    ("阿里云AI相關產品收入連續九個季度保持三位數增長", "九個季度", 9, "季度", "", "", False),
    ("阿里云AI相關產品收入連續九個季度保持三位數增長", "三位數", 3, "位数", "", "", False),
    ("一年以來,阿里股價漲幅超93%", "一年", 1, "年", "", "", False),
    ("千問APP公測23天,月活突破3000萬", "23天", 23, "天", "", "", False),
    ("千問APP公測23天,月活突破3000萬", "突破3000萬", 30_000_000, "", "", "more-than", False),
    ("上線一周下載量破千萬,月活增速高達149.03%", "破千萬", 10_000_000, "", "", "more-than", False),
    ("上線一周下載量破千萬,月活增速高達149.03%", "高達149.03%", Decimal("149.03"), "%", "", "up-to", True),
    ("OpenAI估值千億美元,GPT-5遲遲難產", "千億美元", 100_000_000_000, "", "USD", "", False),
    ("一年以來,阿里股價漲幅超93%", "超93%", 93, "%", "", "more-than", True),
    ("連HuggingFace CEO都連發12條推文", "12條", 12, "条", "", "", False),
    ("2024年8月,阿里千問Qwen衍生模型數首次超越Llama", "2024年", 2024, "年", "", "", False),
    ("兩年前,Meta的Llama還是開源世界無可爭議的王者", "兩年", 2, "年", "", "", False),
]

# Passages from the seeds with nothing that is a quantity in them.
SEED_NON_QUANTITIES = [
    "推特创始人杰克·多尔西发文点赞Qwen3-Coder",
    "特斯拉创始人马斯克点评基于通义万相Wan2.2生成的Instagirl图像",
    "當美國企業還在用H100堆算力時",
    "从华为突破5G,到大疆垄断消费级无人机",
    "2025GTC大会,黄仁勋展示",
    "Llama 4失利后",
    "相比之下,OpenAI的GPT-4至今闭源",
    "全新版Qwen3性能已达GPT-5、Gemini 2.5-Pro同级水平",
    "11月14日,阿里巴巴正式推出基于Qwen大模型的千问APP",
    "2025-11-17 16:05:07\xa0\xa0耿彪",
    "(责任编辑:0882)",
    "當全球數百萬開發者免費為你做測試",
    "DeepSeek用幾百萬美元訓出頂級模型",
    "成本卻只有十分之一時",
    "这是一场无证据、无实锤、无逻辑的“三无指控”",
    "这不是美国第一次采取类似行动",
    "在同一天上演",
    "全球开发者社区里基于Qwen的二次开发项目",
    "曝iPhone17 Pro 湿巾擦掉漆面引发热议",
    "千问App刚上线就崩了",
    "在此背景下,将一家中国科技企业列为“安全威胁”",
    "這不是一次普通的技術合作,這是開源世界的一次權力交接",
    "对普通中国用户来说,千问APP上线不仅是一个新的AI工具",
]


def _quantity_in(context: str, text: str) -> Quantity:
    matches = [q for q in find_quantities(context) if q.text == text]
    assert len(matches) == 1, f"{text!r} in {context!r}: {find_quantities(context)}"
    return matches[0]


@pytest.fixture(scope="module")
def captures() -> str:
    if not CAPTURES.is_dir():
        pytest.skip("no captures")
    return _fold("\n".join(p.read_text(encoding="utf-8") for p in sorted(CAPTURES.glob("*.txt"))))


def _fold(text: str) -> str:
    """Full-width punctuation as ASCII: the captures mix both, the table writes ASCII."""
    return text.translate(str.maketrans("\uff0c\uff1a\uff08\uff09", ",:()"))


def test_the_table_is_long_enough():
    assert len(SEED_EXAMPLES) >= 40
    assert len({text for _, text, *_ in SEED_EXAMPLES}) >= 40


@pytest.mark.parametrize("context", sorted({c for c, *_ in SEED_EXAMPLES} | set(SEED_NON_QUANTITIES)))
def test_examples_are_real_passages(captures, context):
    assert _fold(context) in captures


@pytest.mark.parametrize("context,text,value,unit,currency,qualifier,percent", SEED_EXAMPLES)
def test_seed_example(context, text, value, unit, currency, qualifier, percent):
    q = _quantity_in(context, text)
    assert q.value == Decimal(value)
    assert (q.unit, q.currency, q.qualifier, q.percent) == (unit, currency, qualifier, percent)
    assert context[q.start:q.end] == text


@pytest.mark.parametrize("context", SEED_NON_QUANTITIES)
def test_seed_non_quantities(context):
    assert find_quantities(context) == []


def test_a_whole_sentence_in_order():
    sentence = "如今,Qwen的全球下载量突破了6亿次,衍生模型超过17万个,两大核心指标都超过了Meta的Llama模型系列"
    assert [q.text for q in find_quantities(sentence)] == ["突破了6亿次", "超过17万个"]


def test_dates_keep_the_year_only():
    found = find_quantities("2025年10月,全球下载量也完成反超。11月14日")
    assert [(q.text, q.unit) for q in found] == [("2025年", "年")]


@pytest.mark.parametrize("text,value", [
    ("三百", 300), ("一千二百", 1200), ("两", 2), ("兩", 2), ("十六", 16), ("九", 9), ("零", 0),
    ("二〇二五", 2025), ("一亿二千万", 120_000_000), ("三万亿", 3_000_000_000_000), ("千万", 10_000_000),
    ("1,000", 1000), ("1\uff0c000", 1000), ("１\uff0c０００", 1000), ("1,234,567.5", Decimal("1234567.5")), ("0.5", Decimal("0.5")),
    ("22.32", Decimal("22.32")), ("123", 123), ("1.5", Decimal("1.5")),
    ("6亿", 600_000_000), ("5000亿", 500_000_000_000), ("3.8万亿", 3_800_000_000_000),
    ("3千万", 30_000_000), ("3000萬", 30_000_000), ("3000万", 30_000_000), ("一千多万", 10_000_000),
    ("三点五", Decimal("3.5")), ("三點五萬", 35_000), ("壹佰", 100), ("6億", 600_000_000),
])
def test_parse_numerals(text, value):
    q = parse_quantity(text)
    assert q is not None, text
    assert q.value == Decimal(value)
    assert (q.text, q.start, q.end) == (text, 0, len(text))


@pytest.mark.parametrize("text,value,unit,currency,qualifier,percent", [
    ("300多款", 300, "款", "", "more-than", False),
    ("十余年", 10, "年", "", "more-than", False),
    ("六百餘家", 600, "家", "", "more-than", False),
    ("6亿多次", 600_000_000, "次", "", "more-than", False),
    ("逾百家", 100, "家", "", "more-than", False),
    ("100人以上", 100, "人", "", "more-than", False),
    ("将近一千个", 1000, "个", "", "nearly", False),
    ("接近3成", 30, "%", "", "nearly", True),
    ("约3000人左右", 3000, "人", "", "about", False),
    ("大約五萬人", 50_000, "人", "", "about", False),
    ("多达300种", 300, "种", "", "up-to", False),
    ("高达50%", 50, "%", "", "up-to", True),
    ("10万人之多", 100_000, "人", "", "up-to", False),
    ("50%", 50, "%", "", "", True),
    ("50 %", 50, "%", "", "", True),
    ("５０％", 50, "%", "", "", True),
    ("六成", 60, "%", "", "", True),
    ("百分之六十", 60, "%", "", "", True),
    ("3倍", 3, "倍", "", "", False),
    ("5000亿美元", 500_000_000_000, "", "USD", "", False),
    ("100美金", 100, "", "USD", "", False),
    ("3800亿元", 380_000_000_000, "", "CNY", "", False),
    ("100亿人民币", 10_000_000_000, "", "CNY", "", False),
    ("人民币100亿", 10_000_000_000, "", "CNY", "", False),
    ("20亿港元", 2_000_000_000, "", "HKD", "", False),
    ("5億歐元", 500_000_000, "", "EUR", "", False),
    ("US$5", 5, "", "USD", "", False),
    ("€12.5", Decimal("12.5"), "", "EUR", "", False),
    ("3個", 3, "个", "", "", False),
    ("3种", 3, "种", "", "", False),
    ("3種", 3, "种", "", "", False),
    ("5位", 5, "位", "", "", False),
    ("5名", 5, "名", "", "", False),
    ("5項", 5, "项", "", "", False),
    ("5条", 5, "条", "", "", False),
    ("3个月", 3, "个月", "", "", False),
    ("三個月", 3, "个月", "", "", False),
    ("十六年", 16, "年", "", "", False),
    ("九个季度", 9, "季度", "", "", False),
    ("两个星期", 2, "周", "", "", False),
    ("195個國家", 195, "国", "", "", False),
    ("7B", 7_000_000_000, "B", "", "", False),
    ("2个百分点", 2, "百分点", "", "", False),
    ("一家", 1, "家", "", "", False),
    ("一倍", 1, "倍", "", "", False),
])
def test_parse_quantities(text, value, unit, currency, qualifier, percent):
    q = parse_quantity(text)
    assert q is not None, text
    assert q.value == Decimal(value)
    assert (q.unit, q.currency, q.qualifier, q.percent) == (unit, currency, qualifier, percent)


@pytest.mark.parametrize("text", ["", "  ", "abc", "GPT-5", "Qwen3", "H100", "5G", "11月", "14日", "16:05",
                                  "数百万", "三四年", "6亿次和7亿次", "0882", "第一", "三峡"])
def test_parse_rejects(text):
    assert parse_quantity(text) is None


def test_parse_keeps_offsets_into_the_given_text():
    q = parse_quantity("  6亿次 ")
    assert q is not None and (q.text, q.start, q.end) == ("6亿次", 2, 5)


def test_not_ten_percent_when_cheng_is_a_word():
    found = find_quantities("Qwen3成为300亿次成功")
    assert [(q.text, q.percent) for q in found] == [("300亿次", False)]
    assert [q.text for q in find_quantities("他们一成不变")] == []
    assert [(q.text, q.unit) for q in find_quantities("3000亿成为")] == [("3000亿", "")]


def test_near_with_a_time_unit_means_the_last_n():
    q = _quantity_in("近三年来", "三年")
    assert q.qualifier == "" and q.start == 1


def test_model_name_after_a_space_only_when_nothing_is_counted():
    assert find_quantities("Llama 4失利") == []
    assert [q.text for q in find_quantities("Meta 300亿美元")] == ["300亿美元"]


def test_hyphenated_second_number_is_not_a_quantity():
    assert [q.text for q in find_quantities("3.6-3.8")] == ["3.6"]


def test_same_value():
    six = parse_quantity("6亿次")
    assert six is not None
    assert same_value(six, parse_quantity("600,000,000次"))
    assert same_value(six, parse_quantity("突破6亿次"))  # the qualifier is not part of the value
    assert same_value(parse_quantity("3000萬"), parse_quantity("3000万"))
    assert same_value(parse_quantity("3000万"), parse_quantity("30000000"))
    assert same_value(parse_quantity("195个国家"), parse_quantity("195國"))
    assert same_value(parse_quantity("3個"), parse_quantity("3个"))
    assert same_value(six, parse_quantity("6亿"))  # an unstated unit agrees…
    assert not same_value(six, parse_quantity("6亿"), strict=True)  # …unless strict
    assert not same_value(six, parse_quantity("6亿个"))
    assert not same_value(six, parse_quantity("7亿次"))
    assert not same_value(parse_quantity("60%"), parse_quantity("60"))
    assert same_value(parse_quantity("六成"), parse_quantity("60%"))
    assert not same_value(parse_quantity("5000亿美元"), parse_quantity("5000亿元"))
    assert same_value(parse_quantity("5000亿美元"), parse_quantity("500,000,000,000美元"))


@pytest.mark.parametrize("text,language,expected", [
    ("突破6亿次", "en", "600,000,000 次 (more than)"),
    ("突破6亿次", "zh-Hans", "超过6亿(600,000,000)次"),
    ("突破6亿次", "zh-hant", "超過6億(600,000,000)次"),
    ("5000亿美元", "en", "500,000,000,000 USD"),
    ("5000亿美元", "zh-Hans", "5000亿(500,000,000,000)美元"),
    ("22.32%", "en", "22.32%"),
    ("22.32%", "zh-Hans", "22.32%"),
    ("近六成", "en", "60% (nearly)"),
    ("近六成", "zh", "近60%"),
    ("0.5B", "en", "500,000,000 B"),
    ("九個季度", "zh-Hant", "9季度"),
    ("17万个", "zh-Hant", "17萬(170,000)個"),
    ("约3.5万元", "en", "35,000 CNY (about)"),
    ("约3.5万元", "zh-Hans", "约3.5万(35,000)元"),
    ("1234.5元", "en", "1,234.5 CNY"),
    ("9999个", "zh-Hans", "9,999个"),
    ("1万个", "zh-Hans", "1万(10,000)个"),
])
def test_describe(text, language, expected):
    q = parse_quantity(text)
    assert q is not None
    assert describe(q, language) == expected


# ---------------------------------------------------------------------------------------------
# Properties

big = st.integers(min_value=0, max_value=10**16 - 1)
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９\uff0c")


@given(big)
def test_arabic_digits_round_trip(n):
    for text in (str(n), f"{n:,}", f"{n:,}".replace(",", "\uff0c"), str(n).translate(FULL_WIDTH)):
        q = parse_quantity(text)
        assert q is not None and q.value == n, text


@given(big)
def test_chinese_numerals_round_trip(n):
    text = cn2an.an2cn(n)
    q = parse_quantity(text)
    assert q is not None and q.value == n, text


@given(big, st.sampled_from([(4, "万"), (8, "亿"), (4, "萬"), (8, "億"), (12, "万亿")]))
def test_arabic_with_scales_round_trip(n, scale):
    exponent, word = scale
    text = format(Decimal(n).scaleb(-exponent), "f") + word
    q = parse_quantity(text)
    assert q is not None and q.value == n, text


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([(4, "万"), (8, "亿")]))
def test_chinese_with_scales_round_trip(m, scale):
    exponent, word = scale
    text = cn2an.an2cn(m) + word
    q = parse_quantity(text)
    assert q is not None and q.value == m * 10**exponent, text


ALPHABET = ("0123456789０１２３,.，．-: 一二三十百千万亿萬億两零多余超近约突破以上左右次个個款种家年月日天成%％"
            "美元港欧人民币BGQwenGPT第数之分")
passages = st.text(alphabet=ALPHABET, max_size=40)


@settings(max_examples=300)
@given(passages)
def test_spans_are_ordered_disjoint_and_exact(text):
    found = find_quantities(text)
    for q in found:
        assert text[q.start:q.end] == q.text and q.text
    for before, after in zip(found, found[1:]):
        assert before.end <= after.start


@settings(max_examples=300)
@given(passages)
def test_parsing_is_deterministic(text):
    assert find_quantities(text) == find_quantities(text)
    assert parse_quantity(text) == parse_quantity(text)


@settings(max_examples=300)
@given(passages)
def test_a_found_quantity_parses_alone_to_the_same_value(text):
    for q in find_quantities(text):
        alone = parse_quantity(q.text)
        assert alone is not None, q
        assert (alone.value, alone.unit, alone.currency, alone.qualifier, alone.percent) == \
            (q.value, q.unit, q.currency, q.qualifier, q.percent)


@given(st.text(max_size=60))
def test_never_fails_on_any_text(text):
    for q in find_quantities(text):
        assert isinstance(q.value, Decimal)
