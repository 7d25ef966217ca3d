"""Charts of salescoach.customer_grading.plots: right artists, right numbers, clear errors (real matplotlib, Agg backend)."""
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from salescoach.customer_grading import analysis, plots


def _line(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert found, f"no line with gid {gid!r}; gids: {[ln.get_gid() for ln in ax.get_lines()]}"
    return found[0]


# --------------------------------------------------------------------------- pareto_chart
def test_pareto_chart_regions_match_abc_classes(territory):
    values = territory["revenue_12m"]
    ax = plots.pareto_chart(values, 0.8, 0.95, value_label="revenue")
    assert isinstance(ax, Axes)
    counts = analysis.abc_classes(values, 0.8, 0.95).value_counts()
    labels = [p.get_label() for p in ax.patches if p.get_label()[:2] in ("A:", "B:", "C:")]
    assert [lab[0] for lab in labels] == ["A", "B", "C"]
    for lab in labels:
        assert lab.startswith(f"{lab[0]}: {counts[lab[0]]} customers"), lab
        assert "of revenue" in lab
    # the regions tile the x axis in proportion to the class sizes
    n = len(values)
    spans = [p for p in ax.patches if p.get_label()[:2] in ("A:", "B:", "C:")]
    widths = [p.get_width() for p in spans]
    assert [p.get_x() for p in spans] == pytest.approx([0, counts["A"] / n, (counts["A"] + counts["B"]) / n])
    assert widths == pytest.approx([counts["A"] / n, counts["B"] / n, counts["C"] / n])


def test_pareto_chart_curve_cutoffs_and_reference(territory):
    values = territory["revenue_12m"]
    ax = plots.pareto_chart(values, 0.7, 0.9)
    curve = _line(ax, "pareto_curve")
    x, y = curve.get_data()
    ref = analysis.pareto_curve(values)
    assert x[0] == 0 and y[0] == 0
    assert y[1:] == pytest.approx(ref["cumulative_share"].to_numpy())
    assert _line(ax, "a_cut").get_ydata()[0] == pytest.approx(0.7)
    assert _line(ax, "b_cut").get_ydata()[0] == pytest.approx(0.9)
    ref_x, ref_y = _line(ax, "reference_8020").get_data()
    assert list(ref_x) == [0.2, 0.2, 0] and list(ref_y) == [0, 0.8, 0.8]
    assert _line(ax, "top20_point").get_ydata()[0] == pytest.approx(analysis.share_of_top(values, 0.2))
    assert "share of customers" in ax.get_xlabel()
    assert "cumulative share" in ax.get_ylabel()
    assert "70%" in ax.get_title() and "90%" in ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "80/20 reference" in legend


def test_pareto_chart_without_reference_and_custom_title():
    ax = plots.pareto_chart([5, 3, 1, 1], reference=False, title="My chart")
    gids = {ln.get_gid() for ln in ax.get_lines()}
    assert "reference_8020" not in gids and "equal_line" not in gids
    assert ax.get_title() == "My chart"


def test_pareto_chart_draws_into_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.pareto_chart(pd.Series([10.0, 5, 1]), ax=ax) is ax
    assert plt.get_fignums() == []  # no pyplot figure was opened


def test_pareto_chart_accepts_lists():
    ax = plots.pareto_chart([100, 50, 10, 5, 1, 0])
    assert _line(ax, "pareto_curve").get_ydata()[-1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "values, kwargs, message",
    [
        ([], {}, "empty"),
        (pd.Series([1.0, np.nan, 3.0]), {}, "missing"),
        (pd.Series([5.0, -1.0]), {}, "negative"),
        ([0, 0, 0], {}, "zero"),
        (["a", "b"], {}, "non-numeric"),
        ([3, 2, 1], {"a_cut": 0.9, "b_cut": 0.8}, "a_cut < b_cut"),
        ([3, 2, 1], {"a_cut": 0.0}, "a_cut < b_cut"),
        ([3, 2, 1], {"b_cut": 1.5}, "b_cut <= 1"),
        (pd.DataFrame({"x": [1, 2]}), {}, "DataFrame"),
        ("abc", {}, "list or Series"),
    ],
)
def test_pareto_chart_bad_input_raises(values, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.pareto_chart(values, **kwargs)


def test_pareto_chart_rejects_non_axes():
    with pytest.raises(ValueError, match="Axes"):
        plots.pareto_chart([1, 2], ax="not an axes")


# --------------------------------------------------------------------------- pareto_curves
def test_pareto_curves_one_line_per_series(territory):
    series = {"revenue": territory["revenue_12m"], "profit": territory["gross_profit"].clip(lower=0)}
    ax = plots.pareto_curves(series, value_label="money")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("revenue (n=300): top 20% hold")
    assert legend[1].startswith("profit (n=300)")
    assert f"{analysis.share_of_top(territory['revenue_12m'], 0.2) * 100:.0f}%" in legend[0]
    assert len(ax.get_lines()) == 4  # two curves + diagonal + 80/20 reference


@pytest.mark.parametrize("series, message", [({}, "non-empty"), ({"x": [1, -2]}, "series 'x'"), ([1, 2], "mapping")])
def test_pareto_curves_bad_input(series, message):
    with pytest.raises(ValueError, match=message):
        plots.pareto_curves(series)


# --------------------------------------------------------------------------- pyramids
def _bars(ax):
    return [p for p in ax.patches if (p.get_gid() or "").startswith("level_")]


def test_pyramid_chart_from_levels(territory):
    levels = analysis.pyramid_levels(territory["revenue_12m"])
    ax = plots.pyramid_chart(levels)
    bars = _bars(ax)
    assert [b.get_gid() for b in bars] == ["level_VIP", "level_major", "level_ordinary", "level_small"]
    counts = levels.value_counts().reindex(list(analysis.PYRAMID_LABELS))
    widths = [b.get_width() for b in bars]
    shares = (counts / counts.sum()).tolist()
    # widths follow the shares, except that thin levels (the 1% VIP) are drawn at a visible minimum
    assert widths == pytest.approx([max(x, 0.06 * max(shares)) for x in shares])
    assert widths[0] > shares[0] and widths[-1] == pytest.approx(shares[-1])
    # an upright pyramid: the top level is drawn highest and narrowest, bars are centred on 0
    ys = [b.get_y() for b in bars]
    assert ys == sorted(ys, reverse=True)
    for b in bars:
        assert b.get_x() + b.get_width() / 2 == pytest.approx(0)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("VIP") and ticks[-1].startswith("small")
    texts = " ".join(t.get_text() for t in ax.texts)
    assert f"{counts['VIP']} customers" in texts and f"{counts['small']} customers" in texts


def test_pyramid_chart_amounts_and_negative_level():
    ax = plots.pyramid_chart({"platinum": 600.0, "gold": 300.0, "iron": 150.0, "lead": -50.0}, money=True,
                             value_label="yuan")
    bars = _bars(ax)
    assert [b.get_gid() for b in bars] == ["level_platinum", "level_gold", "level_iron", "level_lead"]
    assert bars[0].get_width() == pytest.approx(600 / 1050)
    assert bars[-1].get_fill() is False  # the loss-making level is an empty outline
    assert any("(loss)" in t.get_text() for t in ax.texts)


def test_pyramid_chart_order_and_chinese_labels():
    levels = pd.Series(["small", "VIP", "small", "major"])
    ax = plots.pyramid_chart(levels, order=list(analysis.PYRAMID_LABELS), chinese=True)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["VIP (VIP客户)", "major (主要客户)", "ordinary (普通客户)", "small (小客户)"]
    assert _bars(ax)[2].get_width() == 0  # no ordinary customer


@pytest.mark.parametrize(
    "data, kwargs, message",
    [
        (pd.Series([], dtype=object), {}, "empty"),
        (pd.Series(["A", None, "B"]), {}, "without a level"),
        (pd.Series(["A", "B"]), {"order": ["A"]}, "not in order"),
        ({"A": 0.0, "B": -3.0}, {}, "nothing to draw"),
        ({"A": float("nan")}, {}, "missing amount"),
        ([1, 2, 3], {}, "Series or a mapping"),
    ],
)
def test_pyramid_chart_bad_input(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.pyramid_chart(data, **kwargs)


def test_count_profit_pyramids_inverted(territory):
    scores = analysis.value_score(territory, {"revenue_12m": 1, "gross_profit": 1})
    grades = analysis.value_grades(scores)
    fig = plots.count_profit_pyramids(grades, territory["gross_profit"])
    assert isinstance(fig, Figure)
    left, right = fig.axes
    count_w = [b.get_width() for b in _bars(left)]
    profit_w = [b.get_width() for b in _bars(right)]
    assert count_w[0] < count_w[-1]  # few key customers ...
    assert profit_w[0] > profit_w[-1]  # ... bring the most profit: the pyramid stands on its head
    per_grade = territory["gross_profit"].groupby(grades.astype(object)).sum()
    assert profit_w[0] == pytest.approx(per_grade["key"] / per_grade.clip(lower=0).sum())
    # redrawing into the same figure replaces the old axes
    again = plots.count_profit_pyramids(grades, territory["gross_profit"], fig=fig)
    assert again is fig and len(fig.axes) == 2


def test_count_profit_pyramids_index_mismatch(territory):
    grades = analysis.value_grades(territory["revenue_12m"])
    with pytest.raises(ValueError, match="same index"):
        plots.count_profit_pyramids(grades, territory["gross_profit"].iloc[:-1])
    with pytest.raises(ValueError, match="missing"):
        plots.count_profit_pyramids(grades, territory["growth_yoy"])


# --------------------------------------------------------------------------- scatter charts
def test_territory_map_one_group_per_class(territory):
    classes = analysis.abc_classes(territory["revenue_12m"])
    ax = plots.territory_map(territory, classes, size=territory["revenue_12m"])
    assert len(ax.collections) == 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    counts = classes.value_counts()
    assert legend == [f"{c} ({counts[c]})" for c in "ABC"]
    total_points = sum(len(c.get_offsets()) for c in ax.collections)
    assert total_points == len(territory)
    assert "longitude" in ax.get_xlabel() and "latitude" in ax.get_ylabel()


def test_territory_map_bad_input(territory):
    classes = analysis.abc_classes(territory["revenue_12m"])
    with pytest.raises(ValueError, match="longitude"):
        plots.territory_map(territory.drop(columns="longitude"), classes)
    with pytest.raises(ValueError, match="same index"):
        plots.territory_map(territory, classes.iloc[:10])


def test_margin_scatter_highlights_fake_big_customers(territory):
    flagged = analysis.fake_big_customers(territory["revenue_12m"], territory["gross_profit"])
    ax = plots.margin_scatter(territory["revenue_12m"], territory["gross_profit"], names=territory["customer_id"])
    fake = [c for c in ax.collections if c.get_gid() == "fake_big"][0]
    plain = [c for c in ax.collections if c.get_gid() == "customers"][0]
    assert len(fake.get_offsets()) == flagged.sum() > 0
    buyers = int((territory["revenue_12m"] > 0).sum())
    assert len(fake.get_offsets()) + len(plain.get_offsets()) == buyers
    annotated = {t.get_text() for t in ax.texts}
    assert set(territory.loc[flagged, "customer_id"]) <= annotated
    assert ax.get_xscale() == "log"


def test_margin_scatter_bad_input():
    with pytest.raises(ValueError, match="revenue > 0"):
        plots.margin_scatter(pd.Series([0.0, 0.0]), pd.Series([0.0, 0.0]))
    with pytest.raises(ValueError, match="same index"):
        plots.margin_scatter(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0], index=[5, 6]))


# --------------------------------------------------------------------------- fonts and labels
def test_default_labels_draw_without_missing_glyphs(territory):
    """With chinese=None the charts only use Chinese when a CJK font exists, so nothing renders as boxes."""
    grades = analysis.value_grades(analysis.value_score(territory, {"revenue_12m": 1}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (
            plots.pareto_chart(territory["revenue_12m"]).figure,
            plots.pyramid_chart(analysis.pyramid_levels(territory["revenue_12m"])).figure,
            plots.count_profit_pyramids(grades, territory["gross_profit"]),
            plots.margin_scatter(territory["revenue_12m"], territory["gross_profit"]).figure,
        ):
            fig.canvas.draw()


def test_display_label():
    assert plots.display_label("key", chinese=True) == "key (关键客户)"
    assert plots.display_label("key", chinese=False) == "key"
    assert plots.display_label("A", chinese=True) == "A"
    assert plots.level_colours(["A", "B", "C"]) == {k: plots.CLASS_COLOURS[k] for k in "ABC"}
    assert len(plots.level_colours([f"L{i}" for i in range(8)])) == 8


def test_pareto_chart_close_cutoffs_have_separate_labels(territory):
    ax = plots.pareto_chart(territory["revenue_12m"], 0.80, 0.81, value_label="revenue_12m")
    labels = {t.get_gid(): t for t in ax.texts if (t.get_gid() or "").endswith("_cut_label")}
    fig = ax.figure
    fig.canvas.draw()
    a_box = labels["a_cut_label"].get_window_extent()
    b_box = labels["b_cut_label"].get_window_extent()
    assert not a_box.overlaps(b_box)
    # words, not column names
    assert "revenue_12m" not in ax.get_title() + ax.get_xlabel() + ax.get_ylabel()
    assert "revenue in the last 12 months" in ax.get_ylabel()


def test_territory_map_names_the_districts(territory):
    classes = analysis.abc_classes(territory["revenue_12m"])
    ax = plots.territory_map(territory, classes)
    named = {t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("district_")}
    assert named == set(territory["district"])


def test_rank_shift_chart_shows_who_drops(territory):
    t = territory.set_index("customer_id")
    ax = plots.rank_shift_chart(t["revenue_12m"], t["gross_profit"], top=20, names=t.index.to_series())
    fake = analysis.fake_big_customers(t["revenue_12m"], t["gross_profit"], top_share=0.1)
    note = [x.get_text() for x in ax.texts if x.get_gid() == "dropped_note"][0]
    for c in fake[fake].index:
        if t["revenue_12m"].rank(ascending=False, method="first")[c] <= 20:
            assert c in note
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [
        "rank by revenue in the last 12 months", "rank by gross profit"]
    with pytest.raises(ValueError, match="same index"):
        plots.rank_shift_chart(t["revenue_12m"], t["gross_profit"].iloc[1:])


def test_effort_chart_bars_are_the_shares(territory):
    classes = analysis.abc_classes(territory["revenue_12m"])
    table = analysis.effort_vs_value(classes, territory["visited"], territory["revenue_12m"])
    ax = plots.effort_chart(table, effort_label="visits", value_label="revenue_12m")
    effort = [p.get_height() for p in ax.patches if p.get_gid() == "effort"]
    assert effort == pytest.approx(table["effort_share"].tolist())
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == ["share of visits", "share of revenue in the last 12 months"]
    with pytest.raises(ValueError, match="effort_vs_value"):
        plots.effort_chart(pd.DataFrame({"x": [1]}))
