"""The ``salescoach`` command: a thin layer over the library (each command calls one function)."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import __version__


def _root(args: argparse.Namespace) -> Path:
    from .paths import MANIFEST, KitNotFoundError, project_root

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
    from .assignments import release

    root = _root(args)
    for folder in release(args.module, root=root):
        print(f"released {folder.relative_to(root)}/ (nbgrader generate_assignment from solutions/)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check

    problems = check(_root(args), release=not args.no_release,
                     progress=None if args.quiet else lambda m: print(f"checking {m} ...", file=sys.stderr))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) found" if problems else "all checks passed")
    return 1 if problems else 0


def cmd_data(args: argparse.Namespace) -> int:
    from .synthetic import write_datasets

    root = _root(args)
    for path in write_datasets(root):
        print(f"wrote {path.relative_to(root)}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from .home import write_home

    root = _root(args)
    print(f"wrote {write_home(root).relative_to(root)}")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from .course import load_course
    from .notebooks import clear_outputs, dirty_cells, read, write_atomic

    course = load_course(_root(args))
    for p in course.notebooks(releases=True):
        if p.is_file():
            nb = read(p)
            if dirty_cells(nb) or "widgets" in nb.metadata:
                write_atomic(clear_outputs(nb), p)
                print(f"cleared {p.relative_to(course.root)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    result = run_demo(_root(args), Path(args.out) if args.out else None, build_first=not args.no_build,
                      progress=not args.quiet)
    return 1 if result.build_failures or not result.scores else 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the course home."""
    root = _root(args)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which("jupyter")
    if jupyter is None:
        print("jupyter is not installed in this environment; run `make start` from the kit's folder",
              file=sys.stderr)
        return 1
    argv = [jupyter, "lab", f"--ServerApp.root_dir={root}", f"--ServerApp.ip={args.ip}", f"--port={args.port}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    # no network at run time: JupyterLab must not poll for news or updates
    argv += ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if args.no_browser:
        argv.append("--no-browser")
    argv += args.extra[1:] if args.extra[:1] == ["--"] else args.extra
    argv.append(str(root / "course" / "index.ipynb"))
    os.chdir(root)
    os.execv(jupyter, argv)
    return 0  # pragma: no cover


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

    c = sub.add_parser("check", help="manifest, notebooks, release and datasets agree")
    c.add_argument("--no-release", action="store_true", help="skip the (slower) exercises-vs-solutions check")
    c.add_argument("-q", "--quiet", action="store_true")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("data", help="regenerate the synthetic datasets (seeded, deterministic)")
    d.set_defaults(func=cmd_data)

    i = sub.add_parser("index", help="regenerate the course home course/index.ipynb from the manifest")
    i.set_defaults(func=cmd_index)

    cl = sub.add_parser("clean", help="clear outputs from the course's notebooks before a commit")
    cl.set_defaults(func=cmd_clean)

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
