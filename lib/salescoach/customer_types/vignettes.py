"""The "recognise the type" drill's vignettes: short customer stories -> the reception type and the approach.

The kit's vignettes are in ``vignettes.yml`` beside this file (three for each of the fourteen types, in retail,
B2B purchasing, KA meetings and phone calls, each in English and Chinese).  A trainer can write more in the
same format; the file is checked when loaded and every problem is reported with the file, the line and the
fix.  The format::

    vignettes:
      - id: talkative-1            # unique: letters, digits, - _ .
        type: talkative            # the right reception type (salescoach.customer_types.catalogue.TYPES)
        setting: retail            # retail | b2b | ka | phone
        kind: individual           # business | individual
        story: {en: "...", zh: "..."}
        types:                     # the types offered: the right one and 2-3 look-alikes, each with its why
          talkative: {en: "...", zh: "..."}
          emotional: {en: "...", zh: "..."}
          self-centred: {en: "...", zh: "..."}
        approaches:                # 3-4 things to do; exactly one `correct: true`; each with its why
          - {id: a, en: "...", zh: "...", correct: true, why: {en: "...", zh: "..."}}
          - {id: b, en: "...", zh: "...", why: {en: "...", zh: "..."}}

:func:`score_vignette` scores a pick (half for the type, half for the approach) and explains every option.
"""
from __future__ import annotations

import difflib
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..quiz.model import Text
from ..quiz.yamlfile import BlockReader, Doc, Problem, parse_yaml, unique_ids
from .catalogue import CARDS, CUSTOMER_KINDS, TYPES, type_label

__all__ = ["SETTINGS", "SETTING_NAMES", "Choice", "Vignette", "VignetteVerdict", "VignetteFormatError",
           "DEFAULT_FILE", "load_vignettes", "parse_vignettes", "score_vignette", "coverage", "check_coverage"]

DEFAULT_FILE = Path(__file__).with_name("vignettes.yml")
SETTINGS = ("retail", "b2b", "ka", "phone")
SETTING_NAMES = {"retail": ("Retail counter or showroom", "门店或展厅"), "b2b": ("B2B purchasing", "企业采购"),
                 "ka": ("Key-account meeting", "大客户会谈"), "phone": ("Phone call", "电话")}
_KEYS = ("id", "type", "setting", "kind", "story", "types", "approaches", "tags")


