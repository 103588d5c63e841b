from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from textsim.normalize import DATE_MARK, DATE_RE, NAME_MARK, infer_author, is_header_line, normalize

SAMPLE = (
    "２０２３年度述职述廉报告\n"
    "姓  名：张  三    职务：副局长\n"
    "单位：某某县财政局\n"
    "日期：2023年12月28日\n"
    "\n"
    "　　2023年以来，我（张三）认真学习贯彻党的二十大精神，于2023年3月5日、二〇二三年十二月、"
    "2023-03-05参加培训。全年投入资金2050万元，①抓好落实。Café “Ｆｕｌｌ”\n"
)


def _fold(s: str) -> str:
    out = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", s).casefold())
    return "".join(c for c in out if not unicodedata.combining(c))


def test_offsets_map_back_to_the_original_characters() -> None:
    norm = normalize(SAMPLE, author="张三")
    assert len(norm.offsets) == len(norm.end_offsets) == len(norm.text)
    for i, ch in enumerate(norm.text):
        original = SAMPLE[norm.offsets[i]:norm.end_offsets[i]]
        if ch == DATE_MARK:
            assert DATE_RE.fullmatch(_fold(original)), original
        elif ch == NAME_MARK:
            assert original == "张三"
        else:
            assert ch in _fold(original), (ch, original)


def test_original_span_covers_a_phrase() -> None:
    norm = normalize(SAMPLE)
    start = norm.text.index("认真学习贯彻")
    lo, hi = norm.original_span(start, start + len("认真学习贯彻"))
    assert SAMPLE[lo:hi] == "认真学习贯彻"


def test_header_lines_are_dropped_but_title_is_kept_with_a_year_mark() -> None:
    norm = normalize(SAMPLE)
    assert norm.text.startswith(DATE_MARK + "述职述廉报告" + DATE_MARK + "以来")
    assert "副局长" not in norm.text and "财政局" not in norm.text
    assert is_header_line("职　务：副局长") and is_header_line("单位: XX局")
    assert not is_header_line("单位工作有成效，" * 20)


def test_dates_in_all_forms_normalise_identically_across_years() -> None:
    a = "2023年度报告。二〇二三年十二月总结。2023-03-05会议。3月5日调研。（2023）"
    b = "2024年度报告。二〇二四年十一月总结。2024-04-06会议。4月8日调研。（2024）"
    assert normalize(a).text == normalize(b).text
    assert normalize(a).text.count(DATE_MARK) == 5


def test_amounts_are_not_mistaken_for_years() -> None:
    assert "2050万元" in normalize("投入资金2050万元").text


def test_punctuation_whitespace_and_width_are_folded() -> None:
    assert normalize("Ａ，b。 C！“d”\t１２").text == "abcd12"
    assert normalize("Café").text == normalize("Cafe\u0301").text == "cafe"


def test_author_name_becomes_a_mark_and_is_inferred_from_the_header() -> None:
    assert infer_author(SAMPLE) == "张三"
    assert infer_author("姓名：李四职务：处长") == "李四"
    assert infer_author("正文没有表头") is None
    a = normalize("我叫张三，张三同志工作认真。", author="张三").text
    b = normalize("我叫李四，李四同志工作认真。", author="李四").text
    assert a == b and a.count(NAME_MARK) == 2


def test_private_use_input_cannot_forge_marks() -> None:
    assert normalize(f"甲{DATE_MARK}乙{NAME_MARK}").text == "甲乙"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("年月日二〇三一2024-./：:姓名单位 \n　，。张三abcＡＢ①")), max_size=80),
       st.sampled_from([None, "张三"]))
def test_offset_map_is_monotonic_and_in_bounds(text: str, author: str | None) -> None:
    norm = normalize(text, author=author)
    previous = 0
    for start, end in zip(norm.offsets, norm.end_offsets, strict=True):
        assert 0 <= start < end <= len(text)
        assert start >= previous
        previous = start


_VECTOR_ALPHABET = list("年月日度二〇○三一十2024-./：:﹕⩴姓名单位述职人 \n\r\u2028\x0c　，。…㈠ﬁ张三abcＡＢ①é\u0301\ud800")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_VECTOR_ALPHABET), max_size=120), st.sampled_from([None, "张三", "三"]))
def test_compiled_normalize_equals_the_reference(text: str, author: str | None) -> None:
    """Multi-character folds (…, ㈠, ﬁ), every colon form, line separators, lone surrogates."""
    from textsim.normalize import normalize_reference

    fast, ref = normalize(text, author=author), normalize_reference(text, author=author)
    assert fast.text == ref.text
    assert fast.offsets.tolist() == ref.offsets.tolist()
    assert fast.end_offsets.tolist() == ref.end_offsets.tolist()


# No character here folds into several: headers, dates and line ends get the examples to themselves.
_SINGLE_FOLD_ALPHABET = [c for c in _VECTOR_ALPHABET if c not in "…㈠ﬁ⩴"] + list("日号份至~—（）《》述廉汇报告人")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SINGLE_FOLD_ALPHABET), max_size=160),
       st.sampled_from([None, "张三", "三"]))
def test_compiled_normalize_equals_the_reference_without_multi_character_folds(text: str, author: str | None) -> None:
    """Header lines of every length around the 80-character limit, dates, \\r\\n and other line ends."""
    from textsim.normalize import normalize_reference

    got, ref = normalize(text, author=author), normalize_reference(text, author=author)
    assert got.text == ref.text
    assert got.offsets.tolist() == ref.offsets.tolist()
    assert got.end_offsets.tolist() == ref.end_offsets.tolist()


def test_compiled_normalize_on_a_long_report_with_headers() -> None:
    from textsim.normalize import normalize_reference

    header = "姓  名：张三\r\n职务：副局长\n单位：某某局　　日期：2024年1月5日\n"
    body = "2023年以来，我认真学习贯彻党的二十大精神：一是加强理论学习；二是落实“一岗双责”，3月5日开展调研。\n" * 60
    text = header + body + "述职人：张三\n" + "单位：" + "长" * 90 + "\n"
    fast, ref = normalize(text, "张三"), normalize_reference(text, "张三")
    assert fast.text == ref.text and fast.offsets.tolist() == ref.offsets.tolist()
    assert fast.end_offsets.tolist() == ref.end_offsets.tolist()
    assert not fast.text.startswith("姓名")
    assert fast.text.count("单位") == 1  # the header line is dropped; a long "单位：…" line is prose
