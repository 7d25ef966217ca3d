"""salescoach.coaching.debrief: the three stages, the question bank, and the rep-focused question checker on many
phrasings in English and Chinese."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.coaching import debrief as d


def test_three_stages_in_order():
    assert [s[1] for s in d.STAGES] == ["feelings", "objective_plan_outcome", "why_buyer"]
    assert set(d.QUESTION_BANK) == {s[1] for s in d.STAGES}
    assert "don't react" in d.STAGES[0][4] or "do not react" in d.STAGES[0][4]


def test_the_bank_never_asks_the_rep_why():
    for questions in d.QUESTION_BANK.values():
        for en, zh in questions:
            assert not d.is_rep_focused(en), en
            assert not d.is_rep_focused(zh), zh
    for en, zh in d.QUESTION_BANK["why_buyer"]:
        assert d.is_buyer_focused(en) and d.is_buyer_focused(zh), (en, zh)


@pytest.mark.parametrize("question", d.REP_FOCUSED_EXAMPLES)
def test_examples_aimed_at_the_rep_are_flagged(question):
    review = d.review_question(question)
    assert review.rep_focused and not review.ok and review.matched and review.suggestion
    assert not review.buyer_focused
    assert d.language_of(review.suggestion) == d.language_of(question)
    assert not d.is_rep_focused(review.suggestion)  # the suggestion itself passes


@pytest.mark.parametrize("question", d.BUYER_FOCUSED_EXAMPLES)
def test_examples_about_the_buyer_pass(question):
    review = d.review_question(question)
    assert review.ok and review.buyer_focused and review.suggestion == ""


@pytest.mark.parametrize("question", ["Why do you think that happened?", "What was your objective?",
                                      "你的计划是什么？", "How do you feel about the visit?"])
def test_neutral_questions_are_not_flagged_nor_counted_as_buyer_focused(question):
    review = d.review_question(question)
    assert review.ok and not review.buyer_focused


def test_suggestions_keep_the_topic():
    assert "price" in d.suggest_buyer_focused("Why did you give a discount?")
    assert "价" in d.suggest_buyer_focused("你为什么马上就降价？")
    assert "competitor" in d.suggest_buyer_focused("Why didn't you answer the competitor question?")
    assert d.suggest_buyer_focused("Why did you do that?") == "Why do you think the customer said (or did) that?"


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_bad_input(bad):
    with pytest.raises(ValueError, match="question"):
        d.review_question(bad)


# --------------------------------------------------------------------------- many phrasings
EN_REP_OPENERS = ("why did you", "why didn't you", "why did you not", "why would you", "why do you always",
                  "why were you", "why have you", "why'd you", "how come you", "what made you", "what possessed you",
                  "so why did you", "why exactly did you", "why on earth did you", "for what reason did you",
                  "why do you think you", "why did u", "how could you")
EN_BODIES = ("offer a discount", "mention the price so early", "skip the demo", "leave without a next step",
             "talk over the buyer", "send the quote", "do that")
EN_BUYER_OPENERS = ("why do you think the customer", "why do you suppose the buyer", "what do you think the client",
                    "why did the customer", "why would the buyer", "why do you think they",
                    "what might the purchasing manager have", "why do you believe the prospect")
EN_BUYER_BODIES = ("said that", "pushed on price", "asked about delivery", "hesitated", "wanted a discount")
ZH_REP_OPENERS = ("为什么你", "你为什么", "你当时为什么", "为什么当时你", "你怎么不", "你怎么没有", "你为啥", "为啥你",
                  "你干嘛", "是什么让你", "為什麼你", "你當時為什麼", "你们为什么", "您为什么", "你到底为什么")
ZH_BODIES = ("降价", "那么早报价", "先问预算", "跳过演示", "没约下次拜访", "不听客户说完")
ZH_BUYER_OPENERS = ("你觉得客户为什么", "你认为对方为什么", "为什么客户", "客户为什么", "你觉得顾客为什么会",
                    "為什麼顧客會", "你估计买家为什么", "你为什么觉得客户")
ZH_BUYER_BODIES = ("那样说", "压价", "问交货期", "犹豫", "要求折扣")


def _decorate_en(text: str, case: str, lead: str, end: str, spaced: bool, curly: bool) -> str:
    text = {"lower": text.lower(), "upper": text.upper(), "capital": text[:1].upper() + text[1:]}[case]
    if curly:
        text = text.replace("'", "’")
    if spaced:
        text = text.replace(" ", "  ")
    return f"{lead}{text}{end}"


en_style = st.tuples(st.sampled_from(["lower", "upper", "capital"]),
                     st.sampled_from(["", "OK, ", "Tell me: ", "Li Na, "]),
                     st.sampled_from(["?", "", "?!", "...", " ?"]), st.booleans(), st.booleans())
zh_style = st.tuples(st.sampled_from(["", "那", "小赵，", "好，"]), st.sampled_from(["？", "?", "呢？", "", "。"]),
                     st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(EN_REP_OPENERS), st.sampled_from(EN_BODIES), en_style)
def test_english_rep_focused_variants_are_flagged(opener, body, style):
    q = _decorate_en(f"{opener} {body}", *style)
    assert d.is_rep_focused(q), q


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(EN_BUYER_OPENERS), st.sampled_from(EN_BUYER_BODIES), en_style)
def test_english_buyer_focused_variants_pass(opener, body, style):
    q = _decorate_en(f"{opener} {body}", *style)
    assert not d.is_rep_focused(q), q
    assert d.is_buyer_focused(q), q


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ZH_REP_OPENERS), st.sampled_from(ZH_BODIES), zh_style)
def test_chinese_rep_focused_variants_are_flagged(opener, body, style):
    lead, end, spaced = style
    q = f"{lead}{opener}{body}{end}"
    if spaced:
        q = " ".join(q)
    assert d.is_rep_focused(q), q


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ZH_BUYER_OPENERS), st.sampled_from(ZH_BUYER_BODIES), zh_style)
def test_chinese_buyer_focused_variants_pass(opener, body, style):
    lead, end, spaced = style
    q = f"{lead}{opener}{body}{end}"
    if spaced:
        q = " ".join(q)
    assert not d.is_rep_focused(q), q
    assert d.is_buyer_focused(q), q


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_text_gets_a_verdict(text):
    review = d.review_question(text)
    assert review.rep_focused == bool(review.matched)
    assert not (review.rep_focused and review.buyer_focused)
