"""``classify_question(text)``: which of the five question types a sales question is, how sure, and why.

The five types of SYLLABUS M5 (S1, 提问的方式), as this kit defines them for
labelling (``datasets/README.md`` has the full edge-case policy):

* **opinion** 给出观点的问题 - the salesperson states their own view or an
  observation first, then invites the customer's reaction ("I think X; how do
  you see it?").
* **closed** 封闭式问题 - answered with yes or no, or by picking one of the
  options the question itself offers ("Do you ...?", "Tuesday or Thursday?",
  "……吗？", "有没有……").
* **descriptive** 描述性问题 - an open question: the customer describes a
  situation or gives their views in their own words ("How do you ...?",
  "请您介绍一下……").
* **clarifying** 澄清性问题 - checks what the customer meant by something they
  said ("So you mean ...?", "您说的'太贵'是指……？"), whatever its form.
* **consultative** 征询性问题 - puts a preliminary solution or next step to the
  customer and asks for their opinion of it ("What if we ...? How would that
  work for you?", "我们先试点三个月，您看行不行？"), whatever its form.

How: rule-based and deterministic.  The text is normalised (full-width to
ASCII, traditional to simplified characters with OpenCC, lower case), its
grammatical *form* is read (yes/no, choice, open, request ...) and the cues of
:mod:`.cues` are matched; each adds its weight to one type, the highest total
wins (ties: clarifying > consultative > opinion > closed > descriptive), the
confidence is a softmax of the totals, and the reason is the deciding cue in
plain words.  No model weights, no network.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import cues as C
from .forms import Form, read_form

TYPES = ("opinion", "closed", "descriptive", "clarifying", "consultative")
TYPE_NAMES = {"opinion": "opinion-giving", "closed": "closed", "descriptive": "descriptive",
              "clarifying": "clarifying", "consultative": "consultative"}
TYPE_CHINESE = {"opinion": "给出观点的问题", "closed": "封闭式问题", "descriptive": "描述性问题",
                "clarifying": "澄清性问题", "consultative": "征询性问题"}
#: one-line definitions (SYLLABUS M5, S1 p.121), as the lessons and the data card state them
TYPE_DEFINITIONS = {
    "opinion": "You state your own view (or an observation) first and invite the customer's reaction to it.",
    "closed": "The customer can answer yes or no, or by picking one of the options the question offers.",
    "descriptive": "The customer describes a situation or gives their views in their own words.",
    "clarifying": "You check what the customer meant by something they said.",
    "consultative": "You put a preliminary solution or next step to the customer and ask their opinion of it.",
}
LANGUAGES = ("en", "zh", "other")
#: tie-break order: the more specific purpose wins over the grammatical form
PRIORITY = ("clarifying", "consultative", "opinion", "closed", "descriptive")
_WHY_WINS = {
    "clarifying": "a question that checks what the customer meant is clarifying whatever its form",
    "consultative": "a question that puts a possible solution to the customer is consultative whatever its form",
    "opinion": "you state a view of your own and ask for the customer's reaction to it",
    "closed": "the customer can answer it with yes/no or one of the options it gives",
    "descriptive": "it leaves the customer to describe things in their own words",
}
_WHY_WINS_ZH = {
    "clarifying": "核对客户原意的问题，不论句式都算澄清性问题",
    "consultative": "向客户提出初步方案并征求意见的问题，不论句式都算征询性问题",
    "opinion": "你先亮出自己的观点，再请客户回应",
    "closed": "客户用“是/否”或从给出的选项中挑一个就能回答",
    "descriptive": "它让客户用自己的话来描述",
}
TEMPERATURE = 1.5  # kit assumption: softens the softmax so one cue of weight 3 gives ~0.75


@dataclass(frozen=True)
class Classification:
    """The verdict on one question.  Unpacks as ``type, confidence, reason = classify_question(q)``."""

    type: str
    confidence: float
    reason: str
    language: str
    reason_zh: str = ""
    scores: tuple[tuple[str, float], ...] = field(default=(), repr=False)
    cues: tuple[str, ...] = field(default=(), repr=False)

    def __iter__(self) -> Iterator:
        return iter((self.type, self.confidence, self.reason))

    @property
    def name(self) -> str:
        """The type's English name ("opinion-giving" ...)."""
        return TYPE_NAMES[self.type]

    @property
    def name_zh(self) -> str:
        return TYPE_CHINESE[self.type]


