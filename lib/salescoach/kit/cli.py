"""The ``salescoach`` command: a thin layer over the library (each command calls one function)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from .. import __version__
from ..paths import BUILD_DIR, SOLUTIONS_DIR
from .dashboard import dashboard_command


def _root(args: argparse.Namespace) -> Path:
    from ..paths import MANIFEST, KitNotFoundError, project_root

    if args.root is None:
        return project_root()
    root = Path(args.root).expanduser().resolve()
    if not (root / MANIFEST).is_file():
        raise KitNotFoundError(f"--root {args.root}: no {MANIFEST} there; give the folder of the kit's clone")
    return root


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    root = _root(args)
    results = build(args.module, root=root, progress=not args.quiet, jobs=args.jobs)
    failed = [r for r in results if not r.ok]
    for r in results:
        status = "ok  " if r.ok else "FAIL"
        print(f"{status} {r.notebook.relative_to(root)} ({r.seconds:.1f} s)" + (f"\n     {r.error}" if r.error else ""))
    print(f"\n{len(results) - len(failed)} of {len(results)} notebooks ran top to bottom; executed copies in "
          f"{root / 'build' / 'executed'}")
    return 1 if failed else 0


def cmd_release(args: argparse.Namespace) -> int:
    from .release import release

    root = _root(args)
    for folder in release(args.module, root=root):
        print(f"released {folder.relative_to(root)}/ (nbgrader generate_assignment from solutions/)")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import lint

    problems = lint(_root(args), release=not args.no_release,
                     progress=None if args.quiet else lambda m: print(f"checking {m} ...", file=sys.stderr))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) found" if problems else "all checks passed")
    return 1 if problems else 0


def cmd_data(args: argparse.Namespace) -> int:
    from ..datasets import write_datasets

    root = _root(args)
    for path in write_datasets(root):
        with open(path, encoding="utf-8") as fh:
            header, rows = fh.readline().rstrip("\n").split(","), sum(1 for _ in fh)
        print(f"wrote {path.relative_to(root)} ({rows} rows; columns: {', '.join(header)})")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from .home import write_home

    root = _root(args)
    print(f"wrote {write_home(root).relative_to(root)}")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from .manifest import load_course
    from .notebooks_clean import clean

    course = load_course(_root(args))
    for path in clean(course):
        print(f"cleaned {path.relative_to(course.root)}")
    return 0


def cmd_edition(args: argparse.Namespace) -> int:
    from .edition import build_edition

    root = _root(args)
    out = build_edition(root, Path(args.out) if args.out else root / BUILD_DIR)
    print(f"student edition: {out}/ (and {out}.zip): no solutions, hidden tests or trainer notes; students run "
          "`python3 start.py` in it")
    return 0


def cmd_classroom(args: argparse.Namespace) -> int:
    """Prepare the classroom folder and start JupyterHub on it (stops with Ctrl+C)."""
    from .classroom import Classroom, hub_argv, prepare

    root = _root(args)
    folder = Path(args.dir) if args.dir else root / BUILD_DIR / "classroom"
    students = [s.strip() for s in args.students.split(",") if s.strip()]
    settings_file = folder / "classroom.json"
    known = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.is_file() else {}
    room = Classroom(hub_dir=folder, students=students, trainer=args.trainer, ip=args.ip, port=args.port,
                     **{k: known[k] for k in ("student_password", "trainer_password") if k in known})
    settings = prepare(root, room)
    print(f"classroom: {folder}\n  open http://{args.ip}:{args.port}/ and log in\n"
          f"  trainer {room.trainer}: password {room.trainer_password}\n"
          f"  students {', '.join(students)}: password {room.student_password}\n"
          f"  (kept in {settings}, readable by you only)", flush=True)
    argv, env = hub_argv(root, settings)
    os.execve(argv[0], argv, env)
    return 0  # pragma: no cover


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    result = run_demo(_root(args), Path(args.out) if args.out else None, build_first=not args.no_build,
                      progress=not args.quiet)
    return 1 if result.build_failures or not result.scores else 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the course home (Formgrader, the exchange and the gradebook ready)."""
    from .lab import environment, lab_argv, prepare

    root = _root(args)
    argv = lab_argv(root, args.port, args.ip, not args.no_browser, args.extra)
    prepare(root)
    os.chdir(root)
    os.execve(argv[0], argv, environment())
    return 0  # pragma: no cover


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Serve the team dashboard with Voila on localhost (until Ctrl-C)."""
    extra = args.extra[1:] if args.extra[:1] == ["--"] else args.extra
    argv, env = dashboard_command(_root(args), port=args.port, ip=args.ip, team=args.team, log=args.log,
                                  browser=not args.no_browser, extra=extra)
    print(f"team dashboard on http://{args.ip}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    os.execve(argv[0], argv, env)
    return 0  # pragma: no cover


def cmd_quiz_summary(args: argparse.Namespace) -> int:
    """One row per quiz item from students' answer files (JSONL)."""
    import pandas as pd

    from ..quiz import summarise

    table = summarise(args.files)
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"wrote {args.csv}")
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 40):
        print(table.to_string(index=False) if len(table) else "no answers recorded in these files")
    return 0


