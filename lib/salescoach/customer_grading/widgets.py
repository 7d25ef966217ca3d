"""The interactive controls (ipywidgets) of module M3, customer grading: one namespace.

The lessons import this module (``from salescoach.customer_grading import widgets``); the explorers live
in files named for what they show, so that none grows past a readable size:

* :mod:`.abc_explorers` grades customers **by amounts**: :func:`pareto_explorer` (the A and B cut-offs
  of ABC analysis on sliders, with the Pareto chart and a summary per class) and
  :func:`work_platform_explorer` (the size of the work platform and its reserve list, beside picks made
  without analysis);
* :mod:`.pyramid_explorers` shows **count beside profit**: :func:`value_score_explorer` (the weights of
  the composite value score and the four value grades) and :func:`tier_explorer` (the profitability
  pyramid with its two kit assumptions on sliders);
* :mod:`.data_card_viewer`: :func:`data_card_viewer` (pick a customer, read its core customer data card).

What they share (the summary table in HTML, the chart as a PNG image) is in :mod:`.widget_parts`.  The
summary tables themselves are pure functions of :mod:`.analysis` (``grade_summary``, ``abc_summary``).
Each explorer is a ``VBox`` whose parts are attributes, so code (and tests) can drive it like a user
would::

    w = widgets.pareto_explorer(territory["revenue_12m"])
    w.a_slider.value = 0.7
    w.summary            # DataFrame, already updated
"""
from __future__ import annotations

from .abc_explorers import ParetoExplorer, WorkPlatformExplorer, pareto_explorer, work_platform_explorer
from .data_card_viewer import DataCardViewer, data_card_viewer
from .pyramid_explorers import TierExplorer, ValueScoreExplorer, tier_explorer, value_score_explorer

__all__ = [
    "ParetoExplorer",
    "pareto_explorer",
    "ValueScoreExplorer",
    "value_score_explorer",
    "WorkPlatformExplorer",
    "work_platform_explorer",
    "TierExplorer",
    "tier_explorer",
    "DataCardViewer",
    "data_card_viewer",
]
