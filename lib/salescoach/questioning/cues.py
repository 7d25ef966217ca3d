"""The cues :mod:`.classifier` looks for: words and phrases that mark each of the five question types.

Each :class:`Cue` is a regular expression over the *normalised* question
(lower case, simplified Chinese characters, ASCII punctuation; see
``classifier.normalise``), the type it speaks for, how strongly (its weight) and
the reason shown to the student when it decides the type.  English and Chinese
cues are all tried on every question, so a mixed-language question
("我们先在三家店做个 pilot，您看怎么样？") is read by both.

Weights (kit assumption, set by hand from the type definitions of SYLLABUS M5
and checked on the train split of ``datasets/questions.csv``):

* 6 - an explicit meaning check ("do you mean", "您的意思是"): the question is
  about the customer's own words, whatever its grammatical form;
* 4 - a proposal by the salesperson ("what if we", "I'd suggest", "我建议");
* 3 - the grammatical form (yes/no versus open; see ``classifier``), an explicit
  view of the salesperson ("I think", "我觉得"), a conditional offer;
* 2 - an invitation to react ("what do you think", "您怎么看"), an ask for
  agreement with an offer ("would that work", "您看行不行");
* 1-1.5 - weak hints (a quoted word, a claim made before the question).

The type with the highest total wins; ties go to the more specific type
(clarifying, consultative, opinion-giving, closed, descriptive, in that order).
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """One marker of a question type.  ``scope``: where to look ("all", "question" or "preamble")."""

    name: str
    type: str
    weight: float
    pattern: re.Pattern
    en: str
    zh: str
    scope: str = "all"


def _cue(name: str, type_: str, weight: float, pattern: str, en: str, zh: str, scope: str = "all") -> Cue:
    return Cue(name, type_, weight, re.compile(pattern), en, zh, scope)


_W = r"[a-z0-9'’\-]+"          # an English word
_SOME = rf"(?:{_W}[ ,]+){{0,6}}"   # up to six words
_PEOPLE = (r"(?:customers|clients|retailers|shops?|stores|shop owners|owners|buyers|companies|firms|people|farmers|"
           r"clinics|distributors|plants|businesses|brands|dealers|restaurants|hotels|managers|chains|schools)")

# --------------------------------------------------------------------------- clarifying 澄清性问题
CLARIFYING = (
    _cue("you-mean", "clarifying", 6,
         r"\b(?:do|did|does) you mean\b|\bwhat (?:exactly )?(?:do|did) you mean\b|\byou mean\b|\bmeant by\b|"
         r"\bmean by\b|\bby that\b.*\bmean\b|\bwhat you mean\b|\bis that what you mean",
         "asks what the customer meant ('{m}')", "询问客户话里的意思（“{m}”）"),
    _cue("when-you-say", "clarifying", 6,
         r"\bwhen you (?:say|said|talk about|talked about|mention|mentioned|describe|described|call|called|"
         r"refer to|speak of|use the word)\b",
         "takes the customer's own words ('{m}') and asks what they mean", "抓住客户说过的话（“{m}”）问清含义"),
    _cue("saying", "clarifying", 6,
         r"\bare you saying\b|\bwhat you(?:'re| are) (?:saying|telling me)\b|\bis that what you(?:'re| are) saying\b|"
         r"\bare you telling me\b|\byou(?:'re| are) telling me\b|\bso what you\b",
         "checks what the customer is saying ('{m}')", "核对客户要表达的意思（“{m}”）"),
    _cue("understood", "clarifying", 6,
         r"\bif i (?:understand|understood|heard|hear|got|get)\b|\bif i(?:'ve| have) (?:understood|got)\b|"
         r"\b(?:did|do) i (?:understand|get|hear) (?:you|that|this|it|correctly|right)\b|"
         r"\bhave i (?:got|understood|heard) (?:that|this|it|you)\b|\bam i right in (?:thinking|understanding|saying)\b|"
         r"\bi(?:'ve| have) understood\b|\bheard (?:you|that|this|it) (?:right|correctly|properly)\b|"
         r"\bunderstood (?:you|that|this|it)? ?(?:right|correctly|properly)\b|\bunderstand (?:you )?correctly\b|"
         r"\b(?:did|do) you say\b|\bso i(?:'m| am) clear\b|\bif i(?:'m| am) following\b|\bif i follow\b|"
         r"\bam i correct (?:that|in)\b|\bcatch that\b|\b(?:didn't|did not) (?:quite )?(?:catch|get|hear)\b|"
         r"\bin what (?:sense|way)\b|\bwhat sense\b|^(?:is|was) that (?:\d|per |for each|in total|including|excluding|"
         r"before|after|with or without)|\bon the same page\b|\bgot (?:that|this|it) right\b|\bheard (?:this|that) properly\b|"
         r"\b(?:to be sure|to make sure|so|to check|checking|if) (?:that )?i(?:'ve)? (?:understand|understood|got)\b|"
         r"\bi understand (?:correctly|right)\b|\b(?:let me |to )?rephrase\b|\bif i recall\b|"
         r"\bif i remember (?:right|correctly)\b|\bunderstand (?:you|that|this) (?:right|correctly)\b",
         "checks that you understood the customer ('{m}')", "确认自己是否理解对了客户（“{m}”）"),
    _cue("check-confirm", "clarifying", 6,
         r"\bjust to (?:check|confirm|clarify|be clear|be sure|make sure|recap|double-check)\b|"
         r"\b(?:let me|can i|could i|may i|i want to|i'd like to|i just want to) (?:make sure|check|confirm|"
         r"clarify|recap|sum up|summari[sz]e|repeat|paraphrase|play (?:that|it|this) back|be sure|double-check)\b|"
         r"\bto (?:clarify|recap|sum up|summari[sz]e|be clear)\b|\b(?:could|can|would) you clarify\b|\bclarify\b|"
         r"\bin other words\b|\bto put it another way\b|\blet me get this straight\b",
         "checks or sums up what the customer said ('{m}')", "确认或复述客户说过的话（“{m}”）"),
    _cue("you-said", "clarifying", 2.5,
         r"\byou (?:said|told me|mentioned|described|called|referred to|were saying|just said)\b|"
         r"\bthe problem you described\b|\byou (?:talked|spoke) about\b|\byou used the (?:word|term)\b|\byou(?:'ve| have) (?:said|mentioned)\b",
         "goes back to something the customer said ('{m}')", "回到客户刚才说过的话（“{m}”）"),
    _cue("referring", "clarifying", 6,
         r"\b(?:are|were) you referring to\b|\b(?:are|were) you talking about\b|\bare we talking about\b|"
         r"\b(?:which|what) (?:\w+ )?(?:are|were) you (?:referring|talking) (?:to|about)\b|\bhave in mind\b|"
         r"\bmeans? (?:to|for) you\b|\bwhat (?:does|would) [\"'][^\"']{1,40}[\"'] (?:mean|look like)\b",
         "asks which thing or what meaning the customer had in mind ('{m}')", "问清客户指的是哪一个、什么意思（“{m}”）"),
    _cue("restate-so", "clarifying", 4,
         r"^(?:so|and so|ok so|okay so|right so)\b,? ?(?:basically |essentially |in short |then |just )?"
         r"(?:you|your|you're|you'd|you've|you'll|the main|what)\b",
         "restates what the customer said ('{m}…') so they can confirm or correct it",
         "复述客户的话（“{m}……”），请客户确认或纠正", "sentence"),
    _cue("sounds-like", "clarifying", 3,
         r"\b(?:it )?sounds like you\b|\bit sounds like\b|\bit sounds as if\b|\bcorrect me if i(?:'m| am) wrong\b",
         "reflects back what you heard ('{m}') and asks the customer to confirm", "把听到的内容反馈给客户确认（“{m}”）"),
    _cue("quoted", "clarifying", 1,
         r"[\"][^\"]{1,30}[\"]",
         "quotes the customer's own word ({m})", "引用了客户的原话（{m}）"),
)

# --------------------------------------------------------------------------- consultative 征询性问题
_OFFER_VERBS = (r"(?:start|try|trial|pilot|set up|book|schedule|arrange|go with|move|switch|add|run|install|deliver|"
                r"send|split|bundle|lease|offer|give|provide|include|extend|reserve|handle|train|bring|put|test|"
                r"organi[sz]e|plan|launch|hold|share|co-fund|tie|link|lock|combine|reduce|lower|cut|increase|"
                r"raise|review|visit|take|drop|set|swap|replace|upgrade|cover|waive|hire|assign|dedicate|"
                r"do|make|create|build|design|prepare|change|use|look at|sign|pay|guarantee|throw in)")
_SOLUTION_VERBS = (r"(?:start|begin|try|trial|pilot|switch|move|split|bundle|lease|combine|extend|upgrade|add|install|"
                   r"deliver|reduce|lower|offer|give you|provide|include|handle|take care|phase|stage|test|run a|"
                   r"do a (?:trial|pilot|test)|go with|put|send you|set up a (?:trial|pilot|test))")
CONSULTATIVE = (
    _cue("suggest", "consultative", 4,
         r"\bi(?:'d| would)? (?:suggest|recommend|propose)\b|\bwe(?:'d| would)? (?:suggest|recommend|propose)\b|"
         r"\bwe(?:'re| are) proposing\b|\bmy (?:suggestion|recommendation|proposal)\b|\bour (?:suggestion|"
         r"recommendation|proposal|offer|idea)\b|\bwe(?:'d| would) like to (?:propose|offer|suggest)\b|"
         r"\b(?:one|another|an|the other|a third|a second) (?:option|alternative|possibility|idea)\b|"
         r"\bhere(?:'s| is) (?:an idea|a thought|what i propose|my idea|a suggestion)\b|\btell you what\b|"
         r"\bhow about (?:this|that)\b|\bmy idea\b",
         "puts forward a suggestion of yours ('{m}') for the customer to react to",
         "提出你的建议（“{m}”），请客户表态"),
    _cue("what-if", "consultative", 4,
         r"\bwhat if (?:we|i|you|your|the|a|an|our|they|it|each|every|instead)\b|\bhow about (?:we|i|us|if|a|an|"
         r"\w+ing|some|two|three|one|a few|weekly|monthly)\b|\bwhat about (?:we|us|if|a|an|\w+ing|trying|"
         r"some)\b|\bwhy don't (?:we|i|you)\b|\bwhy not (?:try|start|go|use|add|put|take|have|let)\b|\blet's\b|"
         r"\blet us (?:try|start|put|set|book|plan|run|do)\b|\bshall (?:we|i)\b|\bsuppos(?:e|ing) (?:we|i|that we)\b|"
         rf"\b(?:maybe|perhaps) (?:we|i) (?:could|can|should|might)\b|\bshould (?:we|i) {_SOLUTION_VERBS}\b|"
         rf"\b(?:could|can|might) we {_SOLUTION_VERBS}\b",
         "proposes a possible next step or solution ('{m}') and asks the customer's opinion",
         "提出一个可能的做法或方案（“{m}”），征求客户意见"),
    _cue("we-could", "consultative", 4,
         rf"\b(?:we|i) (?:could|can|might|would be (?:happy|glad) to|'d be (?:happy|glad) to) "
         rf"(?:also |easily |then |always |even |probably )?{_OFFER_VERBS}\b|\bwe(?:'re| are) (?:thinking of|"
         rf"planning to|considering|looking at) (?:a|an|\w+ing|offering|giving)\b|\bwe(?:'re| are) happy to\b|"
         r"\bi think we (?:could|should|can)\b|\b(?:we|i)(?:'re| are| am|'m)? (?:might |may |should )?(?:be )?able to\b|"
         r"\bi was thinking (?:we|i|of|about)\b|\bwe were thinking\b|\bit (?:might|may|could|would) (?:be worth|make sense)\b|"
         r"\bwe(?:'d| would) (?:take care|cover|handle|pay)\b",
         "offers something you could do ('{m}') as a first idea for the customer to judge",
         "提出你方可以做的事（“{m}”）作为初步方案，请客户评判"),
    _cue("if-we", "consultative", 3,
         r"(?:^|[,;:\-] |\band )if (?:we|i) (?!look|talk|go back|think|compare|consider|were you|understand|heard|"
         r"may|remember|recall)\w+\b"
         r"|\bif you (?:tried|took|switched|moved|ordered|used|had|got|went with|let us|were to)\b|"
         r"\bif (?:your|the) \w+ (?:were|was|could) (?:handled|done|managed|delivered|moved)\b",
         "puts a possible arrangement as a condition ('{m}') and asks how it would work for the customer",
         "用“如果……”提出一种可能的安排（“{m}”），问客户是否可行"),
    _cue("open-to", "consultative", 3,
         r"\bwould you (?:be )?(?:open to|interested in|willing to (?:try|consider|test)|consider|like to try|"
         r"want to try)\b|\bhow would you feel about (?:us|a|an|the idea|\w+ing|trying)\b|"
         r"\b(?:how|what) would you (?:feel|think|say) if (?:we|i|you|your|the|a|an)\b|"
         r"\bwould you (?:feel|be) (?:comfortable|happy|ok|okay) if (?:we|i)\b|"
         r"\bwhat (?:do|would) you (?:think|say) (?:of|about|to) (?:us|a|an|the idea|\w+ing|trying|"
         r"having|this (?:proposal|plan|option|offer|idea|arrangement)|our (?:proposal|plan|offer|idea|option))\b|"
         r"\bhow would (?:a|an|\w+ing)\b.*\b(?:sound|work|suit|fit|help)\b|^would (?:a|an) \w+|^(?:would|could|will|does|wouldn't) \w+ing\b|\bwould it be worth \w+ing\b|"
         r"\bwould it (?:help|make sense|be useful|"
         r"be helpful|be worth|work|suit you) (?:if|to|for)\b|\bwould it help\b",
         "asks the customer what they think of a possible arrangement ('{m}')", "就一个可能的安排征求客户意见（“{m}”）"),
    _cue("would-that-work", "consultative", 2,
         r"\bhow does (?:that|this|it) sound\b|\bhow would (?:that|this|it) (?:work|sound|be)\b|"
         r"\bwould (?:that|this|it) (?:work|suit|help|be (?:ok|okay|fine|acceptable|useful|enough|a fair|worth)|make|"
         r"solve|cover|remove|fit|do|take|save|ease)\b|\b(?:does|do|would|could|can) (?:that|this|it) (?:work|suit|"
         r"sound|fit|help)\b|\bis (?:that|this|it) (?:acceptable|ok|okay|feasible|workable|enough|fair|"
         r"something you(?:'d| would) consider)\b|\b(?:are|would) you (?:be )?(?:ok|okay|happy|comfortable|fine) "
         r"with (?:that|this|it)\b|\b(?:live|work|go) with (?:that|this|it)\b|\bwould you be interested\b|"
         r"\bworth (?:discussing|trying|a try|considering|exploring)\b|\b(?:fair|deal|agreed|sound good)\?|"
         r"\bwould your (?:\w+ )?(?:accept|agree|go for|approve|buy)\b|\bgo for (?:that|this|it)\b|"
         r"\bwhich (?:one |option )?would suit you\b|\bwhere would you see (?:problems|issues|risks)\b|"
         r"\bdoes (?:that|this|the) (?:timeline|plan|schedule|price|arrangement) work\b|\bwork for you\b|"
         r"\blet me know if (?:that|this) works\b|\bany objections\b|\bsuit you\b|\bfits? (?:what|your) ",
         "asks whether an offer would work for the customer ('{m}')", "询问一个方案对客户是否可行（“{m}”）"),
)

# --------------------------------------------------------------------------- opinion-giving 给出观点的问题
OPINION = (
    _cue("i-think", "opinion", 3,
         r"\bi (?:really |personally |honestly |strongly |also |do )?(?:think|believe|feel|reckon|suspect|guess|"
         r"expect|sense|imagine|suppose|bet)\b|\bi(?:'d| would) (?:say|argue|guess|bet)\b|\bmy (?:sense|feeling|"
         r"view|opinion|impression|guess|hunch|take|belief|reading|experience) (?:is|has been|was)\b|"
         r"\bin my (?:view|opinion|experience|book|eyes)\b|\bfrom my (?:experience|point of view|side|visits|"
         r"perspective)\b|\b(?:our|my) experience (?:is|has been|shows)\b|\bin our experience\b|\bit seems to me\b|"
         r"\bit looks to me\b|\bthe way i see it\b|\bas i see it\b|\bto me,|\bpersonally\b|\bfrom what i(?:'ve| have)? "
         r"(?:seen|see|heard|hear|read|noticed)\b|\bi(?:'ve| have) (?:noticed|found|seen|heard|observed|learned)\b|"
         r"\bwe(?:'ve| have) (?:noticed|found|seen|observed|learned)\b|\bwe (?:believe|think|feel|find|see|expect)\b|"
         r"\bi(?:'m| am) (?:convinced|sure|certain|fairly sure|pretty sure)\b|\bi get the (?:impression|feeling|sense)\b|"
         r"\bi have (?:a|the) (?:feeling|impression|sense|hunch)\b|\bi(?:'d| would) have thought\b|"
         r"\b(?:honestly|frankly|candidly),|\bit strikes me\b|\bit(?:'s| is) my (?:impression|view|feeling|sense|belief|opinion)\b|\bseems to me\b|\bmy (?:take|guess|bet) is\b",
         "states your own view first ('{m}')", "先说出你自己的看法（“{m}”）"),
    _cue("many-people", "opinion", 2,
         rf"\b(?:many|most|a lot|lots|plenty|more and more|several|some|quite a few|the majority|half) (?:of )?"
         rf"(?:our |the |my |other )?(?:\w+ ){{0,2}}{_PEOPLE}\b|\bour other {_PEOPLE}\b|\bpeople i (?:talk|speak|meet)\b|"
         r"\b(?:everyone|everybody|nobody|no one) i (?:talk|speak|meet|visit)\b|\bthe trend (?:i|we)\b|"
         r"\bthe (?:data|numbers|figures|research|trend|market|industry) (?:tells?|shows?|suggests?|says?|is|seems)\b|"
         r"\b(?:research|studies|surveys|reports) (?:show|suggest|say)\b|\bthe fastest-growing\b|"
         r"\b(?:seems?|appears?) to (?:be|have)\b|\b(?:usually|typically|tends? to|generally|often) (?:pays?|works?|"
         r"sells?|grows?|fails?|comes?|leads?|costs?)\b|\bis (?:likely|set|about) to\b|\b(?:are|is) (?:moving|shifting|"
         r"changing|growing|falling|rising|losing|taking)\b",
         "shares an observation about the market or other customers ('{m}')", "分享你对市场或其他客户的观察（“{m}”）"),
    _cue("what-do-you-think", "opinion", 2,
         r"\bwhat(?:'s| is) your (?:view|take|opinion|reading|feeling|sense|read|position|gut feeling)\b|"
         r"\bhow do you (?:see|read|view) (?:it|that|this|things|them)\b|\bhow do you see\b|\bwhat do you make of\b|"
         r"\b(?:do|would|don't|wouldn't) you agree\b|\bagree\?|\bdo you share (?:that|this|my|the)\b|\bis that (?:your experience|"
         r"what you(?:'re| are)? (?:seeing|finding|noticing)|how you see it|true for you|the case)\b|"
         r"\bdoes (?:that|this|it) (?:match|ring true|fit|resonate|surprise|sound right|reflect|square|tally|align|"
         r"compare|chime)\b|\bhow does (?:that|this|it) (?:compare|fit|match|look|square)\b|"
         r"\bdo you see (?:it|that|things) (?:the same way|that way|differently|like that)\b|"
         r"\bwould you say the same\b|\bwhere do you stand\b|\bam i (?:wrong|right|off|missing|mistaken)\b|"
         r"\bhow far off am i\b|\bwouldn't you say\b|\bdon't you (?:agree|think so)\b|\btell me if you disagree\b|\bwhat has your experience been\b|"
         r"\bfrom your (?:side|end|point of view|perspective)\b|\b(?:how|what) about you\b|\bsame for you\b|"
         r"\bdo you feel the same\b|\byour thoughts\b|\bis that (?:fair|right|so)\b|\bwould you go along with\b|"
         r"\bhow do you feel about (?:that|this|it)\b|\bwhat do you think\b|\bwhat(?:'s| is) your reaction\b|"
         r"\bwhat's your experience\b",
         "invites the customer's reaction ('{m}')", "邀请客户回应（“{m}”）"),
)

# generic invitations that fit both a view and an offer: they count for both, the preamble decides
GENERIC_INVITE = re.compile(
    r"\bwhat do you think\b|\bhow do you feel about (?:that|this|it)\b|\bwhat(?:'s| is) your (?:reaction|view|take|"
    r"opinion)\b|您怎么看|你怎么看|(?:您|你)觉得(?:呢|怎么样|如何)|(?:您|你)的(?:意见|看法)呢|您有什么(?:意见|看法|想法)|会怎么看")

# --------------------------------------------------------------------------- Chinese 中文
_YOU = r"(?:您|你|你们|贵公司|贵方)"
_ACT = (r"(?:给|为|帮|替|派|送|提供|安排|配|开通|培训|负责|承担|做|搞|办|出|推出|留|备|换|改|调|加|减|降|延长|"
        r"缩短|免费|上门|收|装|放|带|发|试|捆绑|打折|共享|合作|设|建|开|定|签|包|补|陈列|挪|分)")
ZH_CLARIFYING = (
    _cue("zh-mean", "clarifying", 6,
         r"(?:您|你)(?:的)?意思是|什么意思|是这个意思|是这意思|意思是说|(?:您|你)是说|(?:您|你)是指|指的是|是指|"
         r"具体指|意味着|(?:您|你)(?:刚才|刚刚|之前|前面|上次)?(?:说|讲|提)的是|所指的|您说的意思",
         "asks what the customer meant (“{m}”)", "询问客户话里的意思（“{m}”）"),
    _cue("zh-understood", "clarifying", 6,
         r"我(?:没|沒)?(?:有)?理解错|理解(?:得|的)?(?:对不对|对吗|没错|一致|有误|正确吗)|我(?:这么|这样|的)理解|"
         r"我理解的是|没听错|听错|听(?:得)?对了?吗|我(?:想|再|先)?(?:确认|核实|核对|澄清|复述|重复|总结)|"
         r"(?:确认|核实|核对|澄清|复述|总结|概括)一下|也就是说|换句话说|换言之|那就是说|就是说|这么说来|"
         r"我没听明白|没太明白|不太明白|如果我(?:理解|说)(?:得)?(?:有误|不对)|没记错|记得没错|为了(?:确认|确保|核实)|"
         r"换个说法|确认我(?:理解|听)",
         "checks that you understood the customer (“{m}”)", "确认自己是否理解对了客户（“{m}”）"),
    _cue("zh-clear", "clarifying", 6,
         r"我想弄清楚|弄清楚|搞清楚|简单来说|总的来说|照(?:您|你)(?:这么|这样|的)说|按(?:您|你)的意思|没听清|没太听清|"
         r"没听明白|(?:您|你)的意思",
         "checks that you understood the customer (“{m}”)", "确认自己是否理解对了客户（“{m}”）"),
    _cue("zh-you-said", "clarifying", 2.5,
         r"(?:您|你)(?:刚才|刚刚|之前|前面|上次|一直)?(?:说(?!呢|是不是|对不对|对吧|说)|讲(?!讲)|提到|提起|讲到|说到|"
         r"所说|所讲|形容|描述|用了)|"
         r"(?:您|你)把.{1,16}(?:形容|说成|叫做|称为)",
         "goes back to something the customer said (“{m}”)", "回到客户刚才说过的话（“{m}”）"),
    _cue("zh-restate", "clarifying", 4,
         r"^(?:所以|那么|那)(?:说)?(?:您|你|你们|贵公司|主要|其实|基本上|关键)|^听起来|^(?:也|那)就是",
         "restates what the customer said (“{m}……”) so they can confirm or correct it",
         "复述客户的话（“{m}……”），请客户确认或纠正", "sentence"),
    _cue("zh-quoted", "clarifying", 1,
         r"\"[^\"]{1,20}\"",
         "quotes the customer's own word ({m})", "引用了客户的原话（{m}）"),
)
ZH_CONSULTATIVE = (
    _cue("zh-suggest", "consultative", 4,
         r"我(?:们)?(?:的)?(?:建议|提议|推荐)|建议(?:您|你们|贵公司|先|咱们|我们)|我(?:们)?有(?:一)?个(?:想法|主意|建议|方案)|"
         r"(?:一|这|两|几)(?:个|种|套)(?:方案|办法|做法|选择|思路)|(?:有|一)个(?:思路|主意|想法|办法)|"
         r"(?:我们|我)的(?:方案|建议|想法)|方案是(?!什么|怎样|哪|如何)|是个办法|要不(?!要)(?:我们|咱们|您|就|先)?|"
         r"(?:^|,)不如|这样吧|咱们|我们(?:不妨|可以考虑)|可以考虑|何不|为什么不(?:先|试)|(?:还|也)可以(?:选择|考虑|做|用|改)|"
         r"我在想|我想(?:能不能|是不是可以|可不可以)",
         "puts forward a suggestion or plan (“{m}”) for the customer to react to",
         "提出建议或方案（“{m}”），请客户表态"),
    _cue("zh-we-could", "consultative", 4,
         r"我们(?:也|还|就)?(?:可以|能够|愿意|打算|准备|考虑|想|计划|会)(?!怎么|如何|做些什么|做什么|为您做什么|在哪)|"
         r"我(?:这边)?(?:可以|能|愿意|先|来|打算|准备)" + _ACT + r"|我觉得可以|不妨",
         "offers something you could do (“{m}”) as a first idea for the customer to judge",
         "提出你方可以做的事（“{m}”）作为初步方案，请客户评判"),
    _cue("zh-we-act", "consultative", 2.5,
         r"(?:我们|由我们|我方)(?!认为|觉得|发现|相信|注意到|看到|见过|了解|的经验|的调研|观察)[^,?]{0,8}?" + _ACT + r"|由我们|我们来|我们先|我在.{1,8}安排|我先" + _ACT,
         "describes something you would do for the customer (“{m}”) and asks their view",
         "描述你方会为客户做的事（“{m}”）并征求意见"),
    _cue("zh-if", "consultative", 3,
         r"(?:如果|假如|假设|要是)[^,?]{1,6}?(?:我们|咱们)|(?:如果|假如|假设|要是|若是|万一)(?:我们|我|咱们|由我们|给(?:您|你们)|把|改|换|先|每|您(?:先|试|用|改|换))|"
         r"(?:如果|假如|假设|要是)[^,?]{0,20}?(?:挂钩|改成|改为|换成|调整为|降到|提高到|延长到|缩短到|打包|捆绑)",
         "puts a possible arrangement as a condition (“{m}”) and asks whether it would work",
         "用“如果……”提出一种可能的安排（“{m}”），问客户是否可行"),
    _cue("zh-offer-start", "consultative", 2,
         r"^(?:给(?:您|你们|贵公司|小|老|每|各)|把|先(?:在|把|给|做|试|进|上|用|放|发)|改成|改为|换成|每(?:周|月|天|次|季度|年)"
         r".{0,10}?" + _ACT + r"|为(?:您|你们)|帮(?:您|你们))|免费(?:试|送|给|提供)|"
         r"配一个|安排一(?:次|个|名)|派一名|出一个|办一张|开一次|(?:捆绑|打折|满\d+减)|先试|"
         r"先(?:做|上|用|放)(?:一|个|几|\d)|试(?:一|两|三|几|\d+)(?:个)?(?:月|周|天|次)|安排在|定在|改在|改到|挪到|调到|改成|改为",
         "sketches a possible arrangement (“{m}”) for the customer to judge", "勾画了一种可能的安排（“{m}”）供客户评判"),
    _cue("zh-ask-offer", "consultative", 2,
         r"(?:您|你)看(?:怎么样|如何|行不行|行吗|可以吗|好吗|合适吗|这样|呢|公道)|这样(?:的话)?(?:行|可以|好|合适|够|公平|安排|"
         r"对您|能|会|做)|意下如何|能(?:否)?接受|可以接受|可行吗|可不可行|是否可行|愿(?:不愿)?意(?:先)?试|有兴趣吗|"
         r"感兴趣吗|够不够|够用吗|公道不|有必要吗|有用吗|有帮助吗|能(?:不能|否)?(?:解决|减轻|帮|让|缓解)|会不会(?:小|少|好|轻|容易|方便)|"
         r"符合.{0,6}需求|值得(?:谈|试|考虑|一试)|(?:能|会)(?:同意|配合|买账)吗|能配合|合适吗|好不好|怎么样\?$|如何\?$|"
         r"(?:有|感)兴趣|(?:公平|合理|可行|划算|值得)吗|会不会(?:更)?(?:方便|省|好)|会不会让|有帮助|对(?:您|你们)(?:有|会有)?(?:用|好处)|"
         r"行得通|合得上|对得上|愿意考虑|(?:^|,)(?:那)?(?:可以|好|行|合适|方便|同意)吗|能满足",
         "asks whether an offer would work for the customer (“{m}”)", "询问一个方案对客户是否可行（“{m}”）"),
)
ZH_OPINION = (
    _cue("zh-i-think", "opinion", 3,
         r"我(?:个人|自己|倒是|其实|也|真的|还是)?(?:觉得|认为|感觉|相信|估计|猜|怀疑|判断|预计|预感|发现|注意到|看(?!到|看|了))|"
         r"我有(?:一)?种(?:感觉|预感)|我有(?:个|一个)?预感|在我看来|依我看|以我(?:的)?(?:经验|观察|判断)|"
         r"据我(?:了解|观察|所知|看)|我的(?:看法|感觉|判断|观点|经验|体会|印象)|我们(?:发现|注意到|认为|觉得|相信|观察到|的经验)|"
         r"从我.{0,6}(?:看|来看|情况看)|对我来说|说实话|坦白(?:讲|说)|老实说|说真的|我接触的|我们?见过|我们?看到(?!您|你)|"
         r"我们?了解到|我的(?:印象|判断|经验|看法)|我的调研|我们的调研",
         "states your own view first (“{m}”)", "先说出你自己的看法（“{m}”）"),
    _cue("zh-many-people", "opinion", 2,
         r"(?:很多|不少|大部分|大多数|越来越多的?|好多|许多|其他|别的)(?:的)?.{0,6}?(?:客户|店主|顾客|老板|门店|企业|公司|农户|商家|"
         r"诊所|工厂|人|同行|店)|看起来|好像|似乎|趋势|通常|往往|一般来说|从数据(?:上)?看|数据显示|研究表明|调查显示",
         "shares an observation about the market or other customers (“{m}”)", "分享你对市场或其他客户的观察（“{m}”）"),
    _cue("zh-how-see", "opinion", 2,
         r"(?:您|你)(?:怎么|如何)(?:看|想|认为|理解|判断)|怎么看待|对此怎么看|(?:您|你)(?:觉得|认为)呢|(?:您|你)(?:的)?(?:看法|意见|观点|"
         r"想法|经验|判断|感受)(?:呢|是|如何|怎样|一致)|有什么(?:看法|想法|意见)|(?:您|你)(?:也)?(?:同意|赞同|认同|认可)(?:吗|这|这个|这种|这一|我)|(?:您|你)(?:觉得|认为|看)(?:这|那|它|此)|"
         r"也(?:这么|这样)(?:看|认为|觉得)|是这么看|有同感|是这样吗|也是这样|(?:一致|吻合|相符|一样)吗|我说得对|我(?:这么|这样)说对|"
         r"我判断得|从(?:您|你)的(?:角度|位置|立场)|(?:您|你)说呢|(?:您|你)的立场|从(?:您|你)(?:那边|这边)看|意外吗|(?:您|你)这边也|如果(?:您|你)不同意|(?:您|你)觉得(?:是)?这样吗|"
         r"看到(?:了)?这种|(?:您|你)(?:也)?这么(?:看|想|觉得)",
         "invites the customer's reaction (“{m}”)", "邀请客户回应（“{m}”）"),
)

OFFER_NOUNS = (
    _cue("offer-noun", "consultative", 1.5,
         r"\b(?:package|bundle|trial|pilot|discount|rebate|credit terms|free (?:samples?|trial|installation|delivery)|"
         r"warranty|upgrade|hotline|dedicated|demo|samples|payment plan|instal(?:l)?ments|consignment)\b|"
         r"套餐|试用|试点|样品|折扣|优惠|打折|返利|账期|分期|免费|赠品|服务包|专属|保修|延保|升级|演示|草案|代销|打包",
         "mentions something you could offer ('{m}')", "提到了你可以提供的东西（“{m}”）"),
)
PIN_DOWN = re.compile(r"\b(?:exactly|specifically|precisely|roughly|approximately|about how|how (?:much|many|long|often|"
                      r"soon|big|late)|which \w+|in what (?:sense|way)|thinking of|talking about)\b|具体|大概|大约|多久|多少|哪(?:个|些|方面|部分|种)|几")
#: after a view of your own, a question that points back at it ("does that match ...?", "您也这么看吗") invites a reaction
BACK_REFERENCE = re.compile(
    r"\b(?:that|this|it|so|too|as well|the same|similar|familiar|agree|fair|right|true|reading|view|take|opinion|"
    r"thoughts|see it|see that|wouldn't you say|would you say)\b|这|此|呢|也|同意|一样|差不多|感觉|看法|想法|立场|"
    r"怎么看|看的|说呢|是这样|对吗|对不对|对吧|认同|认可|有同感")

ALL_CUES = CLARIFYING + CONSULTATIVE + OPINION + ZH_CLARIFYING + ZH_CONSULTATIVE + ZH_OPINION + OFFER_NOUNS