# --------------------------------------------------------------------------- normalising
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                         "«": '"', "»": '"', "《": '"', "》": '"', "’": "'", "‘": "'", "`": "'", "´": "'",
                         "。": ". ", "、": ", ", "～": "~", "—": " - ", "–": " - ", "―": " - ", "…": "... "})
_ABBREVIATIONS = ((r"\b(mr|mrs|ms|dr|st|no|vs|etc|approx|dept|co|ltd|inc)\.", r"\1"), (r"\ba\.m\.", "am"),
                  (r"\bp\.m\.", "pm"), (r"\be\.g\.", "eg"), (r"\bi\.e\.", "ie"), (r"\bu\.s\.", "us"))
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # OpenCC's own dictionaries ship in the wheel: no download

    return opencc.OpenCC("t2s")


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValueError(f"classify_question needs the question as text (a str); got {type(text).__name__} "
                         f"{text!r:.60}. Fix: pass the question itself, e.g. classify_question('Do you stock ...?')")
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        shown = repr(text) if len(text) <= 40 else repr(text[:40]) + "..."
        raise ValueError(f"classify_question got {shown}, which has no words in it. Fix: pass a question in "
                         "English or Chinese, e.g. 'How do you order today?' or '您现在是怎么订货的？'")
    return text


def normalise(text: str) -> str:
    """Lower case, simplified characters, ASCII punctuation, single spaces; ValueError if there are no words."""
    text = unicodedata.normalize("NFKC", _check_text(text)).translate(_QUOTES)
    if _CJK.search(text):
        text = _t2s().convert(text)
    text = text.lower().replace("\u200b", "")
    for pattern, repl in _ABBREVIATIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,?!;:])", r"\1", text)


def detect_language(text: str) -> str:
    """``"zh"`` when Chinese characters carry the question, ``"en"`` when English words do, else ``"other"``.

    A Chinese character counts as about two-thirds of an English word, so "我们先在三家店做个 pilot" is
    Chinese and "When you say the 交期 is too long ..." English (kit assumption).
    """
    norm = normalise(text)
    cjk = len(_CJK.findall(norm))
    latin = len(_LATIN_WORD.findall(norm))
    if cjk == 0 and latin == 0:
        return "other"
    return "zh" if cjk / 1.5 >= latin else "en"


# --------------------------------------------------------------------------- splitting
def _sentences(norm: str) -> list[str]:
    parts = re.split(r"(?<=[?!;:])\s*|\.(?:\s+|$)|\s+-\s+|\s*\.\.\.\s*", norm)
    return [p.strip(" ,") for p in parts if p and p.strip(" ,.")]


_TAIL_QUESTION = re.compile(r"(?:do|does|did|is|are|am|would|wouldn't|don't|isn't|aren't|won't|can't|didn't|right|"
                            r"correct|what|how|agree|true|yes|no|ok|okay|yeah|eh)\b")


@dataclass(frozen=True)
class _Parts:
    text: str          # the whole normalised question
    question: str      # the sentence that asks (the last with '?', else the last); Chinese: its last clause
    sentence: str      # the whole asking sentence
    preamble: str      # everything said before it
    language: str


def _split(norm: str, language: str) -> _Parts:
    sents = _sentences(norm) or [norm]
    asking = [i for i, s in enumerate(sents) if s.endswith("?")]
    i = asking[-1] if asking else len(sents) - 1
    question, preamble = sents[i], " ".join(sents[:i])
    sentence = question
    if language == "en" and "," in question:
        # "I think X, wouldn't you say?": a short tail after the last comma is the question
        head, _, tail = question.rpartition(",")
        if 0 < len(tail.split()) <= 5 and _TAIL_QUESTION.match(tail.strip()):
            preamble, question = (preamble + " " + head).strip(), tail.strip()
    elif language == "zh" and "," in question:
        # a Chinese question often carries its lead-in before a comma: "我觉得……，您怎么看？"
        head, _, tail = question.rpartition(",")
        if len(tail.strip(" ?")) >= 2:
            preamble, question = (preamble + " " + head).strip(), tail.strip()
    return _Parts(norm, question, sentence, preamble, language)


