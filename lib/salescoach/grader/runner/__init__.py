"""The grading worker that runs inside the sandbox: a warm Python that forks one process per submission.

* :mod:`.framing` -- length-prefixed JSON messages between the trainer's process, the worker and its
  student processes;
* :mod:`.limits` -- every output a student process sends is rebuilt as valid nbformat within the limits;
* :mod:`.shell` -- the IPython shell the cells run in, and the capture of their outputs;
* :mod:`.forks` -- the zygote and the templates student processes are forked from;
* :mod:`.student` -- the student process's loop: run a cell, undo tampering, send the outputs;
* :mod:`.jobs` -- the worker's side of a job: cells out, results in, limits enforced, cleanup;
* ``python -m salescoach.grader.runner`` (:mod:`.__main__`) -- warm up, fork the zygote, serve jobs.
"""
