"""The grammatical form of a question: yes/no, a fixed choice, a tag, open, an open request, or a statement.

The form alone decides between closed 封闭式 and descriptive 描述性 questions;
the purpose cues of :mod:`.cues` (a meaning check, a proposal, a view) can
override it.  Works on the normalised asking sentence (see
``classifier.normalise``): lower case, simplified characters, ASCII punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    """``kind``: yesno, choice, tag, open, request, declarative (a statement with '?') or statement."""

    kind: str
    en: str
    zh: str


# --------------------------------------------------------------------------- English
_FILLER = re.compile(
    r"^(?:(?:and|but|so|ok|okay|well|now|then|also|oh|right|alright|great|sure|sorry|excuse me|pardon(?: me)?|hi|"
    r"hello|um+|uh+|er+|just out of interest|out of interest|out of curiosity|by the way|one more thing|"
    r"quick question|just one (?:more )?thing|one last thing|another thing|first(?:ly)?|next|finally|lastly|"
    r"thanks|thank you|good|perfect|i see|understood|got it|just|and then|also)\b[,:]?\s+)+")
_VOCATIVE = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|madam|mister|sir|boss|director|manager)\.?\s+[a-z\-]+\s*,?\s+|"
    r"[a-z\-]+,\s+(?=(?:what|how|why|where|when|who|which|do|does|did|is|are|was|were|have|has|can|could|will|"
    r"would|shall|should|may|might|tell|so|if|i|we)\b))")
_EMBED = re.compile(
    r"^(?:(?:may|can|could|might) i ask(?: you)?,?\s+|(?:if you don't mind (?:me )?asking|if i may ask),?\s+|"
    r"i(?:'m| am| was)? (?:just )?(?:wondering|wonder)\s+|do you (?:happen to )?know\s+|"
    r"(?:could|can|would) you (?:please )?(?:tell me|let me know)\s+(?=if|whether)|i(?:'d| would) like to know\s+)")
_REQUEST = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please |kindly |maybe |perhaps |just )?(?:tell (?:me|us)(?! if| whether)|"
    r"describe|walk|talk|take (?:me|us) through|run (?:me|us) through|explain|share|give (?:me|us)|show|outline|"
    r"help me understand|say (?:a (?:bit|little) )?more|elaborate|expand|paint|fill me in|go (?:through|over)|"
    r"summari[sz]e|list|think of)|(?:would|do) you mind (?:telling|sharing|explaining|describing|walking|"
    r"talking|giving|going|if i ask)|(?:please )?(?:tell (?:me|us)(?! if| whether)|describe|walk (?:me|us)|"
    r"talk (?:me|us)|explain|share|paint|fill (?:me|us) in|take (?:me|us) through|run (?:me|us) through)|"
    r"help me understand|i(?:'d| would) (?:love|like) to (?:hear|know|understand|learn|see)|"
    r"i(?:'m| am) (?:curious|interested) (?:about|in|to|how|what|why)|i want to (?:understand|hear|know)|"
    r"let's talk about|talk to me about|give me (?:an idea|a sense|a picture|an overview))")
_WH = re.compile(r"^(?:what|what's|whats|what're|how|how's|hows|why|where|where's|when|who|who's|whom|whose|which)\b")
_AUX = re.compile(
    r"^(?:do|does|did|is|are|was|were|am|have|has|had|can|could|will|would|shall|should|may|might|must|don't|"
    r"doesn't|didn't|isn't|aren't|wasn't|weren't|haven't|hasn't|hadn't|can't|cannot|couldn't|won't|wouldn't|"
    r"shouldn't|any|anything|anyone|anybody|got|ever)\b")
_TAG = re.compile(
    r"(?:,|\s)\s*(?:right|correct|yes|no|ok|okay|true|yeah|eh|agreed|"
    r"(?:isn't|aren't|don't|doesn't|didn't|won't|wouldn't|can't|haven't|hasn't|wasn't|weren't|shouldn't|couldn't)"
    r" (?:it|he|she|they|you|we|there|i|that)|is it|are you|do you|did you|will you|would you)\s*\??$")
_EMBEDDED_Q = re.compile(
    r"\s(?:what|how|why|where|when|who|which|(?:do|did|does|can|could|would|will|have|are|is) (?:you|it|that|"
    r"there|we|they|your))\b")


def _strip_en(q: str) -> str:
    for _ in range(3):
        q2 = _VOCATIVE.sub("", _FILLER.sub("", q))
        if q2 == q:
            break
        q = q2
    return q


def _word(q: str) -> str:
    return q.split(" ", 1)[0].capitalize() if q else ""


def _en_form(q: str, has_mark: bool, depth: int = 0) -> Form:
    q = _strip_en(q.rstrip(" ?!."))
    m = _EMBED.match(q)
    if m:
        rest = q[m.end():]
        if re.match(r"(?:if|whether)\b", rest):
            return Form("yesno", f"asks whether something is so ('{m.group(0).strip()} {rest.split(' ', 1)[0]}'), "
                                 "which the customer can answer yes or no", "问的是“是否”，客户答“是”或“否”即可")
        q = rest
    m = _REQUEST.match(q)
    if m:
        return Form("request", f"asks the customer to '{m.group(0).strip()}' something in their own words",
                    f"请客户用自己的话“{m.group(0).strip()}”")
    choice = bool(re.search(r"\b(?:or|versus|vs)\b", q)) and not re.search(r"\bor not\b|\bor (?:so|two|anything)\b", q)
    if _WH.match(q):
        if choice and re.match(r"^which\b|^(?:how often|when|what time|what day)\b", q):
            return Form("choice", f"offers a fixed choice ('{_choice_span(q)}'), so the customer just picks one",
                        f"给出了固定选项（“{_choice_span(q)}”），客户只需选一个")
        return Form("open", f"starts with '{_word(q)}' and leaves the customer to describe things in their own words",
                    f"以“{_word(q)}”开头，让客户用自己的话来描述")
    if _AUX.match(q):
        if choice:
            return Form("choice", f"offers a fixed choice ('{_choice_span(q)}'), so the customer just picks one",
                        f"给出了固定选项（“{_choice_span(q)}”），客户只需选一个")
        w = " ".join(q.split(" ")[:2]).capitalize()
        return Form("yesno", f"starts with '{w}' and can be answered yes or no",
                    f"以“{w}”开头，客户答“是”或“否”即可")
    m = _TAG.search(q)
    if m:
        return Form("tag", f"ends with a tag ('{m.group(0).strip(' ,?')}') that asks for a yes or a no",
                    f"以附加问句（“{m.group(0).strip(' ,?')}”）结尾，要的是“是”或“否”")
    if depth == 0:
        found = list(_EMBEDDED_Q.finditer(q))
        if found:
            e = found[-1]
            rest = q[e.start() + 1:]
            if choice and re.match(r"which|what time|what day|when", rest):  # "Tuesday or Thursday, which suits you?"
                return Form("choice", f"offers a fixed choice ('{_choice_span(q)}'), so the customer just picks one",
                            f"给出了固定选项（“{_choice_span(q)}”），客户只需选一个")
            return _en_form(rest, has_mark, depth + 1)
    if has_mark:
        return Form("declarative", "is a statement with a question mark: the customer can only confirm or deny it",
                    "是加了问号的陈述句：客户只能确认或否认")
    return Form("statement", "", "")


def _choice_span(q: str) -> str:
    m = re.search(r"(\S+(?: \S+)?) (?:or|versus|vs) (\S+(?: \S+)?)", q)
    return m.group(0) if m else "... or ..."


# --------------------------------------------------------------------------- Chinese
_ZH_LEAD = re.compile(
    r"^(?:(?:您好|你好|请问|打扰一下|不好意思|冒昧问一下|顺便问一下|想问一下|我想问一下|我想请教一下|请教一下|另外|还有|"
    r"那么|对了|哦|嗯|好的|好|那)[,\s]*)+|^[\u4e00-\u9fff]{1,3}(?:总|经理|老板|老师|先生|女士|小姐|主任|姐|哥|工|处长|科长|"
    r"店长|厂长|董事长|阿姨|叔|大哥|大姐)[,\s]+|^[a-z]+[,\s]+(?=[\u4e00-\u9fff])")
_ZH_REQUEST = re.compile(
    r"(?:能|可以|方便|能否|可否|麻烦|请|想请|可不可以)(?:您|你)?.{0,15}?(?:讲讲|说说|谈谈|聊聊|介绍|描述|分享|讲一下|说一下|"
    r"谈一下|讲一讲|说一说|谈一谈|展开|举个例子|解释|讲解|形容|聊一聊|聊一下)|^(?:请|介绍|描述|跟我说|给我讲|和我说)|"
    r"说说|讲讲|谈谈|聊聊|介绍一下|描述一下|分享一下|讲一讲|说一说|谈一谈|聊一聊|形容一下|"
    r"我(?:很|挺|特别|真)?想(?:了解|知道|听听|请教)")
_ZH_ANOTA = re.compile(r"([\u4e00-\u9fff])[不没]\1|是否|有无|可否|能否|了没有?$|没有$|不$")
_ZH_TAG = re.compile(r"(?:对吧|是吧|是吗|对吗|对不对|好吗|行吗|没错吧|没错吗|是不是|吧)$")
_ZH_CHOICE = re.compile(r"还是|(?:和|跟|与|或)[^,]{1,10}?(?:哪个|哪一个|哪种|哪样|哪一种|哪家)")
_ZH_WH = re.compile(r"什么|怎么|怎样|如何|为什么|为何|为啥|哪|多少|几(?:个|家|次|天|年|位|种|点|月|号|岁|成|倍|周|样|件|箱|台)|"
                    r"谁|何时|多久|多大|多长|多远|多高|多快|啥|咋|干嘛")


def _zh_form(q: str, has_mark: bool) -> Form:
    for _ in range(3):
        q2 = _ZH_LEAD.sub("", q)
        if q2 == q:
            break
        q = q2
    q = q.rstrip(" ?!.~")
    m = _ZH_REQUEST.search(q)
    if m:
        return Form("request", f"asks the customer to tell you about something in their own words ('{m.group(0)}')",
                    f"请客户用自己的话讲一讲（“{m.group(0)}”）")
    if re.search(r"[吗嘛]$", q):
        return Form("yesno", "ends with '吗', so the customer can answer yes or no", "以“吗”结尾，客户答“是”或“否”即可")
    m = _ZH_TAG.search(q)
    if m:
        return Form("tag", f"ends with '{m.group(0)}', asking for a yes or a no", f"以“{m.group(0)}”结尾，要的是“是”或“否”")
    m = _ZH_ANOTA.search(q)
    if m:
        return Form("yesno", f"uses the yes-or-no form '{m.group(0)}'", f"用了“{m.group(0)}”这种是非问句式")
    m = _ZH_CHOICE.search(q)
    if m and not _ZH_WH.search(q.replace(m.group(0), "")):
        return Form("choice", f"offers a fixed choice ('{m.group(0)}'), so the customer just picks one",
                    f"给出了固定选项（“{m.group(0)}”），客户只需选一个")
    m = _ZH_WH.search(q)
    if m:
        return Form("open", f"asks '{m.group(0)}' and leaves the customer to describe things in their own words",
                    f"用“{m.group(0)}”发问，让客户用自己的话来描述")
    if m is None and _ZH_CHOICE.search(q):
        return Form("choice", "offers a fixed choice, so the customer just picks one", "给出了固定选项，客户只需选一个")
    if has_mark:
        return Form("declarative", "is a statement with a question mark: the customer can only confirm or deny it",
                    "是加了问号的陈述句：客户只能确认或否认")
    return Form("statement", "", "")


def read_form(question: str, language: str, has_mark: bool) -> Form:
    """The form of the asking sentence ``question`` (normalised) in ``language`` ("en", "zh" or "other")."""
    if language == "zh":
        return _zh_form(question, has_mark)
    if language == "en":
        return _en_form(question, has_mark)
    return Form("statement", "", "")
