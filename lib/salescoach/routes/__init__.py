"""M6 Route management 路线管理.

``analysis`` (visit frequencies, the weekly visit table, workload versus capacity, travel times from
coordinates, checking a plan, the selling time a change frees), ``routing`` (the week's plan with
OR-Tools: visits to weekdays with CP-SAT, each day's order with the routing solver; the naive plan),
``diary`` (the rookie's visit diary: where the effort went versus where the sales are), ``plots``,
``widgets`` and ``checks`` (the exercise's self-checks).  Notebooks import::

    from salescoach.routes import analysis, routing, diary, plots, widgets
"""
