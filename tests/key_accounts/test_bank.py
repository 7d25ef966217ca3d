"""The module's question bank agrees with the library, the data and the exercise."""
from __future__ import annotations

import ast
import re

import pytest

from salescoach import quiz
from salescoach.key_accounts import analysis, checks
from salescoach.key_accounts import framework as fw
from salescoach.notebooks import read
from salescoach.paths import project_root

SOLUTION = project_root() / "solutions" / checks.EXERCISE / "m9_exercise.ipynb"
#: the weak driver each q2 account is described with (the prefix of its text)
Q2_DRIVERS = {"w1": "purchasing", "w2": "differentiation", "w3": "say", "w4": "interaction", "w5": "service",
              "w6": "relationship"}


@pytest.fixture(scope="module")
def bank():
    return quiz.load_bank(checks.BANK)


def solution_value(name: str):
    for cell in read(SOLUTION).cells:
        src = cell.source
        if re.search(rf"^{name} = ", src, flags=re.M) and "BEGIN SOLUTION" in src:
            body = src.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            return ast.literal_eval(body.split("=", 1)[1].strip())
    raise AssertionError(f"no solution for {name}")


def test_the_bank_loads_and_graded_items_hide_their_keys(bank):
    for item_id in ("q2", *(f"q5-{k}" for k in checks.Q5_ITEMS)):
        assert bank[item_id].key_hidden
    for item in bank.items:
        if not item.id.startswith("q"):
            assert not item.key_hidden, item.id


def test_q2_key_follows_the_strategy_driver_mapping(bank):
    key = solution_value("q2")
    assert set(key) == {e.id for e in bank["q2"].entries} == set(Q2_DRIVERS)
    for entry in bank["q2"].entries:
        driver = fw.driver(Q2_DRIVERS[entry.id])
        assert entry.text.en.startswith(driver.en), entry.id
        assert Q2_DRIVERS[entry.id] in fw.STRATEGY_DRIVERS[key[entry.id]], (entry.id, key[entry.id])
    assert {b.id for b in bank["q2"].buckets} == {s.id for s in fw.STRATEGIES}


def test_q5_key_names_existing_options(bank):
    key = solution_value("q5")
    for k, letter in key.items():
        assert letter in {o.id for o in bank[f"q5-{k}"].options}


def test_lesson_items_agree_with_the_data(bank, portfolio):
    weight = next(s.weight for s in analysis.SIGNALS if s.column == "satisfaction")
    assert bank["score-reading"].answer == weight
    p = portfolio.set_index("account_id")
    k08, k28 = p.loc["K08"], p.loc["K28"]
    prompt = bank["ka-definition"].prompt.en
    assert f"{k08['annual_revenue'] / 1e6:.1f} million" in prompt and f"{k28['annual_revenue'] / 1e6:.1f} million" in prompt
    assert f"{k08['gross_profit'] / 1e6:.2f} million" in prompt and f"{k28['gross_profit'] / 1e6:.2f} million" in prompt
    assert f"{k08['gross_profit'] / k08['annual_revenue']:.1%}" in prompt
    assert f"{k28['gross_profit'] / k28['annual_revenue']:.0%}" in prompt
    assert "say" in fw.STRATEGY_DRIVERS["co_promo"]  # strategy-for-say's right option