def cmd_quiz_validate(args: argparse.Namespace) -> int:
    """Load question banks and report every problem with its line and fix."""
    from ..quiz import course_banks, validate_files

    files = args.files or course_banks(_root(args))
    problems = validate_files(files)
    for p in problems:
        print(p)
    if not files:
        print("no question banks yet (course/modules/*/quiz.yml)")
    else:
        print(f"{len(problems)} problem(s) in {len(files)} file(s)" if problems else f"{len(files)} file(s) valid")
    return 1 if problems else 0


def _course_dir(args: argparse.Namespace) -> Path:
    """The nbgrader course folder being graded: --course, else the kit itself (where formgrader looks)."""
    return Path(args.course).resolve() if getattr(args, "course", None) else _root(args)


def _assignment_notebook(root: Path, assignment: str) -> str:
    from .manifest import load_course

    for ex in load_course(root).exercises():
        if ex.assignment == assignment:
            return ex.notebook
    raise ValueError(f"no exercise with assignment {assignment!r} in course/course.yml")


def _prepare_course(root: Path, course: Path, assignment: str, url: str) -> None:
    """A separate grading folder gets the assignment's source; the gradebook gets the assignment if it lacks it."""
    from ..grader.gradebook import ensure_gradebook, has_assignment

    _assignment_notebook(root, assignment)  # a clear error for an assignment the course does not have
    src = root / SOLUTIONS_DIR / assignment
    dst = course / SOLUTIONS_DIR / assignment
    if course != root:
        course.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        if not (course / "nbgrader_config.py").exists():
            shutil.copy2(root / "nbgrader_config.py", course / "nbgrader_config.py")
    if not has_assignment(url, assignment):
        print(f"recording {assignment} in the gradebook (nbgrader generate_assignment) ...", file=sys.stderr)
        ensure_gradebook(url, course, assignment)


def _swapped(assignment: str, source: str) -> bool:
    """Whether ``grade collect`` got SOURCE ASSIGNMENT (the order it took before) instead of ASSIGNMENT SOURCE."""
    return Path(assignment).exists() and not Path(source).exists() and "/" not in source


def cmd_grade_collect(args: argparse.Namespace) -> int:
    from ..grader.collect import collect
    from ..grader.gradebook import normalize_url
    from ..grader.report import read_roster

    if _swapped(args.assignment, args.source):
        args.assignment, args.source = args.source, args.assignment
        print(f"note: reading this as `grade collect {args.assignment} {args.source}` (the assignment comes first)",
              file=sys.stderr)
    root = _root(args)
    course = _course_dir(args)
    roster = read_roster(Path(args.roster)) if args.roster else None
    _prepare_course(root, course, args.assignment, normalize_url(args.db, course))
    result = collect(Path(args.source), course, args.assignment, _assignment_notebook(root, args.assignment),
                     roster=roster, pattern=args.pattern)
    print(result.summary())
    return 1 if result.problems and args.strict else 0


def cmd_grade_autograde(args: argparse.Namespace) -> int:
    from ..grader.gradebook import check_connection, normalize_url, redact
    from ..grader.pipeline import autograde
    from ..grader.sandbox import Limits

    root = _root(args)
    course = _course_dir(args)
    url = normalize_url(args.db, course)
    check_connection(url)
    _prepare_course(root, course, args.assignment, url)
    limits = Limits(cell_timeout=args.cell_timeout, notebook_cpu=args.notebook_cpu, memory_mb=args.memory_mb,
                    max_processes=args.max_processes)
    summary = autograde(course, args.assignment, students=args.student or None, db_url=url, jobs=args.jobs,
                        limits=limits, sandbox=not args.no_sandbox, force=args.force, progress=not args.quiet,
                        kit_root=root)
    print(summary.text())
    print(f"gradebook: {redact(url)}")
    return 0


def cmd_grade_feedback(args: argparse.Namespace) -> int:
    from ..grader.feedback import write_feedback
    from ..grader.gradebook import normalize_url

    course = _course_dir(args)
    paths = write_feedback(course, args.assignment, args.student or None, normalize_url(args.db, course))
    print(f"{len(paths)} feedback page(s) written under {course / 'feedback'}")
    return 0


