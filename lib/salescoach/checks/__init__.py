"""Public self-checks of the graded exercises, one module per nbgrader assignment.

A module here is named after its assignment id (``m3_customer_grading.py``
for the assignment ``m3_customer_grading``) and registers one check per
question with :func:`salescoach.selfcheck.register`::

    from ..selfcheck import Answers, Fail, register

    EXERCISE = "m3_customer_grading"

    @register(EXERCISE, "q1", "top20_share", needs=("top20_share",))
    def q1(ans: Answers) -> None:
        if not 0 <= ans["top20_share"] <= 1:
            raise Fail(expected="a fraction between 0 and 1", given=..., hint=...)

Modules are imported on demand by ``check``/``use_exercise``; adding a new
exercise means adding a module, nothing else.  Only *public* checks belong
here: students can read this package, so hidden tests stay in the trainer's
source notebook under ``solutions/``.
"""
