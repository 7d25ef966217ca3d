"""Questioning 提问的方式: labelling questions, scoring the classifier, and the balance of a conversation.

Source: SYLLABUS M5 (S1 p.121-122): the five question types and needs
discovery.  The *balance rules* of a discovery conversation are the kit's own
rules of thumb (kit assumption), written from the syllabus's purpose of each
type: descriptive questions open the customer up, a vague answer calls for a
clarifying question, and a preliminary solution is tested with a consultative
question before the salesperson proposes.

A conversation is a DataFrame with one row per move of the salesperson
(see :func:`conversation`):

========  ====================================================================
kind      ``"question"`` or ``"proposal"`` (the salesperson proposes a solution)
text      what the salesperson said
type      the question type (one of ``TYPES``), empty for a proposal
answer    the customer's reply
vague     True when the reply was vague (it needs a clarifying question next)
========  ====================================================================

Every function is pure: inputs are never modified.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from .classifier import TYPE_CHINESE, TYPE_NAMES, TYPES, classify_question

KINDS = ("question", "proposal")
CONVERSATION_COLUMNS = ("kind", "text", "type", "answer", "vague")
#: kit assumption: among the first EARLY_WINDOW questions, more than MAX_EARLY_CLOSED closed ones is too many
EARLY_WINDOW = 4
MAX_EARLY_CLOSED = 2


# --------------------------------------------------------------------------- labelling and scoring
def label_questions(texts: Iterable[str]) -> pd.DataFrame:
    """One row per question: ``text``, ``type``, ``confidence``, ``language``, ``reason`` (from the classifier)."""
    rows = []
    for text in texts:
        c = classify_question(text)
        rows.append({"text": text, "type": c.type, "confidence": c.confidence, "language": c.language,
                     "reason": c.reason})
    return pd.DataFrame(rows, columns=["text", "type", "confidence", "language", "reason"])


def confusion_matrix(true: Sequence[str] | pd.Series, predicted: Sequence[str] | pd.Series) -> pd.DataFrame:
    """Counts of (true type, predicted type): rows are the true labels, columns the predictions, all five types."""
    t, p = _labels(true, "true"), _labels(predicted, "predicted")
    if len(t) != len(p):
        raise ValueError(f"true has {len(t)} labels and predicted {len(p)}; give one prediction per question")
    table = pd.crosstab(pd.Categorical(t, TYPES), pd.Categorical(p, TYPES), dropna=False)
    table.index.name, table.columns.name = "true", "predicted"
    return table.astype(int)


def accuracy_by(frame: pd.DataFrame, predicted: Sequence[str] | pd.Series, by: str = "language") -> pd.Series:
    """Share of questions whose predicted type equals ``frame["type"]``, per value of ``frame[by]``."""
    for col in ("type", by):
        if col not in frame.columns:
            raise ValueError(f"frame has no column {col!r}; it needs 'type' (the true label) and {by!r}")
    p = pd.Series(_labels(predicted, "predicted"), index=frame.index)
    if len(p) != len(frame):
        raise ValueError(f"{len(p)} predictions for {len(frame)} questions; give one per row")
    return (p == frame["type"]).groupby(frame[by]).mean().rename("accuracy")


def _labels(values: Sequence[str] | pd.Series, name: str) -> list[str]:
    out = [str(v) for v in values]
    bad = sorted(set(out) - set(TYPES))
    if bad:
        raise ValueError(f"{name} holds unknown question type(s) {bad[:5]}; use {list(TYPES)}")
    return out


# --------------------------------------------------------------------------- conversations
def conversation(moves: Iterable[dict]) -> pd.DataFrame:
    """A conversation frame from dicts with ``kind``, ``text`` and optionally ``type``, ``answer``, ``vague``.

    A question without a ``type`` is classified.  Raises ValueError naming the move and the fix.
    """
    rows = []
    for i, move in enumerate(moves, start=1):
        kind = move.get("kind", "question")
        if kind not in KINDS:
            raise ValueError(f"move {i}: kind {kind!r} is not one of {KINDS}")
        text = move.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"move {i}: 'text' must be what the salesperson said (a non-empty string)")
        qtype = move.get("type")
        if kind == "question":
            qtype = qtype or classify_question(text).type
            if qtype not in TYPES:
                raise ValueError(f"move {i}: type {qtype!r} is not one of {TYPES}")
        else:
            qtype = None
        rows.append({"kind": kind, "text": text, "type": qtype, "answer": move.get("answer", ""),
                     "vague": bool(move.get("vague", False))})
    frame = pd.DataFrame(rows, columns=list(CONVERSATION_COLUMNS))
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="move")
    return frame


def _checked(turns: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in CONVERSATION_COLUMNS if c not in turns.columns]
    if missing:
        raise ValueError(f"the conversation has no column(s) {missing}; build it with analysis.conversation(...)")
    return turns


@dataclass(frozen=True)
class Remark:
    """One piece of feedback on the balance of a conversation, tied to a move (1-based)."""

    rule: str
    move: int
    en: str
    zh: str


def too_many_closed_early(turns: pd.DataFrame, window: int = EARLY_WINDOW,
                          max_closed: int = MAX_EARLY_CLOSED) -> list[Remark]:
    """A remark when more than ``max_closed`` of the first ``window`` questions are closed (kit assumption).

    Closed questions early shut the customer down to yes/no before you know what matters to them; open with
    descriptive questions.  The remark sits on the closed question that crossed the limit.
    """
    qs = _checked(turns)
    qs = qs[qs["kind"] == "question"].head(window)
    closed = qs.index[qs["type"] == "closed"]
    if len(closed) <= max_closed:
        return []
    at = int(closed[max_closed])
    return [Remark("closed-early", at,
                   f"Too many closed questions early: {len(closed)} of your first {len(qs)} questions can be answered "
                   "yes or no. Open with descriptive questions so the customer tells you what matters to them.",
                   f"开场封闭式问题太多：前{len(qs)}个问题里有{len(closed)}个只能答“是/否”。先用描述性问题让客户打开话匣子。")]


def missed_clarification(turns: pd.DataFrame) -> list[Remark]:
    """A remark for every vague answer that is not followed by a clarifying question (kit assumption).

    A vague answer ("it's been a bit difficult") hides the real need; the next question should pin it down.
    Nothing is said while the conversation still ends on the vague answer (the next question is pending).
    """
    t = _checked(turns)
    out = []
    moves = list(t.index)
    for pos, move in enumerate(moves[:-1]):
        if not bool(t.at[move, "vague"]):
            continue
        nxt = moves[pos + 1]
        if t.at[nxt, "kind"] == "question" and t.at[nxt, "type"] == "clarifying":
            continue
        said = str(t.at[move, "answer"])
        out.append(Remark("no-clarifying", int(nxt),
                          f"The customer's answer to move {move} was vague (\"{_short(said)}\"), but the next move did "
                          "not clarify it. Ask what they meant before moving on.",
                          f"第{move}步客户的回答很含糊（“{_short(said)}”），下一步却没有澄清。先问清客户的意思再往下谈。"))
    return out


def proposal_without_consultation(turns: pd.DataFrame) -> list[Remark]:
    """A remark for a proposal made before any consultative question (kit assumption).

    Test a preliminary solution with the customer first ("What if we ...? How would that work for you?"), then
    propose: the customer has shaped it and is more likely to accept it.
    """
    t = _checked(turns)
    out = []
    consulted = False
    for move, row in t.iterrows():
        if row["kind"] == "question" and row["type"] == "consultative":
            consulted = True
        elif row["kind"] == "proposal" and not consulted:
            out.append(Remark("propose-unconsulted", int(move),
                              "You proposed before asking a single consultative question. Put the idea to the "
                              "customer first (\"What if we ...? How would that work for you?\") and listen.",
                              "还没用征询性问题试探客户就提出了方案。先把初步想法拿出来问客户（“如果我们……，您看怎么样？”），"
                              "听完再提方案。"))
    return out


def balance_remarks(turns: pd.DataFrame, window: int = EARLY_WINDOW, max_closed: int = MAX_EARLY_CLOSED) -> list[Remark]:
    """Every balance remark on a conversation, in the order of the moves they concern."""
    remarks = (too_many_closed_early(turns, window, max_closed) + missed_clarification(turns)
               + proposal_without_consultation(turns))
    return sorted(remarks, key=lambda r: (r.move, r.rule))


def type_mix(turns: pd.DataFrame) -> pd.Series:
    """How many questions of each type the conversation asked (all five types, zeros included)."""
    t = _checked(turns)
    qs = t.loc[t["kind"] == "question", "type"]
    return qs.value_counts().reindex(list(TYPES), fill_value=0).rename("questions").astype(int)


def type_label(qtype: str, chinese: bool = True) -> str:
    """``"clarifying"`` -> ``"clarifying (澄清性问题)"``."""
    if qtype not in TYPES:
        raise ValueError(f"unknown question type {qtype!r}; use one of {TYPES}")
    return f"{TYPE_NAMES[qtype]} ({TYPE_CHINESE[qtype]})" if chinese else TYPE_NAMES[qtype]


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
