"""salescoach: the helper library of the Sales Coach course kit.

Domain calculations (``grading``), dataset loaders (``data``), widgets and
plots for the lessons, and the tools that build, release and grade the course.
"""
__version__ = "0.1.0"
