"""Quiz and drill widgets with YAML question banks, for lessons and graded exercises (shared base).

A module's questions live in ``course/modules/<slug>/quiz.yml``, a file a trainer edits without code;
the format, with an example of every kind, is in ``README.md`` beside this file.  In a lesson::

    from salescoach import quiz
    bank = quiz.load_bank("m2_service_levels")      # or "m2", or a path; checked on load
    quiz.show(bank["ladder-1"], lang="both")         # question, controls, Check, feedback with the whys

In an exercise (the autograder reads the answer cell's source, never the widget)::

    quiz.answer_box(bank["place-scenarios"], variable="q3")   # shows the line to paste: q3 = {...}

and in a hidden test cell, for partial credit::

    quiz.score(bank["place-scenarios"], q3).score * 4          # nbgrader takes a number as the score

Parts: :mod:`.model` (Item, Bank), :mod:`.loader` (YAML, errors with file, line and fix),
:mod:`.answers` (reading answers leniently, the answer as a line of Python), :mod:`.scoring`
(``score`` -> Verdict, partial credit rules), :mod:`.widgets` (``show``, ``answer_box``),
:mod:`.record` (JSONL recording, ``summarise`` for the trainer).
"""
from .answers import (
    answer_form,
    answer_line,
    form_problems,
    normalise,
    normalise_text,
    parse_number,
    python_literal,
    require_form,
)
from .drill import Drill, drill
from .loader import (
    Problem,
    QuizFormatError,
    bank_path,
    course_banks,
    load_bank,
    load_items,
    parse_items,
    validate_files,
)
from .model import KINDS, LANGS, Bank, Bucket, Entry, Item, Option, RubricPoint, Step, Text
from .record import Recorder, read_records, recorder, summarise
from .scoring import Mark, Verdict, keyword_in, score, with_key
from .widgets import AnswerBox, QuizWidget, answer_box, question_markdown, show
from .words import use_language

__all__ = [
    "KINDS", "LANGS", "Bank", "Bucket", "Entry", "Item", "Option", "RubricPoint", "Step", "Text",
    "Problem", "QuizFormatError", "bank_path", "course_banks", "load_bank", "load_items", "parse_items",
    "validate_files",
    "answer_form", "answer_line", "form_problems", "normalise", "normalise_text", "parse_number", "python_literal",
    "require_form", "use_language",
    "Mark", "Verdict", "keyword_in", "score", "with_key",
    "AnswerBox", "QuizWidget", "answer_box", "question_markdown", "show", "Drill", "drill",
    "Recorder", "read_records", "recorder", "summarise",
]
