"""classify_question: the five types in English and Chinese, the label policy, reasons, errors, determinism,
held-out accuracy (in-repo split and external set)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.datasets import load
from salescoach.questioning.classifier import (
    TYPES,
    Classification,
    classify_question,
    detect_language,
    normalise,
)


@pytest.mark.parametrize("text, expected", [
    ("Do you stock the 2-litre bottles?", "closed"),
    ("Would you say the partnership has met your expectations?", "closed"),     # no view of yours: closed
    ("Tuesday or Thursday, which suits you?", "closed"),
    ("How many stores do you run?", "closed"),                                  # one fact (kit policy)
    ("Can you tell me whether all 40 stores order through head office?", "closed"),
    ("Can you tell me how orders are placed?", "descriptive"),                  # a request to describe
    ("How do you decide which brands get the end-of-aisle displays?", "descriptive"),
    ("Could you walk me through your ordering process?", "descriptive"),
    ("So you mean the bigger pack doesn't fit on the shelf?", "clarifying"),
    ("When you say 'soon', do you mean this month?", "clarifying"),
    ("I think your shoppers want smaller packs; how do you see it?", "opinion-giving"),
    ("In my experience, most breakdowns come from skipped maintenance. Would you agree?", "opinion-giving"),
    ("Would you agree that delivery speed matters most to you?", "opinion-giving"),  # a view built in
    ("What do you think of the new packaging rules?", "descriptive"),           # her views, none of yours
    ("What if we delivered twice a week - how would that work for you?", "consultative"),
    ("We could start with a pilot in three stores. Does that sound reasonable?", "consultative"),
    ("您店里现在有卖500毫升装的吗？", "closed"),
    ("你们平时是怎么订货的？", "descriptive"),
    ("您的意思是大包装放不进货架？", "clarifying"),
    ("我觉得线上渠道会越来越重要，您怎么看？", "opinion-giving"),
    ("您不觉得促销日历应该早点定下来吗？", "opinion-giving"),
    ("你们一共有几家门店？", "closed"),
    ("如果我们每周送两次货，您看怎么样？", "consultative"),
])
def test_canonical_examples(text, expected):
    assert classify_question(text).type == expected


@pytest.mark.parametrize("text, expected", [
    ("您剛才說的「人手不夠」，是指哪個部門？", "clarifying"),          # traditional characters, corner quotes
    ("我們可以每月派人上門做一次保養，您覺得這樣安排合適嗎？", "consultative"),
    ("DO YOU SHIP TO HONG KONG？", "closed"),                           # shouting, full-width question mark
    ("i reckon the dry spring will push farmers to new seeds what do you think", "opinion-giving"),  # no punctuation
    ("我们先在三家店做个 pilot，您看怎么样？", "consultative"),        # mixed language
    ("Mr. Tan, how are decisions shared between purchasing and marketing?", "descriptive"),  # a name first
    ("Is the 12% discount still valid for orders above 1,000 units?", "closed"),           # numbers
])
def test_general_case(text, expected):
    assert classify_question(text).type == expected


@pytest.mark.parametrize("text, expected", [
    # a judgement built into a negative question is a leading question
    ("Wouldn't it make sense to consolidate your three suppliers into one?", "opinion-giving"),
    ("Isn't it cheaper in the long run to lease the fleet?", "opinion-giving"),
    ("这个价格在行业里已经算很低了吧？", "opinion-giving"),                 # a judgement with 吧
    ("您已经收到样品了吧？", "closed"),                                     # a fact with 吧
    # not having understood the customer, or asking what her own words refer to, is clarifying
    ("我没听太明白，您说的系统对接是要对接ERP吗？", "clarifying"),
    ("您说的那个价格是含税的吗？", "clarifying"),
    ("Sorry, I didn't quite follow - is the cap per site or per region?", "clarifying"),
    ("Which part of the process were you describing as slow?", "clarifying"),
    ("Just so I'm sure I follow: the discount applies only to repeat orders?", "clarifying"),
    # a proposal, then an invitation in other words
    ("Let me propose a fixed monthly fee with all call-outs included. How would that land with finance?",
     "consultative"),
    ("在本地备一批配件能不能解决交货慢的问题？", "consultative"),
    # an observation about the market, then a question pointing back at it
    ("Everyone in the trade is complaining about freight. Is it hitting you too?", "opinion-giving"),
    ("Prices have gone up twenty percent in a year. Are your customers noticing?", "opinion-giving"),
    ("We launched the new catalogue last week. Have you seen it?", "closed"),
    ("I'm hearing that the new rules will squeeze small importers. Is that your read too?", "opinion-giving"),
    ("大部分经销商都开始做直播了，您这边有没有考虑过？", "opinion-giving"),
    ("Remind me - the 2,000 units, was that a monthly figure?", "clarifying"),
    ("要不要考虑把两个仓合并成一个，由我们统一配送？", "consultative"),
    ("您要不要再考虑一下？", "closed"),
])
def test_general_rules_without_the_word_model(text, expected):
    """Phrasings that failed on fresh question sets; fixed by widening a rule, so the rules alone get them."""
    assert classify_question(text, use_model=False).type == expected


def test_classification_compares_with_type_names():
    c = classify_question("I think your shoppers want smaller packs; how do you see it?")
    assert c == "opinion-giving" and c == "opinion" and c == "给出观点的问题" and c != "closed"
    assert c.is_type("Opinion giving") and str(c) == "opinion-giving"
    assert c == (c.type, c.confidence, c.reason) and c != "not a type"
    assert c == classify_question("I think your shoppers want smaller packs; how do you see it?")
    assert len({c, classify_question("I think your shoppers want smaller packs; how do you see it?")}) == 1
    with pytest.raises(ValueError, match="unknown question type"):
        c.is_type("rhetorical")


def test_rules_alone_and_the_blend():
    text = "Electric cars are getting cheaper every year, aren't they?"
    rules, blend = classify_question(text, use_model=False), classify_question(text)
    assert rules.decided_by == "rules" and blend.decided_by == "blend"
    assert rules.type == blend.type == "opinion-giving" and rules.scores == blend.scores


def test_result_unpacks_and_explains():
    qtype, confidence, reason = classify_question("Do you order by phone?")
    assert qtype == "closed" and 0.5 < confidence <= 1
    assert "yes or no" in reason and "Do you" in reason
    c = classify_question("您说的“太贵”是指什么？")
    assert isinstance(c, Classification) and c.language == "zh" and c.reason_zh and c.name_zh == "澄清性问题"


def test_reason_names_the_rival_type_when_purpose_overrides_form():
    c = classify_question("Suppose we delivered every Thursday; would that suit you?")
    assert c.type == "consultative" and "whatever its form" in c.reason


def test_language_detection():
    assert detect_language("How many stores do you run?") == "en"
    assert detect_language("你们有多少家门店？") == "zh"
    assert detect_language("When you say the 交期 is too long, what do you mean?") == "en"
    assert detect_language("Как дела?") == "other"


def test_normalise_full_width_and_traditional():
    assert normalise("您覺得這樣安排合適嗎？") == "您觉得这样安排合适吗?"


@pytest.mark.parametrize("bad", ["", "   ", "???", "123", None, 42, ["Do you?"], b"Do you?"])
def test_empty_or_non_text_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="classify_question"):
        classify_question(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_never_crashes_and_stays_in_range(text):
    try:
        c = classify_question(text)
    except ValueError:
        return
    assert c.type in TYPES and 0.0 <= c.confidence <= 1.0 and c.reason
    assert classify_question(text) == c  # deterministic


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["Do you", "How do you", "我觉得", "如果我们", "您的意思是"]),
       st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=40))
def test_prefixes_with_arbitrary_tails(prefix, tail):
    c = classify_question(prefix + " " + tail)
    assert c.type in TYPES and 0.0 <= c.confidence <= 1.0


@pytest.mark.parametrize("name", ["questions", "questions_external"])
def test_held_out_accuracy_per_language_is_at_least_90_percent(name):
    """The in-repo test split and the external set (never tuned on), each language on its own."""
    data = load(name)
    test = data[data["split"] == "test"] if "split" in data.columns else data
    for lang in ("en", "zh"):
        part = test[test["language"] == lang]
        results = [classify_question(t) for t in part["text"]]
        accuracy = sum(r.type == y for r, y in zip(results, part["type"])) / len(part)
        assert accuracy >= 0.9, f"{name} {lang}: {accuracy:.3f}"
        longest = max(results, key=lambda r: len(r.reason))  # a reason a student reads at a glance
        assert len(longest.reason) <= 320 and len(longest.reason_zh) <= 160, longest.reason
