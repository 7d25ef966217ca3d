"""``salescoach-log``: the coaching log from the command line (a thin layer over :mod:`.log`).

    salescoach-log info                          # where the log is, its schema version, entries per entity
    salescoach-log sessions [--rep "Li Na"]      # a rep's sessions, newest first
    salescoach-log actions [--rep "Li Na"] [--open]
    salescoach-log done 12                       # mark action item 12 done
    salescoach-log add session "Li Na" "closing" --kind "observed visit" --date 2025-03-04
    salescoach-log add goal "Close Huaxin by May" --session 3 --plan "two rehearsals"
    salescoach-log add action "Rehearse the close" --session 3 --due 2025-03-11
    salescoach-log add followup --session 3 --due 2025-03-18
    salescoach-log add skill "Li Na" "closing" 3 1   # importance 3, ability 1 (the skills grid)
    salescoach-log update goals 4 status=met     # change fields of one entry
    salescoach-log export exports/               # one CSV per entity, each written atomically

``--log PATH_OR_URL`` (before the command) picks the log; otherwise ``$SALESCOACH_COACHING_LOG`` or
``course/coaching_log.sqlite`` in the kit.  No command creates a log unless ``add ... --create`` says so, so a
mistyped path is reported, not replaced by an empty log.  Errors are one line saying what to do, exit code 1.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from .log import CoachingLog
from .log_errors import CoachingLogError
from .log_fields import SESSION_KINDS

DISPLAY = {
    "sessions": ["id", "held_on", "rep", "skill", "kind", "coach", "visit_purpose"],
    "actions": ["id", "rep", "text", "owner", "due_on", "done", "done_on"],
}


def _show(frame: pd.DataFrame, columns: list[str]) -> str:
    if frame.empty:
        return "(none)"
    with pd.option_context("display.max_colwidth", 40, "display.width", 160):
        return frame[columns].to_string(index=False)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="salescoach-log", description="The coaching log: add, list, update, mark done, export.")
    p.add_argument("--log", default=None, help="file path or database URL (default: $SALESCOACH_COACHING_LOG or "
                                               "course/coaching_log.sqlite in the kit)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="where the log is and how many entries it holds")
    s = sub.add_parser("sessions", help="list sessions, newest first")
    s.add_argument("--rep")
    a = sub.add_parser("actions", help="list action items")
    a.add_argument("--rep")
    a.add_argument("--open", action="store_true", help="only those not done yet")
    d = sub.add_parser("done", help="mark an action item done")
    d.add_argument("action_id", type=int)
    e = sub.add_parser("export", help="write one CSV per entity into a folder")
    e.add_argument("folder")
    add = sub.add_parser("add", help="record a session, goal, action item or follow-up").add_subparsers(
        dest="entity", required=True)
    for name, helptext in (("session", "a coaching session with a rep on a skill"),
                           ("goal", "a goal (step 4: objective, plan, reasons)"),
                           ("action", "an action item"), ("followup", "a follow-up of a session or rep"),
                           ("skill", "one line of a rep's skills self-assessment (importance, ability 3/2/1)")):
        one = add.add_parser(name, help=helptext)
        one.add_argument("--create", action="store_true", help="create the log if it does not exist yet")
        if name == "session":
            one.add_argument("rep")
            one.add_argument("skill")
            one.add_argument("--coach", default="")
            one.add_argument("--kind", default="five-step", help=f"one of: {', '.join(SESSION_KINDS)}")
            one.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
            one.add_argument("--purpose", default="", help="the visit's purpose")
            one.add_argument("--notes", default="")
            continue
        if name == "skill":
            one.add_argument("rep")
            one.add_argument("skill")
            one.add_argument("importance", type=int, help="3 high, 2 medium, 1 low")
            one.add_argument("ability", type=int, help="3 strong, 2 fair, 1 weak")
            one.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
            one.add_argument("--notes", default="")
            continue
        if name in ("goal", "action"):
            one.add_argument("text", help="the objective" if name == "goal" else "what is to be done")
        one.add_argument("--session", type=int, default=None, help="the session it belongs to (its id)")
        one.add_argument("--rep", default=None, help="the rep, when it belongs to no session")
        one.add_argument("--due", default=None, help="YYYY-MM-DD")
        if name == "goal":
            one.add_argument("--plan", default="")
            one.add_argument("--reasons", default="")
        if name == "action":
            one.add_argument("--owner", default="rep", help="rep or coach")
        if name == "followup":
            one.add_argument("--kind", default="review")
            one.add_argument("--notes", default="")
    u = sub.add_parser("update", help="change fields of one entry: update goals 4 status=met")
    u.add_argument("entity", help="sessions, goals, actions or followups")
    u.add_argument("entry_id", type=int)
    u.add_argument("changes", nargs="+", metavar="FIELD=VALUE")
    return p


def _changes(pairs: list[str]) -> dict[str, str]:
    """``["status=met", "notes=call back"]`` -> a dict; a pair without ``=`` is a ValueError naming it."""
    changes = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field:
            raise ValueError(f"{pair!r} is not FIELD=VALUE; write it as e.g. status=met")
        changes[field.strip()] = value
    return changes


def _add(book: CoachingLog, args: argparse.Namespace) -> int:
    if args.entity == "session":
        return book.add_session(args.rep, args.skill, coach=args.coach, kind=args.kind, held_on=args.date,
                                visit_purpose=args.purpose, notes=args.notes)
    if args.entity == "skill":
        return book.rate_skill(args.rep, args.skill, args.importance, args.ability, assessed_on=args.date,
                               notes=args.notes)
    if args.session is None and args.rep is None:
        raise ValueError(f"say whose {args.entity} it is: --session ID (see `salescoach-log sessions`) or --rep NAME")
    owner = {"session_id": args.session, "rep": args.rep}
    if args.entity == "goal":
        return book.add_goal(args.text, plan=args.plan, reasons=args.reasons, due_on=args.due, **owner)
    if args.entity == "action":
        return book.add_action(args.text, owner=args.owner, due_on=args.due, **owner)
    if args.due is None:
        raise ValueError("a follow-up needs its date: --due YYYY-MM-DD")
    return book.add_followup(args.session, args.due, rep=args.rep, kind=args.kind, notes=args.notes)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        # every command reads or changes entries that must already be there: a mistyped path is an error,
        # never a new empty log that looks as if the sessions were lost
        with CoachingLog(args.log, create=args.command == "add" and args.create) as book:
            if args.command == "info":
                print(f"coaching log: {book.where} (schema version {book.schema_version})")
                for name, n in book.counts().items():
                    print(f"  {name:<10} {n}")
            elif args.command == "sessions":
                print(_show(book.sessions(args.rep), DISPLAY["sessions"]))
            elif args.command == "actions":
                print(_show(book.actions(args.rep, open_only=args.open), DISPLAY["actions"]))
            elif args.command == "done":
                book.mark_action_done(args.action_id)
                print(f"action {args.action_id} marked done")
            elif args.command == "add":
                print(f"{args.entity} {_add(book, args)} added")
            elif args.command == "update":
                book.update(args.entity, args.entry_id, **_changes(args.changes))
                print(f"{args.entity} {args.entry_id} updated")
            elif args.command == "export":
                for name, path in book.export_csv(args.folder).items():
                    print(f"{name:<10} -> {path}")
    except (CoachingLogError, ValueError) as exc:
        print(f"salescoach-log: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
