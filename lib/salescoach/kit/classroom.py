"""``salescoach classroom``: a JupyterHub classroom on one machine, prepared from the kit and started.

A classroom folder (default ``build/classroom``) holds the hub's state, one home per person and nbgrader's
shared exchange:

- ``homes/<trainer>/course``: the trainer's copy of the course (solutions, Formgrader, the gradebook);
- ``homes/<student>/salescoach-student``: the student edition (no solutions, no hidden tests);
- ``homes/<user>/.jupyter/``: each person's Jupyter settings: students' JupyterLab without nbgrader's
  authoring tools, everyone's nbgrader pointed at the shared exchange with their own student id;
- ``exchange/``: nbgrader's exchange (mode 1777, as nbgrader's documentation sets it up);
- ``classroom.json``: ports, people and passwords (mode 0600), read by ``deploy/jupyterhub/jupyterhub_config.py``.

The hub runs with the configuration shipped in ``deploy/jupyterhub/``; its proxy
(``configurable-http-proxy``) comes from npm (``make classroom`` installs it there).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..files import write_text_atomic
from ..paths import COURSE_DIR, DATASETS_DIR, EXERCISES_DIR, SOLUTIONS_DIR
from .edition import AUTHORING_PLUGINS, AUTHORING_SERVER_EXTENSIONS, build_edition
from .nbgrader import COURSE_ID

DEPLOY_DIR = Path("deploy") / "jupyterhub"
USERNAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
#: what the trainer's copy of the course holds (everything a course folder needs, nothing of the kit's tooling)
TRAINER_PARTS = (COURSE_DIR, SOLUTIONS_DIR, EXERCISES_DIR, DATASETS_DIR, "nbgrader_config.py")


@dataclass
class Classroom:
    hub_dir: Path
    students: list[str]
    trainer: str = "trainer"
    ip: str = "127.0.0.1"
    port: int = 8010
    hub_port: int = 8011
    proxy_api_port: int = 8012
    student_password: str = field(default_factory=lambda: secrets.token_urlsafe(9))
    trainer_password: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    api_token: str | None = None
    proxy: str = ""

    def __post_init__(self) -> None:
        self.hub_dir = Path(self.hub_dir).resolve()
        people = [self.trainer, *self.students]
        bad = [u for u in people if not USERNAME.fullmatch(u)]
        if bad:
            raise ValueError(f"user name(s) {bad} are not usable: use lower-case letters, digits, '-' and '_', "
                             "starting with a letter")
        if len(set(people)) != len(people):
            raise ValueError(f"each person needs their own name, got {people}")
        if not self.students:
            raise ValueError("a classroom needs at least one student: --students alice,bob")
        if len(self.student_password) < 8 or len(self.trainer_password) < 32:
            raise ValueError("the students' password needs 8 characters or more and the trainer's 32 or more "
                             "(JupyterHub's shared-password rules)")


def proxy_command(kit_root: Path) -> str:
    """The proxy installed by ``make classroom`` (``FileNotFoundError`` naming the fix when it is not)."""
    local = Path(kit_root) / DEPLOY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if not found:
        raise FileNotFoundError(f"JupyterHub's proxy is not installed ({local} is missing). Fix: `make classroom` "
                                "(it runs `npm install` in deploy/jupyterhub), or `npm install -g "
                                "configurable-http-proxy`")
    return found


def hub_command() -> str:
    found = shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) or shutil.which("jupyterhub")
    if not found:
        raise FileNotFoundError("JupyterHub is not installed in this environment. Fix: `make classroom` (or "
                                "`pip install jupyterhub`)")
    return found


def prepare(kit_root: Path, room: Classroom) -> Path:
    """Create (or bring up to date) the classroom folder; returns the path of its settings file.

    Homes that exist are kept, with everything their owners wrote: only the Jupyter settings are rewritten,
    and a student's edition is added when it is missing.
    """
    kit_root = Path(kit_root).resolve()
    hub = room.hub_dir
    for sub in ("state", "homes", "logs"):
        (hub / sub).mkdir(parents=True, exist_ok=True)
    exchange = hub / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)
    trainer_home = hub / "homes" / room.trainer
    if not (trainer_home / "course").exists():
        for part in TRAINER_PARTS:
            src, dst = kit_root / part, trainer_home / "course" / part
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            elif src.is_file():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    _jupyter_settings(trainer_home, room.trainer, trainer=True)
    missing = [s for s in room.students if not (hub / "homes" / s / "salescoach-student").exists()]
    if missing:
        edition = build_edition(kit_root, hub / "state" / "edition")
        for student in missing:
            home = hub / "homes" / student
            home.mkdir(parents=True, exist_ok=True)
            shutil.copytree(edition, home / "salescoach-student", ignore=shutil.ignore_patterns("wheels", "*.zip"))
    for student in room.students:
        _jupyter_settings(hub / "homes" / student, student, trainer=False)
    room.proxy = room.proxy or proxy_command(kit_root)
    settings = hub / "classroom.json"
    data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(room).items()}
    write_text_atomic(settings, json.dumps(data, indent=1), new_mode=0o600)
    return settings


def _jupyter_settings(home: Path, user: str, trainer: bool) -> None:
    config = home / ".jupyter"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    disabled = {"@jupyterlab/apputils-extension:announcements": True}
    server: dict = {"ServerApp": {
        # JupyterHub's servers forbid framing; Formgrader is shown in a frame inside JupyterLab
        "tornado_settings": {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}}}
    if not trainer:
        disabled.update({p: True for p in AUTHORING_PLUGINS})
        server["ServerApp"]["jpserver_extensions"] = {e: False for e in AUTHORING_SERVER_EXTENSIONS}
    write_text_atomic(config / "labconfig" / "page_config.json", json.dumps({"disabledExtensions": disabled}, indent=1))
    write_text_atomic(config / "jupyter_server_config.json", json.dumps(server, indent=1))
    lines = ['c = get_config()  # noqa: F821', f'c.CourseDirectory.course_id = "{COURSE_ID}"',
             'c.Exchange.root = __import__("os").environ["SALESCOACH_EXCHANGE"]',
             # every server runs as the same Unix user here: nbgrader's owner check would refuse every submission
             "c.ExchangeCollect.check_owner = False"]
    if trainer:
        lines.append(f'c.CourseDirectory.root = "{home / "course"}"')
    else:
        lines.append(f'c.CourseDirectory.student_id = "{user}"')
    write_text_atomic(config / "nbgrader_config.py", "\n".join(lines) + "\n")


def hub_argv(kit_root: Path, settings: Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that start the hub for the classroom whose settings file is given."""
    config = Path(kit_root).resolve() / DEPLOY_DIR / "jupyterhub_config.py"
    env = dict(os.environ, SALESCOACH_CLASSROOM=str(settings))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return [hub_command(), "-f", str(config)], env
