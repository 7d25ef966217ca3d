"""M8 Sales team performance 销售团队业绩管理 (for managers).

``analysis`` (the standard KPIs per rep, the balanced scorecard, quartile ranking with strengths, weaknesses
and a development suggestion), ``retention`` (churn and lifetime, the six-times rule, the +5-points what-if
with its assumptions), ``management`` (the manager's time and ten duties, motivation, the sales-contest
checker), ``plots`` (their charts), ``widgets`` (the lessons' explorers), ``dashboard`` (the parts of the
team dashboard that ``salescoach dashboard`` serves) and ``checks`` (the exercise's self-checks).
Notebooks import::

    from salescoach.team_performance import analysis, management, plots, retention, widgets
"""
