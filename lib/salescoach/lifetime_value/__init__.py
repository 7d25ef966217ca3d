"""M3b Customer lifetime value 客户终身价值: value analysis, who is still buying, and what a customer is worth ahead.

``analysis`` (the value metrics of the syllabus's customer value analysis
分析核心客户价值 on the territory: annual sales and the 1,000-yuan record
threshold, total revenue, contact cost, net customer profit, relationship
duration, expected profit; CLV against revenue rankings; the dormant-customer
call list), ``rfm`` (a transaction log checked and summarised per customer:
frequency, recency, T, average spend, calibration and holdout periods),
``buying`` (the BG/NBD purchase model of Fader, Hardie & Lee fitted with
scipy, and what it predicts: expected purchases, P(alive), the holdout
check), ``spending`` (the Gamma-Gamma spend model and the discounted CLV
that combines the two models), ``plots``, ``widgets`` and ``checks`` (the
exercise's self-checks).  Notebooks import::

    from salescoach.lifetime_value import analysis, rfm, buying, spending, plots, widgets
"""
