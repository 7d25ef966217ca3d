"""Grading at scale: collect, autograde (fast and sandboxed), feedback, report, export.

One module per pipeline stage: :mod:`.collect`, :mod:`.pipeline` (the autograde run, with
:mod:`.selection`, :mod:`.nbgrader_steps`, :mod:`.outcomes`, :mod:`.workers`, :mod:`.runner`,
:mod:`.sandbox`, :mod:`.guard` and :mod:`.plan`), :mod:`.feedback`, :mod:`.report`, :mod:`.gradebook`
and :mod:`.export`.
"""
