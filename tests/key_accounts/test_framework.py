"""The syllabus's lists as data, and the kit's strategy -> driver mapping."""
from __future__ import annotations

import pytest

from salescoach.key_accounts import framework as fw


def test_the_lists_have_the_syllabus_lengths():
    assert len(fw.SERVICE_MEASURES) == 9
    assert len(fw.FACTORS) == 5
    assert len(fw.DRIVERS) == 7
    assert len(fw.STRATEGIES) == 10
    assert [t.id for t in fw.FILE_LEVELS] == ["basic", "important", "core", "process"]
    assert len(fw.CONTACT_WAYS) == 3
    assert len(fw.REVIEW_AIMS) == 4 and len(fw.REVIEW_TIPS) == 11
    assert [t.id for t in fw.WIN_WIN["means"]] == ["department", "feedback_system", "information"]


def test_every_entry_has_english_chinese_and_a_unique_id():
    for group in (fw.SERVICE_MEASURES, fw.FACTORS, fw.DRIVERS, fw.STRATEGIES, fw.FILE_LEVELS, fw.CONTACT_WAYS,
                  fw.REVIEW_TIPS):
        ids = [t.id for t in group]
        assert len(set(ids)) == len(ids)
        for t in group:
            assert t.en and t.zh and any("\u4e00" <= ch <= "\u9fff" for ch in t.zh), t


def test_key_terms_of_the_syllabus_are_there():
    zh = {t.zh for t in (*fw.SERVICE_MEASURES, *fw.FACTORS)}
    assert "大客户项目服务经理制" in zh and "进入障碍" in zh and "退出障碍" in zh
    assert fw.KA_DEFINITION.zh == "大客户" and "profit" in fw.KA_DEFINITION.note


def test_strategy_mapping_names_known_strategies_and_drivers():
    drivers = {d.id for d in fw.DRIVERS}
    assert set(fw.STRATEGY_DRIVERS) == {s.id for s in fw.STRATEGIES}
    assert set(fw.STRATEGY_COST) == {s.id for s in fw.STRATEGIES}
    assert set(fw.STRATEGY_BARRIERS) == {s.id for s in fw.STRATEGIES}
    for sid, ds in fw.STRATEGY_DRIVERS.items():
        assert ds and set(ds) <= drivers, sid
        assert fw.STRATEGY_COST[sid] > 0
        assert fw.STRATEGY_BARRIERS[sid] in ("entry", "exit")


def test_every_driver_is_addressed_by_at_least_two_strategies():
    for d in fw.DRIVERS:
        assert len(fw.strategies_for(d.id)) >= 2, d.id


def test_strategies_for_follows_the_sources_order():
    assert fw.strategies_for("purchasing") == ["supply", "inform"]
    assert fw.strategies_for("say") == ["trial", "co_promo", "feedback", "forum"]


@pytest.mark.parametrize("fn, bad", [(fw.driver, "loyalty"), (fw.strategy, "discount"), (fw.strategies_for, "x")])
def test_unknown_ids_are_named(fn, bad):
    with pytest.raises(ValueError, match=rf"unknown .*'{bad}'.*known"):
        fn(bad)


def test_terms_and_labels():
    terms = fw.terms()
    assert terms["Entry barriers"] == "进入障碍" and terms["Hold a yearly KA forum"] == "组织每年一度的大客户座谈会"
    assert fw.label(fw.driver("philosophy")) == "Shared philosophy 理念"
    assert fw.label(fw.driver("philosophy"), chinese=False) == "Shared philosophy"