# --------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class _Hit:
    type: str
    weight: float
    name: str
    en: str
    zh: str


def _cue_hits(parts: _Parts) -> list[_Hit]:
    hits = []
    for cue in C.ALL_CUES:
        where = {"all": parts.text, "question": parts.question, "sentence": parts.sentence,
                 "preamble": parts.preamble}[cue.scope]
        m = cue.pattern.search(where)
        if m:
            shown = m.group(0).strip(" ,")[:40]
            hits.append(_Hit(cue.type, cue.weight, cue.name, cue.en.format(m=shown), cue.zh.format(m=shown)))
    return hits


_NOT_A_CLAIM = re.compile(r"^(?:you |your |so you|thanks|thank you|hi\b|hello|good (?:morning|afternoon)|sorry|"
                          r"ok\b|okay|great|right\b|i see|understood|if |what if|suppose|对|关于|针对|说到|至于|您|你|谢谢|"
                          r"好的|您好|如果|假如|要是|假设)")
_LEADING_NAME = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr)\.? [a-z\-]+,? |[\u4e00-\u9fff]{1,3}(?:总|经理|老板|老师|先生|女士|"
                           r"小姐|主任|姐|哥|店长|厂长)[, ]+)")
_ZH_PREDICATE = re.compile(r"是|会|在|了|比|更|都|越来越|正在|已经|成|变|降|涨|增|减|流失|超过|换|好|差|快|慢|多|少|能|要")


def _claim_before(parts: _Parts) -> bool:
    """Something is asserted before the question (a view or observation the customer can react to)."""
    pre = _LEADING_NAME.sub("", parts.preamble.strip())
    if not pre or _NOT_A_CLAIM.match(pre):
        return False
    if parts.language == "zh":
        return len(_CJK.findall(pre)) >= 6 and bool(_ZH_PREDICATE.search(pre))
    return len(pre.split()) >= 4


def _form_hit(form: Form) -> _Hit | None:
    if form.kind in ("yesno", "choice", "tag"):
        return _Hit("closed", 3.0, f"form-{form.kind}", form.en, form.zh)
    if form.kind in ("open", "request"):
        return _Hit("descriptive", 3.0, f"form-{form.kind}", form.en, form.zh)
    if form.kind == "declarative":
        return _Hit("closed", 2.0, "form-declarative", form.en, form.zh)
    return None


_ASKS = {"what-do-you-think", "zh-how-see"}
_RESTATES = re.compile(r"^(?:so|and so|ok so|okay so|right so|in short|basically|in other words)\b|^(?:所以|那么|那就|也就是|"
                       r"简单来说|总的来说|换句话说|这么说|照您|按您)")
_VIEW_CUES = [c for c in C.ALL_CUES if c.name in ("i-think", "many-people", "zh-i-think", "zh-many-people")]
_VIEWS = {"i-think", "many-people", "zh-i-think", "zh-many-people"}


