"""The subject matter of M9 as data: the syllabus's lists in English and Chinese, and the kit's mappings.

Facts and structure come from SYLLABUS.md M9 (source S1, the key-account
chapter: 大客户服务管理, 维护大客户关系, 影响大客户忠诚度的因素, 提高大客户忠诚的策略,
大客户的档案管理, 与核心客户的联系, 双赢策略).  The wording is the kit's own.  Two
things here are **kit assumptions**, not the source's: which loyalty drivers
each of the ten strategies addresses (:data:`STRATEGY_DRIVERS`) and what a
strategy costs for one account for a year (:data:`STRATEGY_COST`); the source
lists the strategies and the drivers but does not connect them or price them.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Term", "KA_DEFINITION", "SERVICE_MEASURES", "FACTORS", "DRIVERS", "STRATEGIES", "STRATEGY_DRIVERS",
           "STRATEGY_BARRIERS", "STRATEGY_COST", "FILE_LEVELS", "CONTACT_WAYS", "WIN_WIN", "REVIEW_AIMS",
           "REVIEW_TIPS", "driver", "strategy", "strategies_for", "label", "terms"]


class Term(NamedTuple):
    """One entry of a syllabus list: a short id, the English and Chinese names, and a sentence on what it means."""

    id: str
    en: str
    zh: str
    note: str = ""


#: what makes a key account (S1): profit, not size; the other names the source gives
KA_DEFINITION = Term(
    "ka", "Key account", "大客户",
    "A customer that brings the company a large profit. Also called a key, core or priority customer "
    "(关键客户, 核心客户, 重点客户). Large revenue at a thin margin does not make a key account.",
)

#: the nine measures for serving key accounts (服务大客户), in the source's order
SERVICE_MEASURES: tuple[Term, ...] = (
    Term("team", "KA service team and its assessment", "大客户服务队伍的建立与考核",
         "Put together the people who serve key accounts and judge them on how their accounts do."),
    Term("project_manager", "KA project manager system", "大客户项目服务经理制",
         "One named account manager answers for the account's marketing and relationship, so the customer "
         "gets every service through one person: a one-stop service."),
    Term("environment", "A harmonious relationship environment", "和谐的大客户关系管理运营环境",
         "The rules, habits and people around the account work for the relationship, not against it."),
    Term("business_analysis", "Business analysis of the KA", "加强大客户的经营分析",
         "Study the account's own business (sales, trend, our share of its purchases) as well as our sales to it."),
    Term("raise_value", "Help the KA raise its own value", "帮助大客户提升自己的价值",
         "Help the customer sell more and run better, so that the account itself grows."),
    Term("personalised", "Personalised service", "提供个性化服务",
         "Shape the offer, the promotions and the service to this account, not to a template."),
    Term("return_visits", "Return visits", "对大客户进行回访",
         "Go back after deliveries, complaints and promotions to check how things went."),
    Term("win_win", "Win-win cooperation", "与大客户合作共赢",
         "Both sides gain from the relationship; neither wins at the other's cost."),
    Term("alliance", "Strategic alliance", "实施大客户战略联盟",
         "Tie the two businesses together for the long run: joint plans, shared investments."),
)

#: the five factors for keeping a KA relationship (维护大客户关系的关键因素)
FACTORS: tuple[Term, ...] = (
    Term("trust", "Trust", "信任", "The foundation of the relationship: without it nothing else holds."),
    Term("competitors", "Competitors", "竞争对手", "Rivals who court the account threaten the relationship."),
    Term("entry_barriers", "Entry barriers", "进入障碍",
         "What makes it hard for a rival to start trading with the account at all."),
    Term("exit_barriers", "Exit barriers", "退出障碍",
         "What makes us indispensable, so that the account cannot easily leave us for a rival."),
    Term("cooperation_risk", "Cooperation risk", "合作性风险",
         "What the partnership itself could cost us (bad debt, a deal that goes wrong): a threat to weigh."),
)

#: the seven drivers of KA loyalty (影响大客户忠诚度的因素)
DRIVERS: tuple[Term, ...] = (
    Term("purchasing", "Perfect purchasing experience", "完美的采购经历",
         "Every order arrives complete, on time and as promised."),
    Term("philosophy", "Shared philosophy", "理念",
         "The account shares our view of the market and of how to do business."),
    Term("interaction", "Real interaction", "真正的互动",
         "Contact that goes both ways and reaches beyond the buyer and the rep."),
    Term("service", "Quality service", "优质的服务",
         "Service the account rates highly: quick, accurate, well informed."),
    Term("say", "Say in decisions", "客户的参与决策权",
         "The account takes part in decisions that affect it: promotions, new products, how we serve it."),
    Term("relationship", "Relationship quality", "关系质量",
         "The account's trust in us and its satisfaction with us and our people."),
    Term("differentiation", "Product differentiation", "产品差异化",
         "What the account gets from us it cannot get from a rival."),
)

#: the ten strategies for raising KA loyalty (提高大客户忠诚的策略), in the source's order
STRATEGIES: tuple[Term, ...] = (
    Term("supply", "Supply KAs first", "优先保证大客户的货源充足",
         "When goods are short, key accounts are served first and in full."),
    Term("selling", "Raise their selling capacity", "提高大客户的销售能力",
         "Training, displays and sales support that help the account sell more of our products."),
    Term("trial", "Trial new products with KAs first", "新产品的试销首先在大客户中进行",
         "Key accounts see and test new products before anyone else."),
    Term("support", "Support their PR, promotions and business moves", "关注并支援大客户的公关、促销和商业动态",
         "Watch what the account is doing (openings, events, campaigns) and help in time."),
    Term("visit", "Senior managers visit them", "安排企业高层主管拜访大客户",
         "Our directors meet the account's leaders, not only the rep its buyer."),
    Term("co_promo", "Design promotions with each KA", "和每个大客户一起设计促销方案",
         "Promotions built with the account for its own shoppers, not a national template."),
    Term("feedback", "Ask regularly for feedback on our sales staff", "经常征求大客户对营销人员的意见",
         "The account tells us how our people serve it, and sees that we act on it."),
    Term("reward", "Reward them appropriately", "对大客户制定适当的奖励政策",
         "Rebates and rewards that recognise the account's volume, growth and loyalty."),
    Term("inform", "Keep information flowing fast and accurately", "保证与大客户之间信息传递及时、准确",
         "Prices, stock and market news reach the account early and right."),
    Term("forum", "Hold a yearly KA forum", "组织每年一度的大客户座谈会",
         "Once a year the key accounts meet our leadership (and each other) to hear our plans and speak up."),
)

#: Kit assumption: which loyalty drivers each strategy mainly strengthens (the source does not connect the lists).
STRATEGY_DRIVERS: dict[str, tuple[str, ...]] = {
    "supply": ("purchasing",),
    "selling": ("service", "philosophy"),
    "trial": ("differentiation", "say"),
    "support": ("interaction", "relationship"),
    "visit": ("interaction", "relationship", "philosophy"),
    "co_promo": ("say", "differentiation"),
    "feedback": ("service", "say", "relationship"),
    "reward": ("relationship",),
    "inform": ("purchasing", "service"),
    "forum": ("philosophy", "interaction", "say"),
}

#: Kit assumption: the barrier each strategy mainly builds (entry: keeps rivals out; exit: makes us indispensable).
STRATEGY_BARRIERS: dict[str, str] = {
    "supply": "exit", "selling": "exit", "trial": "entry", "support": "exit", "visit": "entry",
    "co_promo": "entry", "feedback": "entry", "reward": "exit", "inform": "exit", "forum": "entry",
}

#: Kit assumption: what a strategy costs for one account for one year, in yuan (reserved stock, training days,
#: samples, travel, promotion funds, rebates ...).  Used by the retention plans and the budget exercise.
STRATEGY_COST: dict[str, int] = {
    "supply": 30_000, "selling": 40_000, "trial": 20_000, "support": 35_000, "visit": 15_000,
    "co_promo": 60_000, "feedback": 5_000, "reward": 50_000, "inform": 10_000, "forum": 12_000,
}

#: the four levels of a KA's file (大客户的档案管理); the source names them, the examples are the kit's reading
FILE_LEVELS: tuple[Term, ...] = (
    Term("basic", "Basic information", "基本信息",
         "Who the account is: name, address, channel, contacts, how long it has been a key account."),
    Term("important", "Important information", "重要信息",
         "How the account does business with us: revenue, profit, who decides, how it orders and pays."),
    Term("core", "Core information", "核心信息",
         "What decides whether we keep it: our share of its purchases, its trend, rivals' moves, what its "
         "leaders care about."),
    Term("process", "Process-management information", "过程管理信息",
         "The record of our work with it: visits, promotions, feedback rounds, complaints, forums, reviews."),
)

#: ways to keep in touch with key and core customers (与核心客户的联系)
CONTACT_WAYS: tuple[Term, ...] = (
    Term("remote", "Letters, e-mail and phone", "书信、E-mail和电话联络",
         "Cheap and frequent: news, greetings, quick questions, confirmations."),
    Term("visit", "Visits", "登门拜访", "Face to face at the customer's place: the strongest contact, and the dearest."),
    Term("gift", "Gifts", "赠送纪念品", "A small souvenir that keeps us in mind between contacts."),
)

#: the win-win strategy (双赢策略): its aims and how it is carried out
WIN_WIN: dict[str, tuple[Term, ...]] = {
    "aims": (
        Term("mutual_benefit", "Mutual benefit", "合作双方互惠互利", "Both companies gain from working together."),
        Term("trust", "Win the customer's trust, goodwill and cooperation", "赢得客户信赖、好感与合作",
             "The customer wants to keep working with us."),
    ),
    "means": (
        Term("department", "A dedicated department", "建立专门管理部门", "Someone whose job is the key accounts."),
        Term("feedback_system", "A feedback system", "建立反馈系统", "What the customer says reaches us and is acted on."),
        Term("information", "Use information to find new markets", "及时收集和利用信息，挖掘新的市场机会",
             "Information gathered with the customer points both sides to new business."),
    ),
}

#: what an annual review meeting with a key account is for (syllabus M8, source S2)
REVIEW_AIMS: tuple[Term, ...] = (
    Term("relationship", "Strengthen the relationship", "加强关系"),
    Term("feedback", "Get feedback", "寻求反馈"),
    Term("new_products", "Introduce new products", "引进新产品"),
    Term("direction", "Set the direction for next year", "规定将来的方向"),
)

#: the tips for an effective annual review meeting (syllabus M8, source S2), in the kit's words
REVIEW_TIPS: tuple[Term, ...] = (
    Term("meal", "Meet over a meal", "安排早餐或午餐会", "Breakfast or lunch relaxes people and makes the talk informal."),
    Term("room", "Choose a good room", "选择适于开会的地方",
         "Good light, a big table, and nobody asking you to leave after the meal."),
    Term("buyers", "Invite every influential buyer", "邀请有影响力的客户参加",
         "If the account has two people who decide, both come."),
    Term("data", "Prepare the data", "准备必要的表格和文件",
         "Last year's sales in tables, and documents that back your views on trends and products."),
    Term("time", "Allow more than an hour", "会议时间要足够长", "One hour is usually too tight."),
    Term("structure", "Plan the talk and its times", "组织讲话，合理分配时间",
         "Review the past, ask about performance, quality and satisfaction, ask about their plans, bring "
         "something new."),
    Term("listen", "Let them talk", "给客户足够的讨论时间", "Ask open questions and let the customer say what is on their mind."),
    Term("commitment", "Show commitment", "表达服务承诺", "Say and show that you want a long, mutually profitable relationship."),
    Term("close_new", "Close with something new", "介绍新产品、服务或营销设想",
         "A new product, service or idea, perhaps a special offer; thank them for their time and business."),
    Term("deeper_needs", "Dig for deeper needs", "挖掘深层次的机会和需求",
         "Look past the obvious for opportunities and needs; watch the big picture and the details."),
    Term("referrals", "Ask for referrals", "索要推荐信或证明信",
         "Where it fits, ask for a reference: current customers are the best source of new ones."),
)


def _by_id(items: tuple[Term, ...], wanted: str, what: str) -> Term:
    for t in items:
        if t.id == wanted:
            return t
    raise ValueError(f"unknown {what} {wanted!r}; known {what}s: {', '.join(t.id for t in items)}")


def driver(driver_id: str) -> Term:
    """The loyalty driver with this id (ValueError listing the ids for an unknown one)."""
    return _by_id(DRIVERS, driver_id, "driver")


def strategy(strategy_id: str) -> Term:
    """The loyalty strategy with this id (ValueError listing the ids for an unknown one)."""
    return _by_id(STRATEGIES, strategy_id, "strategy")


def strategies_for(driver_id: str) -> list[str]:
    """Ids of the strategies that address a driver (kit assumption :data:`STRATEGY_DRIVERS`), in the source's order."""
    driver(driver_id)
    return [s.id for s in STRATEGIES if driver_id in STRATEGY_DRIVERS[s.id]]


def label(term: Term, chinese: bool = True) -> str:
    """``"Shared philosophy 理念"`` (or the English alone)."""
    return f"{term.en} {term.zh}" if chinese else term.en


def terms() -> dict[str, str]:
    """English name -> Chinese term of every entry, for :func:`salescoach.style.add_terms`."""
    out = {KA_DEFINITION.en: KA_DEFINITION.zh}
    for group in (SERVICE_MEASURES, FACTORS, DRIVERS, STRATEGIES, FILE_LEVELS, CONTACT_WAYS, REVIEW_AIMS, REVIEW_TIPS,
                  *WIN_WIN.values()):
        out.update({t.en: t.zh for t in group})
    return out
