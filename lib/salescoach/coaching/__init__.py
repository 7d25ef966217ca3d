"""M7 Five-step coaching 指导的五个步骤 (for managers).

``log`` (the coaching log: sessions, skills, goals, action items, follow-ups in SQLite or any database
SQLAlchemy reaches; ``log_schema`` holds its tables and migrations).  Notebooks and the team dashboard
import::

    from salescoach.coaching.log import CoachingLog
"""
