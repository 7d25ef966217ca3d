"""The post-call debrief 销售之后的问题 in three stages, its question bank, and a question checker.

Stages (syllabus M7, source S2): 1. feelings (let the rep vent, don't react, then propose analysing
together); 2. objective, plan, what happened; 3. why, asked about the buyer, not the rep.

:func:`review_question` flags a question aimed at the rep ("Why did you ...?", "为什么你……?", "你当时为什么
那样做?", "How come you ...?", "What made you ...?") and suggests a buyer-focused form ("Why do you think the
customer said that?", "你觉得客户为什么那样说?").  It reads English and Chinese (simplified, and traditional through OpenCC),
ignores case, spacing, punctuation and curly quotes, and treats "why do you think the customer ..." (the rep's
view of the buyer) as buyer-focused but "why do you think you ..." as aimed at the rep.  The rules are
patterns, not a language model: :data:`REP_FOCUSED_EXAMPLES` and :data:`BUYER_FOCUSED_EXAMPLES` list what
they are tested on.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "STAGES", "QUESTION_BANK", "RESISTANCE_LINE", "QuestionReview", "review_question", "is_rep_focused",
    "is_buyer_focused", "suggest_buyer_focused", "language_of", "REP_FOCUSED_EXAMPLES", "BUYER_FOCUSED_EXAMPLES",
]

#: (number, key, English name, Chinese, what the coach does)
STAGES = (
    (1, "feelings", "Feelings", "感受",
     "Ask how the rep feels about the visit. Let them vent; do not react to the feelings (that breeds "
     "resistance). Then propose going through the visit together."),
    (2, "objective_plan_outcome", "Objective, plan, what happened", "目标、计划、结果",
     "Ask what the objective was, what the plan was and what happened. Saying 'my objective was ...' starts "
     "the rep's own analysis."),
    (3, "why_buyer", "Why, about the buyer", "为什么（针对购买者）",
     "Ask why, about the buyer and not the rep: 'Why do you think the customer said that?', not 'Why did you "
     "do that?', which makes the rep defensive."),
)

#: stage key -> questions (English, Chinese).  Written for the kit from the stages of S2.
QUESTION_BANK: dict[str, tuple[tuple[str, str], ...]] = {
    "feelings": (
        ("How do you feel about the visit?", "你对这次访问有什么感受？"),
        ("What is on your mind now that it's over?", "访问结束了，你现在在想什么？"),
        ("Shall we go back over the visit together and see what happened?", "我们一起回顾一下访问，看看发生了什么？"),
    ),
    "objective_plan_outcome": (
        ("What was your objective for this visit?", "这次访问的目标是什么？"),
        ("What was your plan to reach it?", "你的计划是什么？"),
        ("What actually happened?", "实际发生了什么？"),
        ("How far did the visit get towards the objective?", "访问离目标还有多远？"),
    ),
    "why_buyer": (
        ("Why do you think the customer said that?", "你觉得客户为什么那样说？"),
        ("Why do you think the buyer reacted so strongly?", "你觉得顾客为什么会那样反感？"),
        ("What do you think the customer needed at that moment?", "你觉得客户在那一刻需要什么？"),
        ("What might the buyer be worried about?", "买方可能在担心什么？"),
        ("What would the customer need to hear to move forward?", "客户需要听到什么才会往前走？"),
    ),
}

#: what to say when the rep resists a question or a conclusion (S2)
RESISTANCE_LINE = ("What I think doesn't matter; what matters is how you see it. Let's go back to analysing it.",
                   "我怎么想并不重要，重要的是你怎样看、怎样分析这件事。我们回来分析一下。")


# --------------------------------------------------------------------------- normalising
_QUOTES = str.maketrans({"‘": "'", "’": "'", "`": "'", "´": "'", "“": '"', "”": '"'})


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # traditional -> simplified Chinese; its dictionaries ship in the wheel

    return opencc.OpenCC("t2s")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    if re.search(r"[\u4e00-\u9fff]", text):
        text = _t2s().convert(text)
    return " ".join(text.lower().split())


def language_of(text: str) -> str:
    """"zh" when the text holds Chinese characters, else "en"."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


