"""Trainer tools: the ``salescoach`` command, the course manifest, build, release, lint, the course home, the
demo and the single nbgrader adapter.  Nothing here imports a subject package by name: what a tool needs to
know about a module comes from the manifest (``course/course.yml``)."""
