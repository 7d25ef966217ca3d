"""The M4 widgets driven like a student: the card grid, the vignette drill, the role-play, the trait explorer; charts."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from salescoach.customer_types import analysis, plots, widgets  # noqa: E402
from salescoach.datasets import load  # noqa: E402


def test_card_grid_shows_fourteen_cards_and_filters_by_group():
    cards = widgets.type_cards()
    assert len(cards.grid.children) == 14
    assert "怀疑型" in cards.grid.children[7].value and "admit weaknesses" in cards.grid.children[7].value
    cards.group.value = "decide"
    assert cards.shown == ["conservative", "timid", "decisive", "methodical", "dependent"]
    assert len(cards.grid.children) == 5
    en = widgets.type_cards(lang="en", group="talk")
    assert "健谈型" in en.grid.children[0].value  # the Chinese name stays in the title
    assert "抓住" not in en.grid.children[0].value
    with pytest.raises(ValueError, match="group must be one of"):
        widgets.type_cards(group="speak")
    with pytest.raises(ValueError, match="lang must be"):
        widgets.type_cards(lang="fr")


def test_drill_checks_type_and_approach_and_keeps_a_tally():
    d = widgets.recognise_drill(settings=["phone"])
    assert all(v.setting == "phone" for v in d.vignettes) and len(d.vignettes) >= 8
    d.check_button.click()
    assert "Pick a type" in d.feedback.value
    v = d.vignette
    wrong = next(o.id for o in v.type_options if not o.correct)
    d.type_choice.value = wrong
    d.approach_choice.value = v.approach
    d.check_button.click()
    assert "data-correct='false'" in d.feedback.value and "Type not right, approach right" in d.feedback.value
    assert d.feedback.value.count("<li>") == len(v.type_options) + len(v.approaches)
    d.type_choice.value = v.type
    d.check_button.click()
    assert "data-correct='true'" in d.feedback.value
    assert "0 of 1 fully right at the first try" in d.progress.value  # the first try counts
    d.next_button.click()
    assert d.index == 1 and d.type_choice.value is None and d.feedback.value == ""
    d.previous_button.click()
    assert d.index == 0 and d.previous_button.disabled


def test_drill_filters_and_order():
    d = widgets.recognise_drill(types=["picky"], lang="zh")
    assert [v.type for v in d.vignettes] == ["picky"] * 3 and "挑剔型" in d.type_choice.options[0][0] + \
        d.type_choice.options[1][0] + d.type_choice.options[2][0]
    a = widgets.recognise_drill(order="shuffled", seed=1)
    b = widgets.recognise_drill(order="shuffled", seed=1)
    assert [v.id for v in a.vignettes] == [v.id for v in b.vignettes] != [v.id for v in widgets.recognise_drill().vignettes]
    with pytest.raises(ValueError, match="no vignettes to drill"):
        widgets.recognise_drill(types=["nobody"])
    with pytest.raises(ValueError, match="order must be"):
        widgets.recognise_drill(order="random")


def _say(r, option_id):
    [b for b in r.option_buttons if b.description.startswith(f"Say {option_id} ")][0].click()


def test_roleplay_plays_to_a_debrief_and_the_answer_line():
    r = widgets.roleplay("sceptical-property")
    assert "Turn 1 of 4" in r.prompt.value and len(r.option_buttons) == 3
    for oid in ("b", "a", "c"):
        _say(r, oid)
    assert "Turn 4 of 4" in r.prompt.value and r.transcript.value.count("<tr>") == 4
    _say(r, "a")
    assert r.option_buttons == [] and "data-outcome='good'" in r.debrief.value
    assert "Good outcome: 8 of 8 points" in r.debrief.value and "结果良好" in r.debrief.value
    assert "[&#x27;b&#x27;, &#x27;a&#x27;, &#x27;c&#x27;, &#x27;a&#x27;]" in r.answer_line.value
    r.start_button.click()
    assert r.debrief.value == "" and "Turn 1 of 4" in r.prompt.value
    r.chooser.value = "self-centred-designer"
    for oid in ("b", "c", "a"):
        _say(r, oid)
    assert "data-outcome='poor'" in r.debrief.value and "ended the meeting early" in r.debrief.value
    with pytest.raises(ValueError, match="no role-play script 'nobody'"):
        widgets.roleplay("nobody")


def test_reception_explorer_follows_the_sliders():
    e = widgets.reception_explorer(need_for_data=5)
    assert "Analytical 分析型" in e.result.value
    e.sliders["scepticism"].value = 4
    assert "Sceptical 怀疑型" in e.result.value and "Also fits" in e.result.value and "analytical" in e.result.value
    e.sliders["complaints_12m"].value = 3
    assert "Complaining" in e.result.value
    with pytest.raises(ValueError, match="unknown trait"):
        widgets.reception_explorer(loudness=5)


def test_charts_have_words_not_column_names():
    cust = load("reception_traits").set_index("customer_id")
    plan = analysis.reception_plan(cust, "2025-12-31")
    ax = plots.type_counts_chart(plan, chinese=True)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Talkative (健谈型)" and labels[-1] == "No clear type yet (类型尚不明确)"
    assert ax.get_xlabel() == "Number of customers"
    ax2 = plots.type_by_value_chart(plan, chinese=False)
    assert [t.get_text() for t in ax2.get_xticklabels()][:2] == ["Loyal", "Fast-growing"]
    assert "Reception type" in ax2.get_ylabel()
    with pytest.raises(ValueError, match="value_type"):
        plots.type_by_value_chart(pd.DataFrame({"type": ["picky"]}))
    plt.close("all")


def test_roleplay_plays_a_trainers_own_folder_and_names_a_broken_file(tmp_path):
    from salescoach.customer_types.roleplay import SCRIPTS_DIR, ScriptFormatError

    text = (SCRIPTS_DIR / "picky-hotel.yml").read_text(encoding="utf-8").replace("id: picky-hotel", "id: my-buyer", 1)
    (tmp_path / "my-buyer.yml").write_text(text, encoding="utf-8")
    r = widgets.roleplay(folder=tmp_path)
    assert list(r.scripts) == ["my-buyer"] and "Turn 1 of 4" in r.prompt.value
    (tmp_path / "broken.yml").write_text(text.replace("id: my-buyer", "id: broken", 1).replace("points: 2", "points: 3", 1),
                                         encoding="utf-8")
    with pytest.raises(ScriptFormatError, match=r"broken\.yml, line \d+ .*points: 3"):
        widgets.roleplay(folder=tmp_path)