def _scores(parts: _Parts, form: Form) -> tuple[dict[str, float], dict[str, list[_Hit]]]:
    hits = _cue_hits(parts)
    fh = _form_hit(form)
    if fh:
        hits.append(fh)
    names = {h.name for h in hits}
    asked = bool(names & _ASKS)
    m = C.GENERIC_INVITE.search(parts.text)
    if m:
        hits.append(_Hit("consultative", 2.0, "invite", f"asks for the customer's view of what you put forward "
                         f"('{m.group(0)}')", f"就你提出的内容征求客户看法（“{m.group(0)}”）"))
        if not asked:
            hits.append(_Hit("opinion", 2.0, "invite-view", f"invites the customer's reaction ('{m.group(0)}')",
                             f"邀请客户回应（“{m.group(0)}”）"))
            asked = True
    views_first = any(c.pattern.search(parts.preamble) for c in _VIEW_CUES)
    if not asked and views_first and parts.question:
        hits.append(_Hit("opinion", 2.0, "ask-back", "then asks how your view looks to the customer",
                         "再问客户对你这个看法怎么看"))
        asked = True
    if _RESTATES.match(parts.sentence) and form.kind in ("declarative", "tag", "statement"):
        hits.append(_Hit("clarifying", 4.0, "restate", "restates what the customer said as a statement for them "
                         "to confirm or correct", "把客户的话复述成陈述句，请客户确认或纠正"))
    said = names & {"you-said", "zh-you-said"}
    if said and (C.PIN_DOWN.search(parts.question) or form.kind == "choice"):
        hits.append(_Hit("clarifying", 2.0, "pin-down", "asks the customer to pin down exactly what they meant",
                         "请客户把原话说得更具体、更明确"))
    if asked and _claim_before(parts):
        hits.append(_Hit("opinion", 1.5, "claim-first",
                         "makes a statement first and then asks the customer to react to it",
                         "先陈述一个判断，再请客户回应"))
    by_type: dict[str, list[_Hit]] = {t: [] for t in TYPES}
    for h in hits:
        by_type[h.type].append(h)
    scores = {t: sum(h.weight for h in by_type[t]) for t in TYPES}
    if not asked:  # a view with no invitation to react is a remark, not an opinion-giving question
        scores["opinion"] = sum(h.weight * (0.5 if h.name in _VIEWS else 1.0) for h in by_type["opinion"])
    elif not any(h.name in _VIEWS or h.name == "claim-first" for h in by_type["opinion"]):
        scores["opinion"] = min(scores["opinion"], 2.0)  # an invitation alone ("what's your view?") asks for views
    return scores, by_type


def _winner(scores: dict[str, float]) -> str:
    top = max(scores.values())
    if top <= 0:
        return "descriptive"
    return next(t for t in PRIORITY if scores[t] == top)


def _confidence(scores: dict[str, float], winner: str) -> float:
    exps = {t: math.exp(s / TEMPERATURE) for t, s in scores.items()}
    return round(exps[winner] / sum(exps.values()), 4)


def _reasons(winner: str, scores: dict[str, float], by_type: dict[str, list[_Hit]], language: str) -> tuple[str, str]:
    hits = sorted(by_type[winner], key=lambda h: -h.weight)
    if language == "other" or not hits:
        return ("written in neither English nor Chinese, or with no sign of its type: this is only a guess"
                if language == "other" else "no clear sign of any type: an open question is the safest guess",
                "不是中文或英文，或看不出类型的特征：这只是猜测" if language == "other"
                else "看不出明显的类型特征，按开放式问题处理")
    en, zh = hits[0].en, hits[0].zh
    second = [h for h in hits[1:] if h.name != hits[0].name and h.weight >= 2]
    if second:
        en, zh = f"{en}, and {second[0].en}", f"{zh}，并且{second[0].zh}"
    rivals = [t for t in TYPES if t != winner and scores[t] >= 2.5]
    if rivals:
        rival = max(rivals, key=lambda t: scores[t])
        rh = max(by_type[rival], key=lambda h: h.weight)
        en += f" - it also {rh.en}, but {_WHY_WINS[winner]}"
        zh += f"。虽然它也{rh.zh}，但{_WHY_WINS_ZH[winner]}"
    return en[0].upper() + en[1:] + ".", zh + "。"


def classify_question(text: str) -> Classification:
    """The type of a sales question (one of :data:`TYPES`), a confidence in [0, 1] and a reason in plain words.

    English and Chinese (simplified or traditional), language detected.  Raises ``ValueError`` for anything
    that is not a string with at least one word in it.  Deterministic: the same text always gets the same
    answer.  Source of the types: SYLLABUS M5 (S1 p.121); the cues and weights are the kit's own.
    """
    norm = normalise(text)
    language = detect_language(text)
    parts = _split(norm, language)
    asking = parts.sentence if language == "zh" else parts.question
    form = read_form(asking, language, has_mark=asking.endswith("?"))
    scores, by_type = _scores(parts, form)
    winner = _winner(scores)
    reason, reason_zh = _reasons(winner, scores, by_type, language)
    return Classification(
        type=winner, confidence=_confidence(scores, winner), reason=reason, language=language,
        reason_zh=reason_zh, scores=tuple((t, round(scores[t], 3)) for t in TYPES),
        cues=tuple(h.name for t in TYPES for h in by_type[t]),
    )


def classify_many(texts) -> list[Classification]:
    """:func:`classify_question` for each text, in order."""
    return [classify_question(t) for t in texts]
