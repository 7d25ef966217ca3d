"""Instant self-checks for students: ``check("q3")`` in an exercise or a lesson.

The engine (:mod:`.engine`) keeps one registry of public checks per
exercise; each subject package's ``checks.py`` fills it.  :mod:`.shapes`
holds the answer-shape checks every subject uses, :mod:`.describe` the
plain-words descriptions and :mod:`.references` the cache of reference
answers no student cell can change.
"""
from .describe import describe, is_mask
from .engine import (
    Answers,
    CheckFailed,
    CheckResult,
    Fail,
    Question,
    UnknownExerciseError,
    UnknownQuestionError,
    available_exercises,
    check,
    checks_module,
    current_exercise,
    grading_run,
    load_checks,
    precompute,
    protected_state,
    questions,
    register,
    use_exercise,
)

__all__ = [
    "Answers", "CheckFailed", "CheckResult", "Fail", "Question", "UnknownExerciseError", "UnknownQuestionError",
    "available_exercises", "check", "checks_module", "current_exercise", "describe", "grading_run", "is_mask", "load_checks",
    "precompute", "protected_state", "questions", "register", "use_exercise",
]