def cmd_grade_report(args: argparse.Namespace) -> int:
    from ..grader.gradebook import normalize_url
    from ..grader.report import read_roster, write_assignment_report, write_course_report

    course = _course_dir(args)
    url = normalize_url(args.db, course)
    roster = read_roster(Path(args.roster)) if args.roster else None
    if args.assignment:
        path = write_assignment_report(course, args.assignment, db_url=url, roster=roster)
    else:
        path = write_course_report(course, db_url=url, roster=roster)
    print(f"report: {path}")
    return 0


def cmd_grade_export(args: argparse.Namespace) -> int:
    from ..grader.export import export_grades
    from ..grader.gradebook import normalize_url

    course = _course_dir(args)
    out = export_grades(course, Path(args.out), normalize_url(args.db, course), args.assignment)
    print(f"grades: {out}")
    return 0


def cmd_grade_run(args: argparse.Namespace) -> int:
    """collect (if a source is given), autograde, feedback and report in one go."""
    if args.source:
        rc = cmd_grade_collect(args)
        if rc:
            return rc
    cmd_grade_autograde(args)
    cmd_grade_feedback(args)
    cmd_grade_report(args)
    return 0


def _course_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", help="the nbgrader course folder that holds submitted/, autograded/ and the gradebook "
                   "(default: the kit's own folder, where Formgrader looks); made and given the assignment's source "
                   "when it does not exist")
    p.add_argument("--db", help="gradebook URL: sqlite:///path.db (default <course>/gradebook.db) or "
                   "postgresql://user:password@host/dbname")


def _collect_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--roster", help="CSV with a 'student' column: students on it with nothing submitted are listed")
    p.add_argument("--pattern", help="regular expression with a named group 'student' for file names other than "
                   "<student>.ipynb, e.g. '(?P<student>[^_]+)_.*'")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any problem was reported")