class VignetteFormatError(ValueError):
    """A vignette file that does not follow the format; ``problems`` lists each with its line and fix."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the vignettes" + "".join(f"\n  - {p}" for p in problems))


@dataclass(frozen=True)
class Choice:
    """An option of a vignette: a type (id = the type id) or an approach (id = a, b, c ...)."""

    id: str
    text: Text
    correct: bool
    why: Text


@dataclass(frozen=True)
class Vignette:
    id: str
    type: str
    setting: str
    kind: str
    story: Text
    type_options: tuple[Choice, ...]   # in the order students see them (a fixed shuffle per vignette)
    approaches: tuple[Choice, ...]
    source: str = ""
    line: int = 0

    @property
    def approach(self) -> str:
        return next(a.id for a in self.approaches if a.correct)


@dataclass(frozen=True)
class VignetteVerdict:
    type_right: bool
    approach_right: bool
    score: float                 # 0, 0.5 or 1: half for the type, half for the approach
    feedback: tuple[str, ...]    # one line per option: the pick, right or not, and its why

    @property
    def correct(self) -> bool:
        return self.type_right and self.approach_right


def _text(reader: BlockReader, key: str, what: str) -> Text:
    t = reader.text(key, required=True, what=what)
    if t and not t.zh:
        reader.fail(key, f"`{key}` has no Chinese text", f'add zh: "..." under {key}: (every text is bilingual)')
    return t


def _why(doc: Doc, path: tuple, value: object, where: str) -> Text:
    r = BlockReader(doc, path, {"why": value}, where, ("why",))
    return _text(r, "why", " (why this option is right or wrong)")


def _type_options(doc: Doc, reader: BlockReader, vid: str, right: str) -> tuple[Choice, ...]:
    value = reader.value.get("types")
    if not isinstance(value, dict) or not value:
        reader.fail(None if value is None else "types", "no `types:` block",
                    "add types: with the right type and 2-3 look-alikes, each `<type>: {en: why, zh: why}`")
        return ()
    out = []
    for key, why in value.items():
        path = reader.path + ("types", key)
        if key not in TYPES:
            close = difflib.get_close_matches(key, TYPES, n=1)
            doc.add(path, reader.where, f"`{key}` is not a reception type",
                    (f"did you mean `{close[0]}`? " if close else "") + f"types: {', '.join(TYPES)}")
            continue
        out.append(Choice(key, Text(CARDS[key].en, CARDS[key].zh), key == right, _why(doc, path, why, reader.where)))
    if right in TYPES and right not in value:
        reader.fail("types", f"the right type `{right}` is not among the types offered", f"add `{right}:` with its why")
    if not 3 <= len(value) <= 4:
        reader.fail("types", f"{len(value)} type(s) offered", "offer 3 or 4: the right one and 2-3 look-alikes")
    # the same shuffle every time, so the right type is not always first
    return tuple(sorted(out, key=lambda c: zlib.crc32(f"{vid}/{c.id}".encode())))


def _approaches(doc: Doc, reader: BlockReader) -> tuple[Choice, ...]:
    out, ids = [], []
    for path, block in reader.blocks("approaches", 3, "approaches"):
        r = BlockReader(doc, path, block, f"{reader.where}, approach", ("id", "en", "zh", "correct", "why"))
        aid = r.ident()
        text = r.label("approach")
        if text and not text.zh:
            r.fail(None, "the approach has no Chinese text", 'add zh: "..." to it')
        out.append(Choice(aid, text, r.flag("correct"), _text(r, "why", " (why this approach fits or not)")))
        ids.append((path, aid))
    unique_ids(reader, ids, "approach")
    if out and sum(a.correct for a in out) != 1:
        reader.fail("approaches", f"{sum(a.correct for a in out)} approaches are marked correct",
                    "mark exactly one approach `correct: true`")
    if len(out) > 4:
        reader.fail("approaches", f"{len(out)} approaches", "offer 3 or 4")
    return tuple(out)


def _vignette(doc: Doc, path: tuple, block: dict) -> Vignette:
    r = BlockReader(doc, path, block, "vignette", _KEYS)
    vid = r.ident()
    r.where = f"vignette {vid}" if vid else "vignette"
    vtype = r.string("type", required=True)
    if vtype and vtype not in TYPES:
        r.fail("type", f"`type: {vtype}` is not a reception type", f"use one of {', '.join(TYPES)}")
    setting = r.string("setting", required=True)
    if setting and setting not in SETTINGS:
        r.fail("setting", f"`setting: {setting}` is not a setting", f"use one of {', '.join(SETTINGS)}")
    kind = r.string("kind", required=True)
    if kind and kind not in CUSTOMER_KINDS:
        r.fail("kind", f"`kind: {kind}` is not a kind of customer", f"use one of {', '.join(CUSTOMER_KINDS)}")
    story = _text(r, "story", " (the customer's story)")
    return Vignette(vid, vtype, setting, kind, story, _type_options(doc, r, vid, vtype), _approaches(doc, r),
                    doc.source, doc.line(path))


def parse_vignettes(text: str, source: str = "<vignettes>") -> tuple[Vignette, ...]:
    """The vignettes of a YAML text; VignetteFormatError listing every problem with its line."""
    try:
        doc = parse_yaml(text, source)
    except ValueError as exc:  # a YAML syntax error, already with its line and fix
        raise VignetteFormatError(source, list(getattr(exc, "problems", [])) or [Problem(source, 0, "", str(exc),
                                  "fix the YAML")]) from None
    top = BlockReader(doc, (), doc.data, "", ("vignettes", "title"))
    blocks = top.blocks("vignettes", 1, "vignettes") if isinstance(doc.data, dict) else []
    if not isinstance(doc.data, dict):
        doc.add((), "", "the file does not start with `vignettes:`", "write `vignettes:` and the list under it")
    out = [_vignette(doc, path, block) for path, block in blocks]
    unique_ids(top, [(p, v.id) for (p, _), v in zip(blocks, out)], "vignette")
    if doc.problems:
        raise VignetteFormatError(source, doc.problems)
    return tuple(out)


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> tuple[Vignette, ...]:  # noqa: ARG001 - the cache key
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise VignetteFormatError(path, [Problem(path, 0, "", "the file is not UTF-8 text",
                                                 "save it as UTF-8 (most editors offer it under Save as)")]) from None
    return parse_vignettes(text, path)


def load_vignettes(path: str | Path | None = None) -> tuple[Vignette, ...]:
    """The vignettes of a file (default: the kit's ``vignettes.yml``), checked when loaded."""
    file = Path(path) if path is not None else DEFAULT_FILE
    if not file.is_file():
        raise FileNotFoundError(f"{file}: no vignette file here; check the path (the kit's own is {DEFAULT_FILE})")
    return _load(str(file), file.stat().st_mtime_ns)


def score_vignette(v: Vignette, type_pick: str | None, approach_pick: str | None, lang: str = "en") -> VignetteVerdict:
    """Half a point for the right type, half for the right approach; a feedback line with the why of every option."""
    type_right, approach_right = type_pick == v.type, approach_pick == v.approach
    lines = []
    for part, options, pick in (("type", v.type_options, type_pick), ("approach", v.approaches, approach_pick)):
        for o in options:
            mark = ("✔ " if o.correct else "✘ ") if o.id == pick else ("→ " if o.correct else "· ")
            label = type_label(o.id, lang) if part == "type" else f"{o.id}. {o.text.get(lang).rstrip('.。')}"
            lines.append(f"{mark}{label}: {o.why.get(lang)}")
    return VignetteVerdict(type_right, approach_right, 0.5 * type_right + 0.5 * approach_right, tuple(lines))


def coverage(vignettes: tuple[Vignette, ...] | list[Vignette]) -> pd.DataFrame:
    """Vignettes per type (rows, every type) and setting (columns), with a total column."""
    frame = pd.DataFrame([(v.type, v.setting) for v in vignettes], columns=["type", "setting"])
    table = pd.crosstab(frame["type"], frame["setting"]).reindex(index=list(TYPES), columns=list(SETTINGS),
                                                                  fill_value=0)
    table["total"] = table.sum(axis=1)
    return table


def check_coverage(vignettes: tuple[Vignette, ...] | list[Vignette], per_type: int = 3) -> None:
    """ValueError naming the types with fewer than ``per_type`` vignettes, or settings never used."""
    table = coverage(vignettes)
    short = table.index[table["total"] < per_type].tolist()
    unused = [s for s in SETTINGS if table[s].sum() == 0]
    if short or unused:
        raise ValueError(f"vignettes: types with fewer than {per_type}: {short}; settings never used: {unused}. "
                         "Fix: write more vignettes for them")

