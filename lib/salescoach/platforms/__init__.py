"""M1 Sales platforms 销售平台: market, work and purchase platforms, and the KA customers grown from them.

``analysis`` (the nested platforms as a funnel from the territory data, Xiao Zhang's month-by-month
progress, choosing the work platform 工作平台 under a capacity limit, habit against analysis simulated
over many seeded draws, the Eisenhower principle 艾森豪威尔原则 for a rep's week), ``capacity`` (the
purchase platform's ceiling 购买平台的上限 in a capacity model with visible kit assumptions, and why
developing new customers never stops: churn, cold development and the referral method 缘故法),
``plots``, ``widgets`` and ``checks`` (the exercise's self-checks).  Notebooks import::

    from salescoach.platforms import analysis, capacity, plots, widgets
"""
