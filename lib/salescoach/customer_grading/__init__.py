"""M3 Customer grading and customer value 客户分级与客户价值.

``analysis`` (Pareto curves, ABC classes, the customer pyramid, quotas, value
scores, value types, fake big customers), ``plots`` (their charts),
``widgets`` (the explorers the lessons use) and ``checks`` (the exercise's
self-checks).  Notebooks import::

    from salescoach.customer_grading import analysis, plots, widgets
"""
