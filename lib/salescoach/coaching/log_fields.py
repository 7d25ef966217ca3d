"""Checking what goes into the coaching log: names, texts, dates, ratings, choices and ids.

Each function takes a value and the field's name and returns the value as stored, or raises ``ValueError``
naming the field and the fix.  :data:`EDITABLE` lists, per entity, the fields
:meth:`~salescoach.coaching.log.CoachingLog.update` may change and the check each one gets.
"""
from __future__ import annotations

import numbers
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from .log_schema import TABLES

SESSION_KINDS = ("five-step", "observed visit", "debrief", "sales meeting", "other")
GOAL_STATUSES = ("open", "met", "missed", "dropped")
ACTION_OWNERS = ("rep", "coach")
FOLLOWUP_KINDS = ("observe a visit", "review", "five steps again", "other")
MAX_NAME = 200
MAX_TEXT = 20_000


def table_name(entity: str) -> str:
    if entity not in TABLES:
        raise ValueError(f"unknown log entity {entity!r}; use one of {list(TABLES)}")
    return entity


def table(entity: str) -> sa.Table:
    return TABLES[table_name(entity)]


def entry_id(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{field} must be a positive whole number (an id the log gave you), got {value!r}")
    return int(value)


def _plain(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {type(value).__name__} {value!r}")
    if "\x00" in value:
        raise ValueError(f"{field} contains a NUL character (\\x00); remove it")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{field} contains characters that are not valid Unicode text; retype it") from None
    return value


def name(value: Any, field: str, required: bool = True) -> str:
    text = " ".join(_plain(value, field).split())
    if required and not text:
        raise ValueError(f"{field} is empty; give a name, e.g. {field}='Li Na'" if field in ("rep", "coach")
                         else f"{field} is empty; name it in a few words")
    if len(text) > MAX_NAME:
        raise ValueError(f"{field} is {len(text)} characters long; keep it under {MAX_NAME} (put details in notes)")
    return text


def text(value: Any, field: str, required: bool = False) -> str:
    text = _plain(value, field).strip()
    if required and not text:
        raise ValueError(f"{field} is empty; write it out in a sentence")
    if len(text) > MAX_TEXT:
        raise ValueError(f"{field} is {len(text)} characters long; keep it under {MAX_TEXT}")
    return text


def choice(value: Any, field: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise ValueError(f"{field} must be one of {list(allowed)}, got {value!r}")
    return value.strip().lower()


def rating(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if isinstance(value, bool) or number is None or number != value or number not in (1, 2, 3):
        meaning = ("3 = very important to my job, 2 = important, 1 = less important" if field == "importance"
                   else "3 = competent, 2 = average, 1 = needs improvement")
        raise ValueError(f"{field} must be 3, 2 or 1 ({meaning}), got {value!r}")
    return number


def day(value: Any, field: str, *, default_today: bool = False, required: bool = False) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default_today:
            return date.today()
        if required:
            raise ValueError(f"{field} is missing; give a date such as '2025-03-04'")
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return day(None, field, default_today=default_today, required=required)
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{field} must be a date written like 2025-03-04 (year-month-day), got {value!r}")


def boolean(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{field} must be True or False, got {value!r}")


#: fields each entity lets :meth:`CoachingLog.update` change, and how each is checked
EDITABLE: dict[str, dict[str, Any]] = {
    "sessions": {"coach": lambda v, f: name(v, f, required=False), "skill": name,
                 "kind": lambda v, f: choice(v, f, SESSION_KINDS), "held_on": lambda v, f: day(v, f, required=True),
                 "visit_purpose": text, "notes": text},
    "skills": {"skill": name, "importance": rating, "ability": rating,
               "assessed_on": lambda v, f: day(v, f, required=True), "notes": text},
    "goals": {"objective": lambda v, f: text(v, f, required=True), "plan": text, "reasons": text,
              "due_on": day, "status": lambda v, f: choice(v, f, GOAL_STATUSES)},
    "actions": {"text": lambda v, f: text(v, f, required=True), "owner": lambda v, f: choice(v, f, ACTION_OWNERS),
                "due_on": day, "done": boolean, "done_on": day},
    "followups": {"due_on": lambda v, f: day(v, f, required=True), "kind": lambda v, f: choice(v, f, FOLLOWUP_KINDS),
                  "notes": text, "done": boolean, "outcome": text},
}


def clean_field(entity: str, name: str, value: Any) -> Any:
    checks = EDITABLE[entity]
    if name not in checks:
        raise ValueError(f"{entity} has no editable field {name!r}; editable: {sorted(checks)}")
    return checks[name](value, name)
