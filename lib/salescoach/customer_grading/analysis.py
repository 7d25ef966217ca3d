"""The calculations of module M3, customer grading and customer value 客户分级与客户价值: one namespace.

Notebooks, checks and other subjects import this module (``from salescoach.customer_grading import
analysis``); the functions live in files named for their job so that none grows past a readable size:

* :mod:`.ranking` grades customers **by amounts**: Pareto curves and the 80/20 measures, ABC analysis
  (Dickie, 1951), the 1-5-20-80 customer pyramid, quota grades (ABCD, key/important/general/
  maintenance), class summaries, the work platform and where a rep's effort goes;
* :mod:`.value` says what a customer is **worth**: margins and fake big customers, the composite value
  score, IBM's value types, the six value-analysis metrics of S1 (annual sales and the 1,000-yuan record
  threshold, total revenue, contact cost, net customer profit, relationship duration, expected profit),
  the profitability pyramid (platinum, gold, iron, lead), core customers and their data card;
* :mod:`.visits` reviews a month's **visit plan** against a manager's rules, with the tools above.

Conventions of all: pure functions over pandas objects; inputs are never modified; customers are ranked
highest first with ties in input order; NaN is never guessed (a ``ValueError`` names the rows and the
fix); every threshold the sources do not give is a parameter whose docstring says "kit assumption".
"""
from __future__ import annotations

from .. import style
from .ranking import (
    ABC_LABELS,
    ABCD_LABELS,
    PYRAMID_CHINESE,
    PYRAMID_LABELS,
    VALUE_GRADE_CHINESE,
    VALUE_GRADE_LABELS,
    abc_classes,
    abc_summary,
    abcd_quota,
    customers_for_share,
    effort_vs_value,
    grade_summary,
    pareto_balance_point,
    pareto_curve,
    pyramid_levels,
    quota_classes,
    random_work_platforms,
    share_of_top,
    value_grades,
    work_platform,
)
from .value import (
    DATA_CARD_PRACTICES,
    DATA_CARD_SECTIONS,
    PROFIT_TIER_CHINESE,
    PROFIT_TIER_LABELS,
    PROFIT_TIER_STRATEGIES,
    RECORD_THRESHOLD,
    VALUE_TYPE_CHINESE,
    VALUE_TYPE_LABELS,
    VALUE_TYPE_STRATEGIES,
    core_customers,
    data_card,
    expected_profit,
    fake_big_customers,
    gross_margin,
    loyal,
    net_customer_profit,
    profitability_tiers,
    relationship_years,
    retention_multiplier,
    value_analysis,
    value_score,
    value_types,
)
from .visits import visit_plan_review

__all__ = [
    "ABC_LABELS", "ABCD_LABELS", "PYRAMID_CHINESE", "PYRAMID_LABELS", "VALUE_GRADE_CHINESE", "VALUE_GRADE_LABELS",
    "abc_classes", "abc_summary", "abcd_quota", "customers_for_share", "effort_vs_value", "grade_summary",
    "pareto_balance_point", "pareto_curve", "pyramid_levels", "quota_classes", "random_work_platforms",
    "share_of_top", "value_grades", "work_platform",
    "DATA_CARD_PRACTICES", "DATA_CARD_SECTIONS", "PROFIT_TIER_CHINESE", "PROFIT_TIER_LABELS",
    "PROFIT_TIER_STRATEGIES", "RECORD_THRESHOLD", "VALUE_TYPE_CHINESE", "VALUE_TYPE_LABELS",
    "VALUE_TYPE_STRATEGIES", "core_customers", "data_card", "expected_profit", "fake_big_customers",
    "gross_margin", "loyal", "net_customer_profit", "profitability_tiers", "relationship_years",
    "retention_multiplier", "value_analysis", "value_score", "value_types", "visit_plan_review",
]

# The words and Chinese terms the kit's charts and tables show for this module's labels and columns
# (style rule: words, not column names); registered once, when the module's tools are first imported.
style.add_terms({
    **PYRAMID_CHINESE,
    **VALUE_GRADE_CHINESE,
    **VALUE_TYPE_CHINESE,
    **PROFIT_TIER_CHINESE,
})
#: the words charts and tables show for this module's columns (style rule: words, not column names)
style.add_words({
    "revenue_12m": "revenue in the last 12 months",
    "gross_profit": "gross profit",
    "annual_potential": "annual potential",
    "orders_12m": "orders in the last 12 months",
    "credit_points": "credit rating (points)",
    "tenure_years": "years as a customer",
    "revenue_to_date": "revenue to date",
    "contact_cost_12m": "contact cost in the last 12 months",
    "would_recommend": "would recommend us (0-10)",
    "satisfaction": "satisfaction (1-5)",
    "dollar_value": "spend (US dollars)",
    "cds": "CDs bought",
    "customers": "customers",
    "customer_share": "share of customers",
    "value_share": "share of value",
    "effort_share": "share of effort",
    "share_of_visits": "share of visits",
    "share_of_revenue": "share of revenue",
    "annual_sales": "annual sales",
    "worth_a_record": "worth a record (over 1,000 yuan a year)",
    "total_revenue": "total revenue to date",
    "contact_cost": "contact cost",
    "net_profit": "net customer profit",
    "relationship_years": "years as a customer",
    "expected_profit": "expected profit",
})
