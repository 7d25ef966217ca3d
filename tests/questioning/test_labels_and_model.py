"""The type ids and their aliases, and the word model the classifier blends with its rules."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.datasets import load
from salescoach.questioning import model
from salescoach.questioning.classifier import normalise
from salescoach.questioning.labels import TYPES, find_type, type_id, type_ids


@pytest.mark.parametrize("name, expected", [
    ("opinion-giving", "opinion-giving"), ("opinion", "opinion-giving"), ("Opinion giving", "opinion-giving"),
    ("OPINION_GIVING", "opinion-giving"), ("给出观点的问题", "opinion-giving"), ("給出觀點的問題", "opinion-giving"),
    ("yes/no", "closed"), ("Yes / No", "closed"), ("封闭式问题", "closed"), ("open", "descriptive"),
    ("描述性问题", "descriptive"), ("澄清性问题", "clarifying"), ("clarify", "clarifying"),
    ("征询性问题", "consultative"), ("soliciting", "consultative"), ("  closed  ", "closed"),
])
def test_aliases(name, expected):
    assert type_id(name) == expected and find_type(name) == expected


@pytest.mark.parametrize("bad", ["rhetorical", "", None, 3, ["closed"]])
def test_unknown_type_is_a_clear_error(bad):
    assert find_type(bad) is None
    with pytest.raises(ValueError, match="unknown question type .*Fix: use one of"):
        type_id(bad)


def test_type_ids_in_order():
    assert type_ids(["open", "opinion", "closed"]) == ["descriptive", "opinion-giving", "closed"]
    assert all(type_id(t) == t for t in TYPES)


def test_features_read_form_and_words():
    f = model.features(normalise("I think prices will rise. Would you agree?"))
    assert {"w:i think", "q0:would", "qz:agree", "mark:?", "shape:two-parts"} <= f
    z = model.features(normalise("您觉得这样安排合适吗？"))
    assert {"c:觉得", "qz:吗", "q0:您"} <= z


def test_fit_is_deterministic_and_learns():
    data = load("questions")
    train = data[data["split"] == "train"]
    norms, labels = [normalise(t) for t in train["text"]], list(train["type"])
    a, b = model.fit(norms, labels), model.fit(norms, labels)
    assert a.vocab == b.vocab and np.array_equal(a.weights, b.weights)
    predicted = [TYPES[int(np.argmax(a.log_scores(n)))] for n in norms]
    assert np.mean([p == y for p, y in zip(predicted, labels)]) > 0.9  # it fits its own data
    lp = a.log_probabilities(normalise("What if we delivered on Fridays?"))
    assert set(lp) == set(TYPES) and abs(sum(np.exp(list(lp.values()))) - 1) < 1e-9
    assert a.evidence(normalise("What if we delivered on Fridays?"), "consultative")


def test_fit_rejects_mismatched_input():
    with pytest.raises(ValueError, match="one label per question"):
        model.fit(["do you?"], [])


def test_shipped_model_uses_the_train_split_only():
    m = model.shipped_model()
    data = load("questions")
    test_only = set().union(*(model.features(normalise(t)) for t in data.loc[data["split"] == "test", "text"]))
    train_feats = set().union(*(model.features(normalise(t)) for t in data.loc[data["split"] == "train", "text"]))
    assert not (set(m.vocab) & (test_only - train_feats))  # no feature seen only in test


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_probabilities_stay_a_distribution(text):
    p = model.shipped_model().probabilities(text.lower())
    assert p.shape == (5,) and abs(p.sum() - 1) < 1e-9 and (p >= 0).all()
