"""The fourteen reception types 类型接待标准 and how to receive each (SYLLABUS M4, S1 p.117).

The source gives each type a name and a one-line reception rule; the signs to recognise a type by, the example
line and the "avoid" note on each card are the kit's own wording (kit assumption), written for trainees.
The types are grouped the way the lessons teach them (kit assumption): how the customer *talks*, how they
*decide*, and how they *test your offer*.

Everything here is plain data: :data:`TYPES` (ids in the source's order), :data:`CARDS` (one
:class:`TypeCard` per type), :data:`GROUPS`, and the fallback :data:`OBSERVE` for a customer whose record
shows no clear type yet.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TYPES", "TYPE_CHINESE", "TYPE_NAMES", "GROUPS", "GROUP_NAMES", "CARDS", "TypeCard", "OBSERVE",
           "card", "type_label", "CUSTOMER_KINDS", "CUSTOMER_KIND_NAMES"]


@dataclass(frozen=True)
class TypeCard:
    """One reception type: its names, the signs, the approach (short and in full), an example line, what to avoid."""

    id: str
    en: str
    zh: str
    group: str
    signs: tuple[str, str]          # (English, Chinese): how you recognise the type
    approach: tuple[str, str]       # short name of the approach
    how: tuple[str, str]            # the reception rule in a sentence or two
    say: tuple[str, str]            # an example of what you might say
    avoid: tuple[str, str]          # the usual mistake with this type

    def text(self, field: str, lang: str = "en") -> str:
        en, zh = getattr(self, field)
        return zh if lang == "zh" else en


#: the reception types, in the order of the source's table
TYPES = ("talkative", "taciturn", "conservative", "timid", "self-centred", "decisive", "shrewd", "sceptical",
         "complaining", "methodical", "dependent", "picky", "analytical", "emotional")

GROUPS = ("talk", "decide", "test")
GROUP_NAMES = {
    "talk": ("How they talk", "怎么说话"),
    "decide": ("How they decide", "怎么做决定"),
    "test": ("How they test your offer", "怎么审视你的方案"),
}

CUSTOMER_KINDS = ("business", "individual")
CUSTOMER_KIND_NAMES = {"business": ("Business customer", "商业客户"), "individual": ("Individual customer", "个人客户")}

_CARDS = (
    TypeCard(
        "talkative", "Talkative", "健谈型", "talk",
        ("Long stories, jumps from topic to topic, enjoys the visit more than the business.",
         "讲话多、话题跳来跳去，享受聊天多过谈生意。"),
        ("Steer back to business", "把话题引回正题"),
        ("Be friendly and listen a little, then use every pause or link to bring the talk back to the business "
         "at hand.", "友好地听一会儿，然后抓住每个停顿或话头，把谈话引回正题。"),
        ("\"That trip sounds great, and it reminds me: your stores will be busy that week too. Shall we look at "
         "the order for it?\"", "“这趟旅行真不错，说到这儿我想起来，那一周您的门店也会很忙，我们看看那周的订单吧？”"),
        ("Letting the whole visit pass in chat, or cutting them off rudely.", "整个拜访都在闲聊，或者生硬地打断对方。"),
    ),
    TypeCard(
        "taciturn", "Taciturn", "少言寡语型", "talk",
        ("Short answers, long silences, gives little away; not necessarily unwilling.",
         "回答简短，常常沉默，不轻易表态，但不一定没兴趣。"),
        ("Be patient until they open up", "耐心等待对方开口"),
        ("Ask one easy open question, then wait; accept the silence and do not fill it with a sales talk. "
         "Keep at it until they speak.", "问一个容易回答的开放式问题，然后等待；接受沉默，不要用推销话把它填满，"
         "耐心坚持到对方开口。"),
        ("\"How do you usually choose a supplier for this?\" ... and then say nothing for a while.",
         "“这类产品您一般怎么挑供应商？”……然后安静地等一会儿。"),
        ("Talking non-stop to fill the silence, or taking silence as a no.", "用不停地说话来填补沉默，或者把沉默当成拒绝。"),
    ),
    TypeCard(
        "conservative", "Conservative", "因循守旧型", "decide",
        ("Likes the way things have always been done, distrusts change, puts decisions off.",
         "习惯老做法，不信任变化，总想把决定往后拖。"),
        ("Listen, then show the cost of waiting", "倾听，并指出等待的代价"),
        ("Listen to why they hold back; then point out, with facts, what waiting may cost them (a price rise, "
         "short supply) so they act in time.", "先听清对方为什么犹豫；再用事实指出拖延可能的代价（涨价、缺货），"
         "让对方及时行动。"),
        ("\"I understand you'd rather wait. The new price list starts on the 1st; an order this week still "
         "comes at today's price.\"", "“理解您想再等等。新价格1号开始执行，这周下单还是现在的价格。”"),
        ("Pushing the novelty of the product; inventing urgency that is not true.", "一味强调产品新颖；编造并不存在的紧迫性。"),
    ),
    TypeCard(
        "timid", "Timid", "胆怯型", "decide",
        ("Nervous, avoids eye contact, afraid of making a mistake or being pressed.", "紧张，回避目光，怕做错决定，怕被逼。"),
        ("Guide and encourage", "引导和鼓励"),
        ("Lower the pressure: guide them step by step, reassure them, and let them relax before asking for "
         "anything.", "降低压力：一步一步引导、给对方打气，让对方放松下来，再谈决定。"),
        ("\"Take your time. Many first-time buyers start with a small order; we can go through it together.\"",
         "“不着急。很多第一次买的客户都从小单开始，我们一起慢慢看。”"),
        ("Pressing for a quick decision; a flood of options.", "催促对方快做决定；一下子给太多选择。"),
    ),
    TypeCard(
        "self-centred", "Self-centred", "自我中心型", "talk",
        ("Talks about their own success and views, wants to feel important, shows superiority.",
         "爱讲自己的成就和看法，希望被重视，有优越感。"),
        ("Listen carefully and compliment", "认真聆听并恭维"),
        ("Give them the stage: listen with attention and pay sincere compliments on what they are proud of; "
         "then link your offer to their goals.", "把舞台让给对方：专心地听，真诚地称赞对方得意的地方，"
         "再把你的方案和对方的目标联系起来。"),
        ("\"You built this chain from one shop; what you say about store layout is worth a lot to us.\"",
         "“您从一家小店做到连锁，您对门店陈列的见解对我们很有价值。”"),
        ("Correcting them or competing with their stories.", "当面纠正对方，或者跟对方比谁的经历更精彩。"),
    ),
    TypeCard(
        "decisive", "Decisive", "果断型", "decide",
        ("Confident, knows what they want to buy, decides quickly, impatient with small talk.",
         "自信，清楚自己要买什么，决定快，不耐烦寒暄。"),
        ("Give the needed details, stick to facts", "给出必要细节，忠于事实"),
        ("Be brief and precise: give the details they need to decide, answer exactly what they ask, and never "
         "bend the facts.", "简明准确：给出做决定需要的细节，问什么答什么，绝不歪曲事实。"),
        ("\"Three points: delivery in five days, two-year warranty, 8,400 yuan. Shall I write it up?\"",
         "“三点：五天到货，两年保修，8,400元。我现在出单吗？”"),
        ("Long presentations, or promises you cannot keep to close faster.", "长篇介绍，或者为了快成交而乱许诺。"),
    ),
    TypeCard(
        "shrewd", "Shrewd", "精明型", "test",
        ("Well informed, quotes what other sellers said, tests you with their arguments.",
         "消息灵通，常搬出其他销售员的说法来考你。"),
        ("Appreciate their knowledge with skilful compliments", "巧妙恭维，赞赏对方的见识"),
        ("Acknowledge how well they have done their homework, compliment it skilfully, and then answer the "
         "argument on its merits without running down the competitor.", "肯定对方做足了功课，巧妙地加以赞赏，"
         "再就事论事回应这个说法，不贬低竞争对手。"),
        ("\"You've clearly compared the market closely. That's a fair point about their price; here is what "
         "the difference buys you.\"", "“您对市场比较得很细。他们价格那一点说得有道理，我们多出来的钱换来的是这些。”"),
        ("Attacking the competitor, or pretending their argument is wrong when it is not.", "攻击竞争对手，或者硬说对方说得不对。"),
    ),
    TypeCard(
        "sceptical", "Sceptical", "怀疑型", "test",
        ("Doubts every claim, expects to be oversold, looks for the catch.", "怀疑每一句介绍，觉得你在夸大，专找漏洞。"),
        ("Don't argue; admit weaknesses; use logic and facts", "不争辩，承认不足，用逻辑和事实"),
        ("Do not argue. Admit the real weaknesses of your offer openly, then build your case step by step on "
         "facts they can check.", "不争辩。坦白承认方案真实的不足，再用对方能核实的事实一步一步讲道理。"),
        ("\"You're right to ask. Our lead time is longer than the market leader's. Here is the test report, "
         "and the number of a customer you can call.\"", "“您问得对。我们的交货期比行业第一家长。这是检测报告，"
         "还有一位老客户的电话，您可以直接问。”"),
        ("Arguing back, or claiming the product has no weak points.", "跟对方争辩，或者说产品毫无缺点。"),
    ),
    TypeCard(
        "complaining", "Complaining", "牢骚型", "test",
        ("Grumbles about prices, service, the weather; often a real problem sits underneath.",
         "对价格、服务甚至天气都有牢骚，背后往往有一个真问题。"),
        ("Stay especially cheerful; find what is bothering them", "保持特别愉快，找出困扰对方的事"),
        ("Keep a warm, cheerful manner, let them vent, and ask until you find the trouble behind the complaints; "
         "then deal with that.", "保持热情愉快，让对方把话说完，再追问出牢骚背后真正的麻烦，然后解决它。"),
        ("\"That sounds like a rough month. Which of those problems costs you the most right now?\"",
         "“听起来这个月真不容易。这些事里，眼下哪一件最让您头疼？”"),
        ("Catching their mood and complaining along, or defending yourself point by point.",
         "被对方的情绪带着一起抱怨，或者逐条为自己辩解。"),
    ),
    TypeCard(
        "methodical", "Methodical", "条理型", "decide",
        ("Slow and careful, weighs each point in order, takes notes, dislikes being rushed.",
         "慢条斯理，按顺序逐条权衡，爱记笔记，不喜欢被催。"),
        ("Match their pace; expand on the details", "配合对方的节奏，展开细节"),
        ("Slow down to their pace, go through the points in order and expand on the details of each; "
         "give them time to weigh.", "放慢到对方的节奏，按顺序逐项讲，把每一项的细节展开，留时间让对方权衡。"),
        ("\"Let's take it point by point: first the specification, then delivery, then the terms.\"",
         "“我们一项一项来：先看规格，再看交货，最后看条款。”"),
        ("Skipping steps to save time, or pushing for a decision at the first meeting.", "为省时间跳过步骤，或者第一次见面就逼单。"),
    ),
    TypeCard(
        "dependent", "Dependent", "依赖型", "decide",
        ("Finds deciding hard, asks what you or others would do, wants someone to lean on.",
         "很难自己拿主意，常问“你说呢”“别人怎么选”，希望有人可以依靠。"),
        ("Help them decide", "帮对方做决定"),
        ("Meet their need for help: narrow the choice, recommend clearly and say why, and stay available "
         "after the sale.", "满足对方需要帮助的心理：缩小选择范围，明确推荐并说明理由，售后也随时找得到你。"),
        ("\"For a shop your size I'd take the standard package; most of my customers in your street do, "
         "and you can upgrade later.\"", "“像您这样规模的店，我建议选标准套餐，这条街上我的客户大多这么选，以后还能升级。”"),
        ("Leaving them alone with a long list of options; exploiting their trust.", "丢给对方一长串选项不管；利用对方的信任。"),
    ),
    TypeCard(
        "picky", "Picky", "挑剔型", "test",
        ("Finds fault with everything, rejects your first offer whatever it is.", "事事挑毛病，不管你报什么价都不同意。"),
        ("Stress quality and service to justify the value", "强调质量和服务，证明物有所值"),
        ("Do not rush to cut the price. Show what the quality and the service are worth to them, so the "
         "value justifies the price.", "不要急着降价。讲清楚质量和服务对对方意味着什么，用价值来支撑价格。"),
        ("\"It isn't the cheapest. The finish lasts twice as long and we replace faulty units within 24 hours, "
         "so your cost per year is lower.\"", "“这不是最便宜的。但涂层寿命长一倍，坏了24小时内换新，"
         "算下来每年的成本更低。”"),
        ("Cutting the price at the first objection; taking the faultfinding personally.", "一听到异议就降价；把挑剔当成针对自己。"),
    ),
    TypeCard(
        "analytical", "Analytical", "分析型", "test",
        ("Asks for figures, specifications, comparisons and proof; reads everything.", "要数据、规格、对比和证据，什么资料都看。"),
        ("Bring data, facts and a detailed explanation", "提供数据、事实和详细解说"),
        ("Come prepared with data, facts and detailed explanations; for this customer, the more information "
         "the better. Leave documents they can study.", "带足数据、事实和详细说明；对这类客户，信息越多越好，"
         "并留下可以细看的资料。"),
        ("\"Here are twelve months of failure rates by batch, and the cost model behind our quote.\"",
         "“这是按批次统计的十二个月故障率，还有我们报价背后的成本测算。”"),
        ("Vague claims (\"top quality\"), pressure, or an appeal to feelings.", "空泛的说法（“质量一流”）、施压，或者打感情牌。"),
    ),
    TypeCard(
        "emotional", "Emotional", "感情型", "talk",
        ("Values feelings and relationships, buys from people they like, remembers how you treated them.",
         "重感情、重关系，愿意跟喜欢的人做生意，记得你怎么对待他。"),
        ("Get acquainted gradually; engage fully; keep your own character", "逐渐熟识，全身心投入，保持自己的个性"),
        ("Build the relationship step by step, take a real interest and engage fully, while staying yourself "
         "rather than flattering or play-acting.", "一步步建立关系，真心关注、全心投入，同时保持自己的个性，"
         "不刻意讨好、不演戏。"),
        ("\"How did your daughter's exam go? ... And the new shop: how are the neighbours taking it?\"",
         "“您女儿考试怎么样？……新店开了，街坊们反应如何？”"),
        ("Going straight to figures; fake friendliness that they will sense.", "一上来就谈数字；虚情假意，对方一眼就能看出来。"),
    ),
)

CARDS: dict[str, TypeCard] = {c.id: c for c in _CARDS}
TYPE_NAMES = {c.id: c.en for c in _CARDS}
TYPE_CHINESE = {c.id: c.zh for c in _CARDS}

#: the fallback when a customer's record shows no clear type (kit assumption)
OBSERVE = TypeCard(
    "observe", "No clear type yet", "类型尚不明确", "",
    ("The record shows no strong trait.", "记录里没有明显的特征。"),
    ("Observe and ask open questions", "观察，并提开放式问题"),
    ("Use a neutral, friendly approach on the next visit, ask open questions and watch how they talk and decide; "
     "update the record afterwards.", "下次拜访用中性友好的方式，多问开放式问题，观察对方怎么说话、怎么做决定，"
     "拜访后更新记录。"),
    ("\"How do you usually go about a decision like this?\"", "“这类事情您一般是怎么决定的？”"),
    ("Guessing a type from one visit.", "只见一次面就给客户定型。"),
)

assert tuple(CARDS) == TYPES  # the table and the cards agree


def card(type_id: str) -> TypeCard:
    """The card of ``type_id`` (one of :data:`TYPES`, or ``"observe"``); ValueError naming the valid ids."""
    if type_id == OBSERVE.id:
        return OBSERVE
    try:
        return CARDS[type_id]
    except (KeyError, TypeError):
        raise ValueError(f"unknown reception type {type_id!r}; use one of {', '.join(TYPES)} (or 'observe')") from None


def type_label(type_id: str, lang: str = "both") -> str:
    """``"Sceptical 怀疑型"`` (``lang="both"``), ``"Sceptical"`` (``"en"``) or ``"怀疑型"`` (``"zh"``)."""
    c = card(type_id)
    return c.en if lang == "en" else c.zh if lang == "zh" else f"{c.en} {c.zh}"
