"""M7 Five-step coaching 指导的五个步骤 (for managers).

* ``analysis``: the five steps, observing a visit, the after-visit model, big vs small deals and their
  coaching time, the skills grid -> priorities, the knowledge list, the buyer survey, the sales-meeting planner;
* ``debrief``: the three-stage debrief, its question bank and the rep-focused question checker (EN/ZH);
* ``planner``: the five-step session plan, printable as HTML;
* ``plots``, ``widgets``: charts and the lesson tools (debrief practice, session planner, grid explorer);
* ``log``: the coaching log in SQLite or any SQLAlchemy database (recording entries), built on ``log_store``
  (where it lives, opening, locking), ``log_queries`` (listings, CSV export), ``log_errors``, ``log_fields``
  (input checks) and ``log_schema`` (tables, migrations); ``cli``: the ``salescoach-log`` command;
  ``checks``: the exercise's self-checks.

Notebooks import::

    from salescoach.coaching import analysis, debrief, planner, plots, widgets
    from salescoach.coaching.log import CoachingLog
"""