# --------------------------------------------------------------------------- English rules
_YOU = r"(?:you|ya|u|you guys|y'all)"
_AUX = (r"(?:did|didn't|didnt|did not|do|don't|dont|do not|does|were|weren't|are|aren't|would|wouldn't|"
        r"could|couldn't|can't|cant|have|haven't|had|hadn't|should|shouldn't|will|won't|'d)")
_MENTAL = r"(?:think|feel|believe|suppose|reckon|guess|imagine|figure|expect)"
_BUYER_EN = (r"(?:the |that |this |your |our |their )?(?:customer|customers|client|clients|buyer|buyers|purchaser|"
             r"purchasing|procurement|prospect|decision[- ]maker|boss|manager|director|owner|account|"
             r"company|gm|ceo|cfo|cto|engineer|engineers|doctor|head|user|users|dealer|distributor|shop|store|"
             r"hospital|hotel|factory|school|they|he|she|them|mr\.?|mrs\.?|ms\.?|miss)\b")
_WHY = r"(?:why|why on earth|why the hell|why exactly|just why|so why|and why|but why|why oh why)"

_EN_REP = [
    # why + (aux) + you ..., unless it asks the rep's view ("why do you think the customer ...")
    re.compile(rf"\b{_WHY},? (?:{_AUX} )?{_YOU}\b(?! {_MENTAL}\b)"),
    re.compile(rf"\bwhy'd {_YOU}\b"),
    re.compile(r"\bwhy (?:would|did|do) (?:anyone|somebody|someone|a rep|a salesperson|one)\b"),
    re.compile(rf"\bhow come {_YOU}\b"),
    re.compile(rf"\bwhat (?:on earth )?(?:made|makes|possessed|led|prompted|caused) {_YOU}\b"),
    re.compile(rf"\bwhat (?:were|was|are) {_YOU} (?:thinking|doing|playing at|trying)\b"),
    re.compile(rf"\bwhat did {_YOU} do (?:that|this|it) for\b"),
    re.compile(rf"\bfor what reason (?:{_AUX} )?{_YOU}\b"),
    re.compile(r"\bwhat was (?:your|the) reason (?:for|to|you)\b"),
    # ... but "why do you think you / your ..." is about the rep again
    re.compile(rf"\b{_WHY},? (?:{_AUX} )?{_YOU} {_MENTAL} (?:that )?(?:{_YOU}|your|ur|yourself|i|my)\b"),
    re.compile(r"\bwhy(?: did| was| were)? (?:your|ya|ur) \w+"),
    re.compile(rf"\bhow could {_YOU}\b"),
    re.compile(rf"\b{_YOU} should(?:'ve| have)\b"),
]

# --------------------------------------------------------------------------- Chinese rules
_WHY_ZH = r"(?:为什么|为啥|为何|干吗|干嘛|干么|凭什么|何必|怎么会|怎么能|怎么就|怎么又|怎么还|怎么不|怎么没|怎么没有|怎么敢)"
_NI = r"(?:你们|你|您|妳)"
_WHEN_ZH = r"(?:当时|刚才|那时|那时候|那会儿|今天|这次|上次|在那里|在现场|又|还|就|都|竟然|居然|偏偏)?"
_MENTAL_ZH = r"(?:觉得|认为|感觉|判断|估计|猜)"  # not 想: 你为什么想降价 is "why did you want to"
_BUYER_ZH = (r"(?:客户|顾客|买家|买方|购买者|采购|对方|他们|他|她|老板|老总|经理|主任|院长|厂长|校长|工程师|医生|用户|"
             r"店主|领导|决策人|决策者|甲方|客人)")

