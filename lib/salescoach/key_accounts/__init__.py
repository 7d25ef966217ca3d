"""M9 Key-account loyalty 大客户关系与忠诚: what makes a KA, keeping the relationship, and the loyalty strategies.

``framework`` (the syllabus's lists as data, in English and Chinese: the nine
service measures, the five relationship factors, the seven loyalty drivers,
the ten loyalty strategies with the drivers each one addresses, the KA file
levels, the ways to keep in touch, the win-win strategy), ``analysis`` (the
transparent loyalty-risk score of a KA portfolio with each signal's
contribution, driver strengths, the strategy recommender, retention plans and
the value a budget keeps), ``review`` (the annual review meeting planner and its
printable HTML), ``plots`` (waterfall per account, driver strengths, the
portfolio's risk, the budget), ``widgets`` and ``checks`` (the exercise's
self-checks).  Notebooks import::

    from salescoach.key_accounts import analysis, framework, plots, review, widgets
"""
