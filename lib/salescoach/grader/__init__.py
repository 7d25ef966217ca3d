"""Grading at scale: collect, autograde (fast and sandboxed), feedback, report, export.

One module per pipeline stage: :mod:`.collect`, :mod:`.pipeline` (with
:mod:`.workers`, :mod:`.harness`, :mod:`.sandbox` and :mod:`.guard`),
:mod:`.feedback`, :mod:`.report`, :mod:`.gradebook` and :mod:`.export`.
"""