_ZH_REP = [
    # 为什么你…… / 为什么当时你……, unless it asks the rep's view (为什么你觉得……)
    re.compile(rf"{_WHY_ZH}{_WHEN_ZH}{_NI}(?!{_MENTAL_ZH})"),
    # 你为什么…… / 你当时为什么…… / 你怎么不……, unless 你为什么觉得……
    re.compile(rf"{_NI}{_WHEN_ZH}(?:到底|究竟)?{_WHY_ZH}(?!{_MENTAL_ZH})"),
    # ... but 你为什么觉得你/自己…… is about the rep again
    re.compile(rf"{_NI}?{_WHEN_ZH}{_WHY_ZH}{_NI}?{_MENTAL_ZH}(?:是)?(?:{_NI}|自己|我)"),
    re.compile(rf"是什么(?:让|使|促使){_NI}"),
    re.compile(rf"什么(?:让|使){_NI}"),
    re.compile(rf"{_NI}{_WHEN_ZH}(?:是)?怎么想的"),
    re.compile(rf"{_NI}{_WHEN_ZH}(?:在)?想什么"),
    re.compile(rf"{_NI}{_WHEN_ZH}(?:应该|本该|本应)"),
    # 为什么(要)这么做 / 为什么那样说: asked of the rep with the subject left out
    re.compile(rf"^(?:那|那么|所以|可是|但是)?{_WHY_ZH}(?:要|会)?(?:这么|这样|那么|那样)(?:做|说|讲|处理|报价|回答|干)"),
    re.compile(rf"{_NI}{_WHEN_ZH}(?:怎么|咋)(?:搞|弄|做)的"),
]

_BUYER_WORDS_EN = re.compile(rf"\b{_BUYER_EN}")
_BUYER_WORDS_ZH = re.compile(_BUYER_ZH)
_QUESTION_EN = re.compile(r"\?|\b(?:why|what|how|which|who|when|where|do|does|did|is|are|was|were|could|would|can)\b")
_QUESTION_ZH = re.compile(r"[?？]|为什么|为啥|为何|什么|怎么|怎样|如何|哪|吗|呢|多少|是否")


@dataclass(frozen=True)
class QuestionReview:
    """The verdict on one debrief question."""

    question: str
    language: str           # "en" or "zh"
    rep_focused: bool       # aimed at the rep ("why did you ...")
    buyer_focused: bool     # asks about the buyer and is not aimed at the rep
    matched: str            # the words that made it rep-focused ("" if none)
    suggestion: str         # a buyer-focused form to ask instead ("" if the question is fine)
    advice: str             # one sentence for the coach

    @property
    def ok(self) -> bool:
        return not self.rep_focused


def _rep_match(norm: str, lang: str) -> str:
    rules = _ZH_REP + _EN_REP if lang == "zh" else _EN_REP
    for rule in rules:
        m = rule.search(norm.replace(" ", "") if rule in _ZH_REP else norm)
        if m:
            return m.group(0)
    return ""


def is_rep_focused(question: str) -> bool:
    """True for a question aimed at the rep's own action ("Why did you ...?", "为什么你……?")."""
    return bool(_rep_match(_normalise(_text(question)), language_of(question)))


def is_buyer_focused(question: str) -> bool:
    """True for a question about the buyer that is not aimed at the rep ("你觉得客户为什么那样说?")."""
    q = _text(question)
    norm = _normalise(q)
    if _rep_match(norm, language_of(q)):
        return False
    compact = norm.replace(" ", "")
    about_buyer = bool(_BUYER_WORDS_EN.search(norm) or _BUYER_WORDS_ZH.search(compact))
    is_question = bool(_QUESTION_EN.search(norm) or _QUESTION_ZH.search(compact))
    return about_buyer and is_question


#: topic words -> (English, Chinese) buyer-focused questions to suggest.  Written for the kit.
_TOPICS = (
    (r"competitor|competition|rival|竞争|对手", (
        "Why do you think the customer brought up the competitor?", "你觉得客户为什么提到竞争对手？")),
    (r"price|discount|cheap|expensive|cost|价格|价钱|折扣|降价|报价|便宜|贵", (
        "Why do you think the customer pushed on price at that point?", "你觉得客户为什么在那个时候压价？")),
    (r"demo|show|product|sample|brochure|展示|演示|产品|样品|资料", (
        "What do you think the customer wanted to see or understand about the product?",
        "你觉得客户想看到或了解产品的哪些方面？")),
    (r"close|order|sign|contract|commit|deal|签单|成交|下单|合同|签约", (
        "Why do you think the customer wasn't ready to commit?", "你觉得客户为什么还没准备好下决定？")),
    (r"objection|complain|angry|upset|annoyed|异议|抱怨|生气|反感|不满", (
        "What do you think was behind the customer's objection?", "你觉得客户的反对背后是什么原因？")),
    (r"budget|money|pay|预算|付款|钱", (
        "What do you think the customer's budget situation really is?", "你觉得客户的预算情况实际上怎样？")),
    (r"decision|boss|approve|决策|领导|老板|批准", (
        "Who do you think the customer has to convince, and why?", "你觉得客户需要说服谁？为什么？")),
    (r"question|ask|need|listen|问|需求|听", (
        "What do you think the customer needed at that moment?", "你觉得客户在那一刻需要什么？")),
)
_GENERIC = ("Why do you think the customer said (or did) that?", "你觉得客户为什么那样说（那样做）？")


