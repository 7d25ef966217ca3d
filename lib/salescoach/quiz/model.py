"""What a question bank holds once loaded: items, their options/buckets/entries/steps/rubric, and the Bank.

Everything here is a frozen dataclass: an item can be shared by a lesson, a
score function and a recorder without anyone changing it.  Texts come in
English and Chinese (:class:`Text`); where the trainer gave only English, the
Chinese view falls back to it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["KINDS", "LANGS", "Text", "Option", "Bucket", "Entry", "Step", "RubricPoint", "Item", "Bank"]

#: the item kinds a bank may use
KINDS = ("choice", "multi", "categorise", "order", "numeric", "text")
#: the languages show()/score() accept: English, Chinese, or both side by side
LANGS = ("en", "zh", "both")


@dataclass(frozen=True)
class Text:
    """A text in English and (optionally) Chinese."""

    en: str
    zh: str = ""

    def get(self, lang: str = "en", sep: str = " ") -> str:
        """The text in ``lang``: ``"en"``, ``"zh"`` (English when no Chinese was given) or ``"both"``."""
        if lang == "zh":
            return self.zh or self.en
        if lang == "both" and self.zh and self.zh != self.en:
            return f"{self.en}{sep}{self.zh}" if self.en else self.zh
        return self.en or self.zh

    def __bool__(self) -> bool:
        return bool(self.en or self.zh)


NO_TEXT = Text("")


@dataclass(frozen=True)
class Option:
    """A choice of a ``choice`` or ``multi`` item; ``correct`` marks the right one(s)."""

    id: str
    text: Text
    correct: bool = False
    why: Text = NO_TEXT


@dataclass(frozen=True)
class Bucket:
    """A bucket of a ``categorise`` item (e.g. *Basic service 基本服务*)."""

    id: str
    text: Text
    why: Text = NO_TEXT


@dataclass(frozen=True)
class Entry:
    """Something to place in a bucket; ``bucket`` is the right one (None when the key is hidden)."""

    id: str
    text: Text
    bucket: str | None = None
    why: Text = NO_TEXT


@dataclass(frozen=True)
class Step:
    """A rung of an ``order`` item; the bank lists steps in the right order."""

    id: str
    text: Text
    why: Text = NO_TEXT


@dataclass(frozen=True)
class RubricPoint:
    """One point a short text answer should make: any of ``keywords`` (English or Chinese) shows it is made."""

    keywords: tuple[str, ...]
    text: Text


@dataclass(frozen=True)
class Item:
    """One question.  Which fields matter depends on ``kind`` (see the package docstring for the YAML)."""

    id: str
    kind: str
    prompt: Text
    title: Text = NO_TEXT
    why: Text = NO_TEXT                       # shown after answering (order, numeric, or extra for any kind)
    hint: Text = NO_TEXT
    options: tuple[Option, ...] = ()          # choice, multi
    buckets: tuple[Bucket, ...] = ()          # categorise
    entries: tuple[Entry, ...] = ()           # categorise
    steps: tuple[Step, ...] = ()              # order (in the right order unless key_hidden)
    answer: float | None = None               # numeric
    tolerance: float = 0.0                    # numeric: |given - answer| <= tolerance is right
    unit: str = ""                            # numeric: shown beside the box ("yuan", "%", ...)
    rubric: tuple[RubricPoint, ...] = ()      # text
    model_answer: Text = NO_TEXT              # text
    pass_mark: int | None = None              # text: rubric points needed to count as right (default: all)
    key_hidden: bool = False                  # graded exercise item: the key lives in the hidden tests only
    source: str = ""                          # the file it came from
    line: int = 0                             # the line of its "- id:" in that file
    tags: tuple[str, ...] = field(default=())

    @property
    def where(self) -> str:
        """``"quiz.yml, line 12"``: where a trainer finds this item."""
        return f"{self.source}, line {self.line}" if self.source else self.id

    def option(self, option_id: str) -> Option:
        return {o.id: o for o in self.options}[option_id]

    def key(self) -> object:
        """The right answer in the form a student writes it (``"b"``, ``["a", "c"]``, ``{"s1": "basic"}``, ...).

        None for ``text`` items (graded by rubric) and for items whose key is hidden.
        """
        if self.key_hidden:
            return None
        if self.kind == "choice":
            return next(o.id for o in self.options if o.correct)
        if self.kind == "multi":
            return [o.id for o in self.options if o.correct]
        if self.kind == "categorise":
            return {e.id: e.bucket for e in self.entries}
        if self.kind == "order":
            return [s.id for s in self.steps]
        if self.kind == "numeric":
            return self.answer
        return None

    def __repr__(self) -> str:
        return f"<quiz item {self.id!r} ({self.kind}) from {self.where}>"


@dataclass(frozen=True)
class Bank:
    """A question bank: ``bank["ladder-1"]`` is an item; iterating gives the items in file order."""

    items: tuple[Item, ...]
    module: str = ""
    title: Text = NO_TEXT
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {i.id: i for i in self.items})

    def __getitem__(self, key: str | int) -> Item:
        if isinstance(key, int):
            return self.items[key]
        try:
            return self._by_id[key]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(
                f"no item {key!r} in {self.source or 'this bank'}; its items: {', '.join(self.ids) or '(none)'}"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_id  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def path(self) -> Path | None:
        return Path(self.source) if self.source else None

    def __repr__(self) -> str:
        return f"<quiz bank {self.module or self.source!r}: {len(self.items)} items ({', '.join(self.ids)})>"
