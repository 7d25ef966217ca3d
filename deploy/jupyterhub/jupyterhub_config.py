"""JupyterHub configuration of the salescoach classroom: one server per student, one for the trainer.

Written for `salescoach classroom` (which prepares the classroom folder and starts the hub with this file);
every setting of a particular classroom comes from the JSON file named by ``SALESCOACH_CLASSROOM``:

- the trainer's server opens the trainer's copy of the course (``homes/<trainer>/course``), with Formgrader
  and the rest of nbgrader's tools;
- each student's server opens the student edition in their home (``homes/<student>/salescoach-student``),
  without nbgrader's authoring tools (Formgrader, Create Assignment, the course list);
- nbgrader's exchange (``exchange/``) is shared: the trainer releases and collects, students fetch and
  submit from the Assignment List.

Local test set-up: every server runs as the Unix user that started the hub (SimpleLocalProcessSpawner) and
people log in with a shared password (SharedPasswordAuthenticator). deploy/jupyterhub/README.md says how the
same layout moves to real accounts and to Zero to JupyterHub on Kubernetes.
"""
import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub)
settings = json.loads(Path(os.environ["SALESCOACH_CLASSROOM"]).read_text(encoding="utf-8"))
HUB = Path(settings["hub_dir"])
TRAINER = settings["trainer"]

c.JupyterHub.bind_url = f"http://{settings['ip']}:{settings['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{HUB / 'state' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB / "state" / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB / "state" / "jupyterhub.pid")

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = settings["student_password"]
c.SharedPasswordAuthenticator.admin_password = settings["trainer_password"]  # the trainer logs in with this one
c.Authenticator.allowed_users = {TRAINER, *settings["students"]}
c.Authenticator.admin_users = {TRAINER}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HUB / "homes" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def pre_spawn_hook(spawner):  # noqa: ANN001, ANN201 - JupyterHub's hook
    """Each user's Jupyter settings live in their own config folder; the exchange is the classroom's."""
    user = spawner.user.name
    home = HUB / "homes" / user
    spawner.environment.update({
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "SALESCOACH_EXCHANGE": str(HUB / "exchange"),
        "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
        "IPYTHONDIR": str(home / ".ipython"),
    })
    if user == TRAINER:
        spawner.environment["SALESCOACH_ROOT"] = str(home / "course")
        spawner.notebook_dir = str(home / "course")
    else:
        spawner.environment["SALESCOACH_ROOT"] = str(home / "salescoach-student")
        spawner.notebook_dir = str(home)


c.Spawner.pre_spawn_hook = pre_spawn_hook

if settings.get("api_token"):  # a service token for scripts (and the tests) to drive the hub's REST API
    c.JupyterHub.services = [{"name": "classroom-admin", "api_token": settings["api_token"]}]
    c.JupyterHub.load_roles = [{"name": "classroom-admin", "services": ["classroom-admin"],
                                "scopes": ["admin:users", "admin:servers", "list:users", "read:users",
                                           "access:servers"]}]
