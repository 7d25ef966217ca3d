"""salescoach.customer_types: the catalogue, the traits, the rule table and assign_reception / reception_plan."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.customer_types import analysis, catalogue
from salescoach.customer_types.rules import (
    DEFAULT_RULES_FILE,
    RuleTableError,
    as_rules,
    load_rules,
    parse_when,
    rules_frame,
    traits_used,
)
from salescoach.customer_types.traits import TRAITS, check_traits
from salescoach.datasets import load

NEUTRAL = {t: (0 if t == "complaints_12m" else 3) for t in TRAITS}


def customers(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**NEUTRAL, **r} for r in rows], index=[f"c{i}" for i in range(1, len(rows) + 1)])


# --------------------------------------------------------------------------- catalogue
def test_catalogue_has_the_fourteen_types_of_the_source_with_chinese_names():
    assert len(catalogue.TYPES) == 14
    assert catalogue.TYPE_CHINESE["sceptical"] == "怀疑型" and catalogue.TYPE_CHINESE["methodical"] == "条理型"
    for c in catalogue.CARDS.values():
        assert c.group in catalogue.GROUPS
        for field in ("signs", "approach", "how", "say", "avoid"):
            en, zh = getattr(c, field)
            assert en.strip() and zh.strip(), (c.id, field)
    assert catalogue.type_label("picky") == "Picky 挑剔型"
    with pytest.raises(ValueError, match="unknown reception type 'nope'"):
        catalogue.card("nope")


# --------------------------------------------------------------------------- the rule table
def test_the_kits_rule_table_covers_every_type_and_loads_with_reasons():
    rules = load_rules()
    assert {r.type for r in rules} == set(catalogue.TYPES)
    assert rules[0].type == "complaining" and all(r.reason and r.reason_zh for r in rules)
    assert traits_used(rules) == list(TRAITS)
    frame = rules_frame()
    assert list(frame.columns) == ["type", "when", "reason", "reason_zh"] and frame.index[0] == 1


@pytest.mark.parametrize("when, message", [
    ("sceptism >= 4", "did you mean `scepticism`"),
    ("scepticism >= 6", "can never hold"),
    ("scepticism >= 1", "holds for every customer"),
    ("scepticism ~ 4", "cannot read"),
    ("scepticism >= 4 or need_for_data >= 4", "use two rows for an 'or'"),
    ("", "empty"),
])
def test_a_bad_condition_says_what_and_how_to_fix(when, message):
    with pytest.raises(ValueError, match=message):
        parse_when(when)


def test_conditions_accept_and_and_loose_operators():
    cs = parse_when("decision_speed => 4 AND confidence=5")
    assert [(c.trait, c.op, c.value) for c in cs] == [("decision_speed", ">=", 4), ("confidence", "==", 5)]


def test_a_broken_csv_names_every_bad_line(tmp_path: Path):
    f = tmp_path / "rules.csv"
    f.write_text("# my table\ntype,when\nsceptical,scepticism >= 4\n\nskeptical,scepticism >= 4\n"
                 "analytical,need_for_data >= 9\n", encoding="utf-8")
    with pytest.raises(RuleTableError) as e:
        load_rules(f)
    text = str(e.value)
    assert "2 problem(s)" in text and "line 5: `skeptical`" in text and "did you mean `sceptical`" in text
    assert "line 6 (analytical)" in text and "can never hold" in text
    (tmp_path / "nohead.csv").write_text("kind,rule\nx,y\n", encoding="utf-8")
    with pytest.raises(RuleTableError, match=r"no column\(s\) \['type', 'when'\]"):
        load_rules(tmp_path / "nohead.csv")
    with pytest.raises(FileNotFoundError, match="no rule table here"):
        load_rules(tmp_path / "missing.csv")


def test_rule_tables_in_other_forms():
    pairs = [("sceptical", "scepticism >= 4"), ("analytical", "need_for_data >= 4")]
    assert [r.type for r in as_rules(pairs)] == ["sceptical", "analytical"]
    assert [r.type for r in as_rules(pd.DataFrame(pairs, columns=["type", "when"]))] == ["sceptical", "analytical"]
    assert [r.type for r in as_rules([{"type": "timid", "when": "confidence <= 2"}])] == ["timid"]
    with pytest.raises(RuleTableError, match="rule 1: 'sceptical' is not a \\(type, when\\) pair"):
        as_rules(["sceptical"])
    with pytest.raises(RuleTableError, match="has no rules"):
        as_rules([])
    with pytest.raises(RuleTableError, match="is not a rule table"):
        as_rules(42)


# --------------------------------------------------------------------------- assign_reception
def test_first_rule_that_holds_decides_and_the_others_are_listed():
    df = customers({"complaints_12m": 4, "scepticism": 5, "need_for_data": 5}, {"scepticism": 4, "need_for_data": 5},
                   {"need_for_data": 4}, {}, {"decision_speed": 4, "confidence": 3}, {"decision_speed": 4, "confidence": 4})
    plan = analysis.assign_reception(df)
    assert plan["type"].tolist() == ["complaining", "sceptical", "analytical", "observe", "observe", "decisive"]
    assert plan.loc["c1", "also"] == "sceptical, analytical"
    assert plan.loc["c4", "rule"] == "" and plan.loc["c4", "approach"] == "Observe and ask open questions"
    assert plan.loc["c2", "approach_zh"] == "不争辩，承认不足，用逻辑和事实"
    assert list(plan.index) == list(df.index) and list(plan.columns) == analysis.PLAN_COLUMNS


def test_thresholds_are_inclusive_as_written():
    plan = analysis.assign_reception(customers({"talkativeness": 2}, {"talkativeness": 1}, {"confidence": 2}))
    assert plan["type"].tolist() == ["taciturn", "taciturn", "timid"]


def test_custom_rules_need_only_the_traits_they_use():
    df = pd.DataFrame({"scepticism": [5, 1], "complaints_12m": [0, 4]}, index=["a", "b"])
    plan = analysis.assign_reception(df, [("complaining", "complaints_12m >= 3"), ("sceptical", "scepticism >= 4")])
    assert plan["type"].tolist() == ["sceptical", "complaining"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.drop(columns="scepticism"), r"no column\(s\) \['scepticism'\]"),
    (lambda d: d.assign(scepticism=[6, 3]), r"column 'scepticism': rows \['c1'\] hold \[6\], outside the scale"),
    (lambda d: d.assign(confidence=[3.5, 3]), r"column 'confidence': rows \['c1'\]"),
    (lambda d: d.assign(talkativeness=["loud", 3]), r"column 'talkativeness': rows \['c1'\] are not numbers"),
    (lambda d: d.assign(need_for_data=[np.nan, 3]), r"column 'need_for_data': rows \['c1'\] are empty"),
    (lambda d: d.assign(complaints_12m=[-1, 0]), r"column 'complaints_12m'"),
])
def test_bad_trait_columns_are_named(change, message):
    with pytest.raises(ValueError, match=message):
        analysis.assign_reception(change(customers({}, {})))


def test_not_a_frame_and_empty_input():
    with pytest.raises(ValueError, match="must be a DataFrame"):
        check_traits([1, 2])
    plan = analysis.assign_reception(customers({}).iloc[:0])
    assert plan.empty and list(plan.columns) == analysis.PLAN_COLUMNS


def test_inputs_are_not_modified():
    df = customers({"scepticism": 5})
    before = df.copy()
    analysis.assign_reception(df)
    pd.testing.assert_frame_equal(df, before)


trait_rows = st.fixed_dictionaries({
    t: st.integers(spec.low, min(spec.high, 12)) for t, spec in TRAITS.items()})


@settings(max_examples=30, deadline=None)
@given(st.lists(trait_rows, min_size=1, max_size=12))
def test_property_every_customer_gets_exactly_the_first_matching_rule(rows):
    df = pd.DataFrame(rows)
    rules = load_rules()
    plan = analysis.assign_reception(df)
    assert len(plan) == len(df) and plan.index.equals(df.index)
    for i, row in df.iterrows():
        one = pd.DataFrame([row])
        holds = [r for r in rules if bool(r.holds(one).iloc[0])]
        assert plan.loc[i, "type"] == (holds[0].type if holds else "observe")
        assert plan.loc[i, "rule"] == (holds[0].when if holds else "")
        assert set(filter(None, plan.loc[i, "also"].split(", "))) == {r.type for r in holds[1:]} - {plan.loc[i, "type"]}


@settings(max_examples=20, deadline=None)
@given(st.lists(trait_rows, min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_property_row_order_does_not_change_any_customers_type(rows, rnd):
    df = pd.DataFrame(rows)
    shuffled = df.sample(frac=1, random_state=rnd.randint(0, 10_000))
    a = analysis.assign_reception(df)["type"]
    b = analysis.assign_reception(shuffled)["type"]
    pd.testing.assert_series_equal(a, b.reindex(a.index))


# --------------------------------------------------------------------------- the dataset and reception_plan
def test_reception_traits_dataset_tells_its_story():
    cust = load("reception_traits").set_index("customer_id")
    assert len(cust) == 120 and set(cust["kind"]) == {"business", "individual"}
    plan = analysis.reception_plan(cust, "2025-12-31")
    counts = analysis.type_counts(plan)
    assert (counts[list(catalogue.TYPES)] >= 3).all()           # every type is met in the territory
    assert 0.05 <= counts["observe"] / len(cust) <= 0.2         # some records show no clear type yet
    assert 0.1 <= (plan["also"] != "").mean() <= 0.35           # mixed customers: order decides
    assert set(plan["value_type"]) >= {"loyal", "fast-growing", "dormant", "worth cultivating"}
    assert plan.loc[plan["value_type"] == "dormant", "strategy_zh"].str.contains("新的需求").all()
    assert list(plan.columns[:1]) == ["kind"]


def test_the_dataset_generator_is_seeded():
    from salescoach.datasets.reception import make_reception

    pd.testing.assert_frame_equal(make_reception(), make_reception())
    assert not make_reception(1).equals(make_reception())


def test_type_counts_rejects_what_is_not_a_plan():
    with pytest.raises(ValueError, match="unknown reception types"):
        analysis.type_counts(pd.Series(["grumpy"]))
    assert analysis.type_counts(pd.Series([], dtype=object)).sum() == 0


def test_default_rules_file_is_next_to_the_module():
    assert DEFAULT_RULES_FILE.name == "reception_rules.csv" and DEFAULT_RULES_FILE.is_file()
