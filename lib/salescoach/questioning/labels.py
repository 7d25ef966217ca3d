"""The five question types: their ids, names in English and Chinese, definitions, and the aliases people type.

The ids are the words of SYLLABUS M5 (S1 p.121) and of issue 12:
``opinion-giving``, ``closed``, ``descriptive``, ``clarifying``, ``consultative``.
Every function of :mod:`salescoach.questioning` that takes a type name passes
it through :func:`type_id`, so a trainer or a student may also write
"opinion", "Opinion giving", "open", "yes/no", "给出观点的问题", "封闭式" ...
"""
from __future__ import annotations

import re
import unicodedata

TYPES = ("opinion-giving", "closed", "descriptive", "clarifying", "consultative")
TYPE_NAMES = {t: t for t in TYPES}
TYPE_CHINESE = {"opinion-giving": "给出观点的问题", "closed": "封闭式问题", "descriptive": "描述性问题",
                "clarifying": "澄清性问题", "consultative": "征询性问题"}
#: one-line definitions (SYLLABUS M5, S1 p.121, with the kit's edge-case policy; datasets/README.md has it all)
TYPE_DEFINITIONS = {
    "opinion-giving": "You put your own view, judgement or observation to the customer and invite their reaction "
                      "to it (stated first, or built into the question: 'Wouldn't you agree that ...?').",
    "closed": "The answer is fixed in advance: yes or no, one of the options the question offers, or one short "
              "fact (a number, a date, a name).",
    "descriptive": "The customer describes a situation, a process, reasons or their own views in their own words.",
    "clarifying": "You check what the customer meant by something they said.",
    "consultative": "You put a preliminary solution, offer or next step to the customer and ask their opinion of it.",
}

_ALIASES = {
    "opinion-giving": ("opinion", "opinion giving", "opinion-giving question", "opinion giving question",
                       "opinion question", "giving opinion", "给出观点", "给出观点的问题", "给出观点问题",
                       "观点", "观点性问题", "给出看法的问题"),
    "closed": ("closed question", "close", "closed-ended", "closed ended", "yes/no", "yes-no", "yes no",
               "yesno", "封闭式问题", "封闭式", "封闭问题", "封闭", "是非问题"),
    "descriptive": ("descriptive question", "describe", "description", "open", "open question", "open-ended",
                    "open ended", "描述性问题", "描述性", "描述", "开放式问题", "开放式"),
    "clarifying": ("clarifying question", "clarify", "clarification", "clarifying question", "check meaning",
                   "澄清性问题", "澄清性", "澄清", "澄清问题"),
    "consultative": ("consultative question", "consult", "consulting", "soliciting", "soliciting question",
                     "solicitation", "征询性问题", "征询性", "征询", "征询问题"),
}


def _key(name: str) -> str:
    """Lower case, NFKC, traditional 問題/詢/釐 folded, spaces/underscores/hyphens as one space."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = text.translate(str.maketrans({"問": "问", "題": "题", "詢": "询", "觀": "观", "點": "点",
                                         "閉": "闭", "釐": "厘", "澂": "澄", "給": "给", "開": "开", "類": "类"}))
    text = re.sub(r"[\s_\-]+", " ", text)
    return re.sub(r"\s*/\s*", "/", text)


ALIASES: dict[str, str] = {_key(t): t for t in TYPES}
for _t, _names in _ALIASES.items():
    ALIASES.update({_key(n): _t for n in _names})


def find_type(name: object) -> str | None:
    """The type id for ``name`` (an id, a name or an alias), or None when it names no type."""
    return ALIASES.get(_key(name)) if isinstance(name, str) else None


def type_id(name: object, what: str = "question type") -> str:
    """The type id for ``name`` (an id, an English or Chinese name, or a common alias); ValueError otherwise."""
    found = find_type(name)
    if found:
        return found
    shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
    raise ValueError(f"unknown {what} {shown}. Fix: use one of {list(TYPES)} (or its Chinese name, e.g. "
                     f"'封闭式问题'; 'opinion', 'open' and 'yes/no' are understood too)")


def type_ids(names, what: str = "question type") -> list[str]:
    """:func:`type_id` for each name, in order."""
    return [type_id(n, what) for n in names]