def suggest_buyer_focused(question: str) -> str:
    """A buyer-focused question on the same topic, in the question's language (the generic one if no topic)."""
    q = _text(question)
    norm = _normalise(q)
    zh = language_of(q) == "zh"
    for pattern, (en_q, zh_q) in _TOPICS:
        if re.search(pattern, norm):
            return zh_q if zh else en_q
    return _GENERIC[1] if zh else _GENERIC[0]


def review_question(question: str) -> QuestionReview:
    """Is ``question`` aimed at the rep or at the buyer? With a buyer-focused suggestion when needed."""
    q = _text(question)
    lang = language_of(q)
    norm = _normalise(q)
    matched = _rep_match(norm, lang)
    buyer = (not matched) and is_buyer_focused(q)
    if matched:
        advice = ("Aimed at the rep: it asks them to justify themselves, which makes them defensive. Ask about "
                  "the buyer instead." if lang == "en" else
                  "针对销售人员的问题会让他产生防御心理：改问购买者。")
        suggestion = suggest_buyer_focused(q)
    elif buyer:
        advice = "Asks about the buyer: good for stage 3." if lang == "en" else "针对购买者的问题：适合第三阶段。"
        suggestion = ""
    else:
        advice = ("Not aimed at the rep. For stage 3, make it about the buyer (the customer, their reaction, "
                  "their needs)." if lang == "en" else "没有针对销售人员；第三阶段的问题最好针对购买者。")
        suggestion = ""
    return QuestionReview(q, lang, bool(matched), buyer, matched, suggestion, advice)


def _text(question: object) -> str:
    if not isinstance(question, str):
        raise ValueError(f"a question must be text, got {type(question).__name__} {question!r}")
    if not question.strip():
        raise ValueError("the question is empty: write the question you would ask the rep")
    return question.strip()


#: questions the checker must flag (tests use them and many generated variants)
REP_FOCUSED_EXAMPLES = (
    "Why did you do that?", "Why did you mention the price so early?", "why didn't you ask about the budget",
    "Why would you offer a discount before they asked?", "How come you didn't show the sample?",
    "What made you skip the demo?", "What were you thinking when you quoted that price?",
    "Why do you think you lost the order?", "Why'd you leave without a next step?",
    "WHY DID YOU NOT CLOSE?", "So why exactly did you say that?", "You should have asked for the order, why not?",
    "为什么你没有问预算？", "你为什么那么早就报价？", "你当时为什么会那样做呢？", "為什麼你沒有展示樣品？",
    "你怎么不问客户的决策人是谁？", "你怎么没有约下一次拜访？", "是什么让你放弃了演示？", "为什么要这样报价？",
    "你当时是怎么想的？", "你为啥不先听客户说完？", "你干嘛急着降价？",
)
#: questions the checker must accept (and count as buyer-focused)
BUYER_FOCUSED_EXAMPLES = (
    "Why do you think the customer said that?", "Why do you think the buyer reacted so strongly?",
    "What do you think the client needed at that moment?", "Why did the customer push back on price?",
    "What might the buyer be worried about?", "Why do you suppose they asked about delivery times?",
    "你觉得客户为什么那样说？", "为什么顾客会那样反感？", "你认为对方为什么担心交货期？", "客户为什么要求再降价？",
    "你觉得客户在那一刻需要什么？", "為什麼顧客會那樣反感？", "你为什么觉得客户还没准备好？",
)
