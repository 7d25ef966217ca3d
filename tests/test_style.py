"""The shared chart style: words for column names, Chinese terms, the CJK font, overlap-free labels, number formats."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from salescoach import style


# --------------------------------------------------------------------------- words
def test_words_use_the_registry_then_plain_spaces():
    style.add_words({"test_rev_col": "revenue in the test"})
    assert style.words("test_rev_col") == "revenue in the test"
    assert style.words("share_of_visits_x") == "share of visits x"
    assert style.words("VIP") == "VIP"


def test_display_label_turns_names_into_words_and_adds_terms():
    style.add_words({"test_key_col": "key accounts"})
    style.add_terms({"test_key_col": "关键客户"})
    assert style.display_label("test_key_col", chinese=True) == "key accounts (关键客户)"
    assert style.display_label("test_key_col", chinese=False) == "key accounts"


# --------------------------------------------------------------------------- spread
@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0, 1), max_size=8), st.floats(0.001, 0.2))
def test_spread_keeps_order_and_gap(positions, gap):
    out = style.spread(positions, gap)
    assert len(out) == len(positions)
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [out[i] for i in order]
    assert all(b - a >= gap - 1e-9 for a, b in zip(placed, placed[1:]))
    # labels already far enough apart do not move
    if all(b - a >= gap for a, b in zip(sorted(positions), sorted(positions)[1:])):
        assert out == pytest.approx(positions)


def test_spread_centres_a_tight_pair_and_stays_inside():
    assert style.spread([0.80, 0.81], 0.05) == pytest.approx([0.78, 0.83])
    assert style.spread([0.95, 0.99], 0.05, hi=1.0) == pytest.approx([0.945, 0.995])
    assert style.spread([0.97, 0.99], 0.05, hi=1.0) == pytest.approx([0.95, 1.0])
    assert style.spread([0.0, 0.01, 0.5], 0.05, lo=0.0) == pytest.approx([0.0, 0.05, 0.5])
    assert style.spread([0.5], 0.05) == [0.5]
    with pytest.raises(ValueError, match="min_gap"):
        style.spread([0.1], -1)


# --------------------------------------------------------------------------- numbers and tables
def test_number_formats():
    assert style.count(2.0) == "2" and style.count(23570) == "23,570"
    assert style.pct(0.8) == "80%" and style.pct(0.012) == "1.2%"
    assert style.money(8793.0) == "8.79k" and style.money(-1_234_567) == "-1.23M"


def test_table_shows_words_whole_counts_and_percentages():
    style.add_words({"t_customers": "customers", "t_share": "share of customers"})
    frame = pd.DataFrame({"t_customers": [2.0, 10.0], "t_share": [0.25, 0.755], "t_money": [8793.0, 12.5]},
                         index=pd.Index(["A", "B"], name="class"))
    html = style.table(frame, shares=["t_share"], amounts=["t_money"], counts=["t_customers"]).to_html()
    assert ">2<" in html and "2.000000" not in html
    assert "76%" in html and "8,793" in html
    assert "share of customers" in html and "t_money" not in html and "t money" in html


# --------------------------------------------------------------------------- the CJK font
def _ink(text: str, family: str | None = None) -> np.ndarray:
    fig = Figure(figsize=(1.2, 0.6), dpi=100)
    kwargs = {"family": family} if family else {}
    fig.text(0.1, 0.3, text, fontsize=20, **kwargs)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0]


@pytest.fixture
def cjk():
    name = style.cjk_font()
    if name is None:
        pytest.skip("no font with Chinese glyphs installed here (`make system-deps` installs fonts-wqy-microhei)")
    return name


def test_chinese_labels_render_as_glyphs_when_a_cjk_font_is_installed(cjk):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for every box it draws
        fig = Figure()
        ax = fig.add_subplot()
        ax.set_title("Customer pyramid 客户金字塔")
        ax.set_xlabel(style.display_label("VIP", chinese=True))
        FigureCanvasAgg(fig).draw()
    # two different characters give two different images (missing glyphs would all be the same empty box)
    a, b = _ink("客"), _ink("户")
    assert (a < 128).sum() > 20 and (b < 128).sum() > 20
    assert not np.array_equal(a, b)


def test_a_font_installed_after_matplotlibs_cache_is_found(cjk, monkeypatch):
    """`make system-deps` may install the font after matplotlib cached its font list: the style finds it anyway."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if f.name != cjk])
    style.cjk_font.cache_clear()
    try:
        assert style.cjk_font() == cjk
        assert any(f.name == cjk for f in manager.ttflist)
    finally:
        style.cjk_font.cache_clear()
    assert style.has_cjk_font()
