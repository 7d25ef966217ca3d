"""Question classifier: accuracy per language and confusion matrices on the in-repo split and the external set.

    .venv/bin/python benchmarks/questions.py [--file datasets/questions.csv] [--external datasets/questions_external.csv]

Two held-out sets, printed separately:

* **in-repo split**: the ``test`` rows of ``datasets/questions.csv`` (fixed split, stratified by source, type and
  language). The word model is fitted on the ``train`` rows only; the cue rules were developed on train rows and
  on probe sets that are train-only.
* **external set**: ``datasets/questions_external.csv``, written in other voices before the rework and scored only
  at its start and its end; it was never used to tune anything (see datasets/README.md).

Rows compared on each: the classifier (rules + word model, what the kit uses), the rules alone, the word model
alone, the grammatical form alone (yes/no, choice, tag or one-fact question -> closed, everything else ->
descriptive) and the majority class. Target (issue 12): at least 0.90 in each language.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from salescoach.datasets import load
from salescoach.datasets.questions import check_split
from salescoach.questioning import analysis, model
from salescoach.questioning.classifier import TYPES, classify_question, normalise

TARGET = 0.90
_FORM_CLOSED = {"form-yesno", "form-choice", "form-tag", "form-declarative", "form-fact"}


def form_only(text: str) -> str:
    """Baseline: closed when the form is yes/no, a choice, a tag or one fact; descriptive otherwise."""
    return "closed" if set(classify_question(text, use_model=False).cues) & _FORM_CLOSED else "descriptive"


def model_only(text: str) -> str:
    """Baseline: the word model's most likely type, no rules."""
    return TYPES[int(np.argmax(model.shipped_model().log_scores(normalise(text))))]


def _accuracy(frame: pd.DataFrame, predicted: list[str]) -> dict[str, float]:
    acc = analysis.accuracy_by(frame, predicted).to_dict()
    acc["all"] = float((pd.Series(predicted, index=frame.index) == frame["type"]).mean())
    return acc


def report(name: str, frame: pd.DataFrame, majority: str, show_errors: bool) -> dict[str, float]:
    """Print the accuracy table and the confusion matrices of one held-out set; return the classifier's accuracy."""
    start = time.perf_counter()
    predicted = [classify_question(t).type for t in frame["text"]]
    ms = (time.perf_counter() - start) * 1000 / len(frame)
    rows = {
        "classifier (rules + word model)": _accuracy(frame, predicted),
        "rules alone": _accuracy(frame, [classify_question(t, use_model=False).type for t in frame["text"]]),
        "word model alone": _accuracy(frame, [model_only(t) for t in frame["text"]]),
        "form only (baseline)": _accuracy(frame, [form_only(t) for t in frame["text"]]),
        f"majority '{majority}' (baseline)": _accuracy(frame, [majority] * len(frame)),
    }
    print(f"\n=== {name}: {len(frame)} questions ({(frame.language == 'en').sum()} English, "
          f"{(frame.language == 'zh').sum()} Chinese); {ms:.2f} ms per question ===\n")
    print(pd.DataFrame(rows).T[["en", "zh", "all"]].to_string(float_format="{:.3f}".format))
    for lang in ("en", "zh"):
        part = (frame["language"] == lang).to_numpy()
        cm = analysis.confusion_matrix(frame.loc[part, "type"], [p for p, keep in zip(predicted, part) if keep])
        print(f"\nconfusion matrix, {name}, {lang} (rows: true type, columns: the classifier's type)")
        print(cm.to_string())
    wrong = frame.assign(predicted=predicted)
    wrong = wrong[wrong["type"] != wrong["predicted"]]
    if show_errors and len(wrong):
        print(f"\nmisclassified ({name}):")
        for r in wrong.itertuples():
            print(f"  {r.question_id} [{r.language}] {r.type} -> {r.predicted}: {r.text}")
    elif len(wrong):
        print(f"\n{len(wrong)} misclassified; per true type: {wrong['type'].value_counts().to_dict()} "
              "(not listed: this set is kept for scoring, not for tuning)")
    return rows["classifier (rules + word model)"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=None, help="a labelled file like datasets/questions.csv (default: the shipped one)")
    ap.add_argument("--external", default=None, help="a labelled file like datasets/questions_external.csv")
    ap.add_argument("--list-external-errors", action="store_true", help="also list the external set's mistakes")
    args = ap.parse_args()
    data = load("questions", path=args.file)
    check_split(data)
    start = time.perf_counter()
    model.shipped_model()
    fit_s = time.perf_counter() - start
    train = data[data["split"] == "train"]
    print(f"word model: fitted on the {len(train)} train questions in {fit_s:.2f} s (once per process), "
          f"{len(model.shipped_model().vocab)} features")
    majority = train["type"].mode().iloc[0]
    results = {"in-repo split": report("in-repo split", data[data["split"] == "test"], majority, True)}
    external = load("questions_external", path=args.external)
    results["external set"] = report("external set", external, majority, args.list_external_errors)
    print()
    for name, acc in results.items():
        met = all(acc.get(lang, 0) >= TARGET for lang in ("en", "zh"))
        print(f"{name}: target {TARGET:.2f} per language {'met' if met else 'NOT met'} "
              f"(en {acc.get('en', 0):.3f}, zh {acc.get('zh', 0):.3f})")
    print(f"types: {', '.join(TYPES)}")


if __name__ == "__main__":
    main()
