"""The loyalty-risk score, the drivers, the recommender, the retention plans and the budget."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.datasets.key_accounts import KEY_ACCOUNTS
from salescoach.key_accounts import analysis as a
from salescoach.key_accounts import framework as fw

RANGES = {c.name: (c.min, c.max) for c in KEY_ACCOUNTS.columns}
# signals drawn a little past the anchors, inside the schema's ranges
DRAW = {s.column: (max(RANGES[s.column][0], min(s.worst, s.healthy) - abs(s.healthy - s.worst) * 0.2),
                   min(RANGES[s.column][1], max(s.worst, s.healthy) + abs(s.healthy - s.worst) * 0.2))
        for s in a.SIGNALS}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def portfolios(draw, min_size: int = 1, max_size: int = 6) -> pd.DataFrame:
    n = draw(st.integers(min_size, max_size))
    data = {col: draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=n, max_size=n))
            for col, (lo, hi) in DRAW.items()}
    data["gross_profit"] = draw(st.lists(st.floats(1, 1e7, allow_nan=False), min_size=n, max_size=n))
    return pd.DataFrame(data, index=pd.Index([f"K{i + 1:02d}" for i in range(n)], name="account_id"))


def one_account(**values) -> pd.DataFrame:
    """A one-account portfolio with every signal healthy except the ones given."""
    row = {s.column: s.healthy for s in a.SIGNALS} | {"gross_profit": 1_000_000.0} | values
    return pd.DataFrame([row], index=pd.Index(["K01"], name="account_id"))


# --------------------------------------------------------------------------- the signals and weights
def test_weights_add_up_to_100_and_signals_name_known_groups():
    assert sum(s.weight for s in a.SIGNALS) == pytest.approx(100)
    assert {s.group for s in a.SIGNALS} <= set(a.GROUPS)
    assert {d.id for d in fw.DRIVERS} <= {s.group for s in a.SIGNALS}, "every driver has a signal"
    for s in a.SIGNALS:
        assert s.healthy != s.worst
        lo, hi = RANGES[s.column]
        assert lo <= min(s.healthy, s.worst) and max(s.healthy, s.worst) <= hi
        assert s.strategy is None or s.strategy in fw.STRATEGY_DRIVERS


def test_healthy_scores_zero_and_worst_scores_100():
    assert a.loyalty_risk(one_account())["K01"] == 0
    worst = one_account(**{s.column: s.worst for s in a.SIGNALS})
    assert a.loyalty_risk(worst)["K01"] == pytest.approx(100)


def test_a_signal_halfway_adds_half_its_weight():
    s = next(s for s in a.SIGNALS if s.column == "senior_visits")
    half = one_account(senior_visits=(s.healthy + s.worst) / 2)
    assert a.risk_contributions(half).loc["K01", "senior_visits"] == pytest.approx(s.weight / 2)
    assert a.loyalty_risk(half)["K01"] == pytest.approx(s.weight / 2)


def test_competitor_activity_counts_against_the_account():
    assert a.loyalty_risk(one_account(competitor_activity=3))["K01"] == pytest.approx(12)
    assert a.loyalty_risk(one_account(competitor_activity=1))["K01"] == pytest.approx(4)


@FAST
@given(portfolios())
def test_contributions_add_up_to_the_score(p):
    contrib = a.risk_contributions(p)
    risk = a.loyalty_risk(p)
    assert np.allclose(contrib.sum(axis=1), risk)
    assert ((risk >= -1e-9) & (risk <= 100 + 1e-9)).all()
    assert (contrib >= 0).all().all()
    weights = pd.Series({s.column: s.weight for s in a.SIGNALS})
    assert (contrib <= weights + 1e-9).all().all()
    groups = a.group_contributions(p)
    assert np.allclose(groups.sum(axis=1), risk)


@FAST
@given(portfolios(max_size=1), st.sampled_from(a.SIGNALS), st.floats(0, 1))
def test_the_score_is_monotonic_in_each_signal(p, signal, step):
    """Moving a signal towards healthy never raises the score; towards worst never lowers it."""
    lo, hi = DRAW[signal.column]
    before = a.loyalty_risk(p).iloc[0]
    better, worse = p.copy(), p.copy()
    towards_healthy = 1 if signal.healthy > signal.worst else -1
    better[signal.column] = (p[signal.column] + towards_healthy * step * (hi - lo)).clip(lo, hi)
    worse[signal.column] = (p[signal.column] - towards_healthy * step * (hi - lo)).clip(lo, hi)
    assert a.loyalty_risk(better).iloc[0] <= before + 1e-9
    assert a.loyalty_risk(worse).iloc[0] >= before - 1e-9


@FAST
@given(portfolios())
def test_driver_strengths_lie_between_0_and_1_and_mirror_the_shortfalls(p):
    strengths = a.driver_strengths(p)
    assert list(strengths.columns) == [d.id for d in fw.DRIVERS]
    assert ((strengths >= -1e-9) & (strengths <= 1 + 1e-9)).all().all()
    short = a.shortfalls(p)
    assert np.allclose(strengths["purchasing"], 1 - short["fill_rate"])
    assert np.allclose(strengths["say"], 1 - (8 * short["joint_promotions"] + 6 * short["feedback_requests"]) / 14)


# --------------------------------------------------------------------------- the shipped portfolio
def test_risk_table_ranks_the_shipped_portfolio(portfolio):
    table = a.risk_table(portfolio)
    assert len(table) == len(portfolio) >= 25
    assert table["risk"].is_monotonic_decreasing
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert list(table.index[:5]) == ["K14", "K13", "K21", "K11", "K12"]
    assert table.loc["K14", "risk"] == pytest.approx(86.733, abs=1e-3)
    assert table.loc["K14", "top_signal"] == "satisfaction"
    assert set(table["band"]) == {"low", "watch", "high"}
    assert np.allclose(table["profit_at_risk"], table["gross_profit"] * table["risk"] / 100)


def test_explain_takes_the_top_account_apart(portfolio):
    parts = a.explain(portfolio, "K14")
    assert list(parts.index[:2]) == ["satisfaction", "share_of_wallet"]
    assert parts["points"].sum() == pytest.approx(a.loyalty_risk(portfolio.set_index("account_id"))["K14"])
    assert parts["points"].is_monotonic_decreasing
    assert parts.loc["satisfaction", "group_label"] == "Relationship quality 关系质量"


def test_risk_band_edges():
    assert a.risk_band(0) == "low" and a.risk_band(29.99) == "low"
    assert a.risk_band(30) == "watch" and a.risk_band(45) == "high"
    assert list(a.risk_band(pd.Series([10.0, 40.0, 90.0]))) == ["low", "watch", "high"]


# --------------------------------------------------------------------------- drivers and strategies
def test_weakest_drivers_order_and_ties():
    s = pd.Series({d.id: 1.0 for d in fw.DRIVERS})
    assert a.weakest_drivers(s) == []
    s["service"], s["differentiation"] = 0.5, 0.2
    assert a.weakest_drivers(s) == ["differentiation", "service"]
    s[:] = 0.0  # a tie: the driver with more weight in the score first (say 14; purchasing and relationship 12)
    assert a.weakest_drivers(s) == ["say", "purchasing"]
    assert a.weakest_drivers(s, k=3) == ["say", "purchasing", "relationship"]
    with pytest.raises(ValueError, match="at least one"):
        a.weakest_drivers(s, k=0)
    with pytest.raises(ValueError, match="'trust' is not a loyalty driver"):
        a.weakest_drivers(pd.Series({"trust": 0.1}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios(max_size=3), st.integers(1, 7))
def test_the_recommender_covers_the_weakest_drivers(p, k):
    for acc in p.index:
        weak = a.weakest_drivers(a.driver_strengths(p).loc[acc], k)
        recs = a.recommend(p, acc, k)
        covered = {d for ds in recs["addresses"] for d in ds}
        assert covered == set(weak), "every weak driver is addressed, and only weak drivers are listed"
        for sid, row in recs.iterrows():
            assert set(row["addresses"]) == set(weak) & set(fw.STRATEGY_DRIVERS[sid])
            assert set(row["also"]) == set(fw.STRATEGY_DRIVERS[sid]) - set(weak)
        assert list(recs.index) == [s for s in recs.index if s in fw.STRATEGY_DRIVERS]
        n_hits = recs["addresses"].map(len).tolist()
        assert n_hits == sorted(n_hits, reverse=True), "strategies addressing more weak drivers come first"
        plan = a.retention_plan(p, acc, k)
        assert {d for s in plan.strategies for d in fw.STRATEGY_DRIVERS[s]} >= set(weak)
        assert plan.risk_after <= plan.risk + 1e-9 and plan.value_kept >= -1e-9
        assert plan.cost == sum(fw.STRATEGY_COST[s] for s in plan.strategies)


def test_recommendations_for_the_top_account(portfolio):
    recs = a.recommend(portfolio, "K14")
    assert recs.index[0] == "feedback"  # addresses both say in decisions and relationship quality
    assert recs.loc["feedback", "addresses"] == ("say", "relationship")
    assert {"co_promo", "visit", "reward", "forum", "trial", "support"} <= set(recs.index)
    assert "supply" not in recs.index
    plan = a.retention_plan(portfolio, "K14")
    assert plan.weak_drivers == ["say", "relationship"] and plan.strategies == ["feedback"]
    assert plan.cost == 5_000 and plan.risk_after == pytest.approx(69.733, abs=1e-3)


def test_a_healthy_account_needs_no_plan():
    plan = a.retention_plan(one_account(), "K01")
    assert plan.weak_drivers == [] and plan.strategies == [] and plan.cost == 0 and plan.value_kept == 0
    assert a.recommend(one_account(), "K01").empty


def test_plan_effect_is_checked(portfolio):
    with pytest.raises(ValueError, match="between 0 and 1"):
        a.retention_plan(portfolio, "K14", effect=1.5)
    full = a.retention_plan(portfolio, "K14", effect=1.0)
    half = a.retention_plan(portfolio, "K14", effect=0.5)
    assert full.value_kept == pytest.approx(2 * half.value_kept)


def test_retention_options_and_the_budget(portfolio):
    options = a.retention_options(portfolio)
    assert list(options.index) == list(a.risk_table(portfolio).index)
    assert {"plan", "plan_cost", "risk_after", "value_kept", "value_per_yuan"} <= set(options.columns)
    assert options.loc["K14", "plan"] == "feedback"
    assert np.allclose(options["value_kept"],
                       options["gross_profit"] * (options["risk"] - options["risk_after"]) / 100)
    out = a.budget_outcome(options, ["K14", "K12"], 100_000)
    assert out["cost"] == 37_000 and out["within_budget"] and out["left"] == 63_000
    assert out["value_kept"] == pytest.approx(options.loc[["K14", "K12"], "value_kept"].sum())
    assert not a.budget_outcome(options, list(options.index), 100_000)["within_budget"]
    assert a.budget_outcome(options, [], 100_000)["cost"] == 0


@pytest.mark.parametrize("chosen, message", [
    (["K99"], r"\['K99'\] are not in the options table"),
    (["K14", "K14"], r"\['K14'\] are chosen more than once"),
    ("K14", "one text 'K14'"),
])
def test_budget_outcome_rejects_bad_choices(portfolio, chosen, message):
    with pytest.raises(ValueError, match=message):
        a.budget_outcome(a.retention_options(portfolio), chosen, 100_000)


def test_budget_outcome_needs_the_options_table(portfolio):
    with pytest.raises(ValueError, match=r"no column\(s\) \['plan_cost', 'value_kept'\]"):
        a.budget_outcome(portfolio, ["K14"], 100_000)


# --------------------------------------------------------------------------- the portfolio and the team
def test_ka_profile_separates_big_from_key(portfolio):
    prof = a.ka_profile(portfolio)
    assert prof["cumulative_profit_share"].iloc[-1] == pytest.approx(1.0)
    assert prof["gross_profit"].is_monotonic_decreasing
    big_not_key = prof[(prof["revenue_rank"] <= 3) & (prof["rank_gap"] >= 10)]
    assert set(big_not_key.index) == {"K08", "K13"}


def test_team_assessment(portfolio):
    team = a.team_assessment(portfolio)
    assert team["accounts"].sum() == len(portfolio)
    assert team["gross_profit"].sum() == portfolio["gross_profit"].sum()
    assert team["share_at_risk"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="account_manager"):
        a.team_assessment(portfolio.drop(columns="account_manager"))


def test_ka_file_sorts_the_columns_into_four_levels(portfolio):
    file = a.ka_file(portfolio, "K14")
    assert list(file) == ["basic", "important", "core", "process"]
    assert file["basic"]["name"] == "Boya Restaurants"
    assert "share_of_wallet" in file["core"].index and "senior_visits" in file["process"].index
    placed = [c for level in a.FILE_COLUMNS.values() for c in level]
    assert len(placed) == len(set(placed))
    assert set(placed) == set(portfolio.columns) - {"account_id"}


# --------------------------------------------------------------------------- bad input
def test_inputs_are_not_changed(portfolio):
    before = portfolio.copy()
    a.risk_table(portfolio)
    a.retention_options(portfolio)
    a.ka_profile(portfolio)
    pd.testing.assert_frame_equal(portfolio, before)


def test_an_empty_portfolio_is_refused(portfolio):
    with pytest.raises(ValueError, match="the portfolio is empty"):
        a.loyalty_risk(portfolio.iloc[0:0])
    with pytest.raises(ValueError, match="the portfolio is empty"):
        a.retention_options(portfolio.iloc[0:0])


def test_a_missing_column_is_named(portfolio):
    with pytest.raises(ValueError, match=r"no column\(s\) \['senior_visits'\].*Fix"):
        a.loyalty_risk(portfolio.drop(columns="senior_visits"))
    with pytest.raises(ValueError, match=r"no column\(s\) \['gross_profit'\]"):
        a.risk_table(portfolio.drop(columns="gross_profit"))


@pytest.mark.parametrize("column, value, word", [
    ("fill_rate", 1.2, "above"), ("share_of_wallet", -0.1, "below"), ("satisfaction", 7, "above"),
    ("competitor_activity", 4, "above"), ("senior_visits", -1, "below"),
])
def test_a_signal_out_of_range_is_named(portfolio, column, value, word):
    bad = portfolio.copy()
    bad.loc[3, column] = value
    with pytest.raises(ValueError, match=rf"column '{column}' is {word} its range for account\(s\) \['K04'\]"):
        a.loyalty_risk(bad)


def test_non_numbers_duplicates_and_unknown_accounts(portfolio):
    bad = portfolio.copy()
    bad["fill_rate"] = bad["fill_rate"].astype(object)
    bad.loc[0, "fill_rate"] = "n/a"
    with pytest.raises(ValueError, match=r"column 'fill_rate' has empty or non-numeric values .*\['K01'\]"):
        a.loyalty_risk(bad)
    dup = pd.concat([portfolio.iloc[:2], portfolio.iloc[:1]])
    with pytest.raises(ValueError, match=r"\['K01'\] appear more than once"):
        a.loyalty_risk(dup)
    with pytest.raises(ValueError, match="no account 'K99'"):
        a.explain(portfolio, "K99")
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        a.loyalty_risk([1, 2, 3])
    flags = portfolio.copy()
    flags["senior_visits"] = True
    with pytest.raises(ValueError, match="True/False"):
        a.loyalty_risk(flags)


def test_an_indexed_portfolio_works_too(portfolio):
    pd.testing.assert_series_equal(a.loyalty_risk(portfolio), a.loyalty_risk(portfolio.set_index("account_id")))