def _autograde_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--student", action="append", help="grade (and give feedback to) only this student; repeat for "
                   "more")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                   help="grading workers running at once (default: the number of CPUs)")
    p.add_argument("--force", action="store_true", help="grade again submissions that have not changed")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run student code without bubblewrap (not recommended: it can then read your files)")
    p.add_argument("--cell-timeout", type=float, default=30.0,
                   help="seconds a cell may run before it is interrupted (default 30); the notebook goes on")
    p.add_argument("--notebook-cpu", type=int, default=120, help="CPU seconds for a whole notebook (default 120)")
    p.add_argument("--memory-mb", type=int, default=1024, help="memory a submission may use, in MB (default 1024)")
    p.add_argument("--max-processes", type=int, default=32,
                   help="processes and threads a submission may start (default 32)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _grade_parser(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("grade", help="grade a cohort: collect, autograde, feedback, report, export")
    gs = g.add_subparsers(dest="grade_command", required=True, metavar="STEP")
    assignment_help = "nbgrader assignment id, e.g. m3_customer_grading"
    source_help = "where the submissions are: a course folder with submitted/, a folder of <student>.ipynb, or a zip"

    c = gs.add_parser("collect", help="copy submissions (nbgrader layout, a flat folder or a zip of "
                      "<student>.ipynb) into <course>/submitted/")
    c.add_argument("assignment", help=assignment_help)
    c.add_argument("source", help=source_help)
    _course_options(c)
    _collect_options(c)
    c.set_defaults(func=cmd_grade_collect)

    a = gs.add_parser("autograde", help="grade every new or changed submission, sandboxed, several at once")
    a.add_argument("assignment", help=assignment_help)
    _course_options(a)
    _autograde_options(a)
    a.set_defaults(func=cmd_grade_autograde)

    f = gs.add_parser("feedback", help="HTML feedback per student (scores, messages, hints; no hidden tests)")
    f.add_argument("assignment", help=assignment_help)
    _course_options(f)
    f.add_argument("--student", action="append", help="only this student (repeat for more)")
    f.set_defaults(func=cmd_grade_feedback)

    r = gs.add_parser("report", help="class report (HTML + CSV): one assignment, or the whole course")
    r.add_argument("assignment", nargs="?", help="one assignment (default: the whole course)")
    _course_options(r)
    r.add_argument("--roster", help="CSV with a 'student' column: list who did not submit")
    r.set_defaults(func=cmd_grade_report)

    e = gs.add_parser("export", help="grades as CSV, one row per student and assignment")
    e.add_argument("assignment", nargs="?", help="one assignment (default: the whole course)")
    _course_options(e)
    e.add_argument("--out", default="grades.csv", help="CSV file to write (default grades.csv)")
    e.set_defaults(func=cmd_grade_export)

    run = gs.add_parser("run", help="collect (when SOURCE is given), autograde, feedback and report in one go",
                        description="Collect the submissions in SOURCE (when given), autograde them, write each "
                        "student's feedback page and the class report.")
    run.add_argument("assignment", help=assignment_help)
    run.add_argument("source", nargs="?", help=source_help + " (leave out to grade what is already collected)")
    _course_options(run)
    _collect_options(run)
    _autograde_options(run)
    run.set_defaults(func=cmd_grade_run)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="salescoach", description="Build, check, release and grade the Sales Coach "
                                "course kit.")
    p.add_argument("--version", action="version", version=f"salescoach {__version__}")
    p.add_argument("--root", help="the kit's folder (default: found from the current folder)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="run every lesson and solution notebook top to bottom in a fresh kernel")
    b.add_argument("module", nargs="?", help="module id or slug (default: the whole course)")
    b.add_argument("-j", "--jobs", type=int, default=1, help="notebooks to run at once (default 1)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("release", help="regenerate exercises/ from solutions/ with nbgrader")
    r.add_argument("module", nargs="?", help="module id or slug (default: every module)")
    r.set_defaults(func=cmd_release)

    c = sub.add_parser("lint", help="manifest, notebooks, release and datasets agree")
    c.add_argument("--no-release", action="store_true", help="skip the (slower) exercises-vs-solutions check")
    c.add_argument("-q", "--quiet", action="store_true")
    c.set_defaults(func=cmd_lint)

    d = sub.add_parser("data", help="regenerate the synthetic datasets (seeded, deterministic)")
    d.set_defaults(func=cmd_data)

    i = sub.add_parser("index", help="regenerate the course home course/index.ipynb from the manifest")
    i.set_defaults(func=cmd_index)

    cl = sub.add_parser("clean", help="clear outputs from the course's notebooks before a commit")
    cl.set_defaults(func=cmd_clean)

    ed = sub.add_parser("edition", help="build the student edition: lessons, student exercises, datasets and the "
                        "library as a wheel; no solutions, hidden tests or trainer notes")
    ed.add_argument("--out", help="folder to write it into (default: build/)")
    ed.set_defaults(func=cmd_edition)

    cr = sub.add_parser("classroom", help="a JupyterHub classroom on this machine: one server per student, the "
                        "student edition in each home, nbgrader's exchange shared with the trainer")
    cr.add_argument("--students", required=True, help="comma-separated user names, e.g. alice,bob")
    cr.add_argument("--trainer", default="trainer", help="the trainer's user name (default trainer)")
    cr.add_argument("--dir", help="classroom folder (default build/classroom)")
    cr.add_argument("--ip", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    cr.add_argument("--port", type=int, default=8010, help="port to serve on (default 8010)")
    cr.set_defaults(func=cmd_classroom)

    dm = sub.add_parser("demo", help="build, release and autograde three sample students; print the scores")
    dm.add_argument("--out", help="folder for the demo course (default: build/demo)")
    dm.add_argument("--no-build", action="store_true", help="skip running the course notebooks first")
    dm.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    dm.set_defaults(func=cmd_demo)

    lab = sub.add_parser("lab", help="start JupyterLab on the course home")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--ip", default="127.0.0.1")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("extra", nargs=argparse.REMAINDER, help="further options for jupyter lab, after --")
    lab.set_defaults(func=cmd_lab)

    dash = sub.add_parser("dashboard", help="serve the team dashboard (KPIs, quartiles, coaching log) with Voila")
    dash.add_argument("--team", help="your team's CSV (the columns of datasets/team.csv; default: the kit's file)")
    dash.add_argument("--log", help="coaching log: a SQLite file or a database URL (default: "
                      "$SALESCOACH_COACHING_LOG, else course/coaching_log.sqlite)")
    dash.add_argument("--port", type=int, default=8866)
    dash.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine only)")
    dash.add_argument("--no-browser", action="store_true")
    dash.add_argument("extra", nargs=argparse.REMAINDER, help="further options for voila, after --")
    dash.set_defaults(func=cmd_dashboard)
    qs = sub.add_parser("quiz-summary", help="summarise students' recorded quiz answers: one row per item")
    qs.add_argument("files", nargs="+", help="answer files (.jsonl) or folders holding them")
    qs.add_argument("--csv", help="also write the table to this CSV file")
    qs.set_defaults(func=cmd_quiz_summary)

    qv = sub.add_parser("quiz-validate", help="load question banks (YAML) and report problems with line and fix")
    qv.add_argument("files", nargs="*", help="YAML files (default: every course/modules/*/quiz.yml)")
    qv.set_defaults(func=cmd_quiz_validate)
    _grade_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"salescoach {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
