"""nbgrader configuration for the course kit.

The kit keeps nbgrader's *source* notebooks (solutions and hidden tests) in
``solutions/`` and the *release* (student) notebooks in ``exercises/``, so
``nbgrader generate_assignment <assignment>`` run from this folder writes the
student versions straight into ``exercises/``.  ``salescoach release`` does
that for you and checks the result.
"""
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.course_id = "salescoach"
# Student notebooks must not be able to hide the grader's cells.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
