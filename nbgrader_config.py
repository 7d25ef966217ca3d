"""nbgrader configuration for the course kit (read by nbgrader's commands and Formgrader in this folder).

The settings themselves live in one place, :func:`salescoach.kit.nbgrader.configure`: the kit keeps
nbgrader's *source* notebooks (solutions and hidden tests) in ``solutions/`` and the *release* (student)
notebooks in ``exercises/``, so ``nbgrader generate_assignment <assignment>`` run from this folder writes the
student versions straight into ``exercises/``.  ``salescoach release`` does that for you and checks the result.
"""
from pathlib import Path

from salescoach.kit.nbgrader import configure

configure(get_config(), Path(__file__).resolve().parent)  # noqa: F821 (get_config: provided by nbgrader)
