"""M6 Route management 路线管理.

``analysis`` (visit frequencies, the weekly visit table, workload versus capacity, checking a plan,
the weekly visit schedule, the selling time a change frees), ``travel`` (distances and travel times
from coordinates, the travel-time matrix with the rep's base), ``plans`` (the week's plan and the naive
plan it is compared with), ``routing`` (the OR-Tools solvers behind a plan: CP-SAT for visits to days,
the routing solver for each day's order), ``diary`` (the rookie's visit diary: where the effort went
versus where the sales are), ``plots``, ``widgets`` and ``checks`` (the exercise's self-checks).
Notebooks import::

    from salescoach.routes import analysis, travel, plans, diary, plots, widgets
"""
