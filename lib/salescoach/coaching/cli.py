"""``salescoach-log``: the coaching log from the command line (a thin layer over :mod:`.log`).

    salescoach-log info                          # where the log is, its schema version, entries per entity
    salescoach-log sessions [--rep "Li Na"]      # a rep's sessions, newest first
    salescoach-log actions [--rep "Li Na"] [--open]
    salescoach-log done 12                       # mark action item 12 done
    salescoach-log export exports/               # one CSV per entity, each written atomically

``--log PATH_OR_URL`` (before the command) picks the log; otherwise ``$SALESCOACH_COACHING_LOG`` or
``course/coaching_log.sqlite`` in the kit.  Errors are one line saying what to do, exit code 1.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from .log import CoachingLog, CoachingLogError

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
    p = argparse.ArgumentParser(prog="salescoach-log", description="The coaching log: list, mark done, export.")
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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with CoachingLog(args.log, create=args.command != "info" or args.log is None) as book:
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
            elif args.command == "export":
                for name, path in book.export_csv(args.folder).items():
                    print(f"{name:<10} -> {path}")
    except (CoachingLogError, ValueError) as exc:
        print(f"salescoach-log: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
