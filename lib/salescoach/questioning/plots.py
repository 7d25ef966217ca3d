"""Charts for the questioning lessons: the mix of question types in a conversation, and a confusion matrix.

Both draw on ``ax=`` (a new one if not given) and return the Axes; labels are
plain English with the Chinese terms beside them when a CJK font is installed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import style
from .classifier import TYPE_CHINESE, TYPE_NAMES, TYPES

style.add_terms({TYPE_NAMES[t]: TYPE_CHINESE[t] for t in TYPES})
TYPE_COLOURS = {"opinion": "#8e44ad", "closed": "#c0392b", "descriptive": "#1b7f5f", "clarifying": "#2e86c1",
                "consultative": "#e08a1e"}


def _names(chinese: bool | None) -> list[str]:
    return [style.display_label(TYPE_NAMES[t], chinese) for t in TYPES]


def type_mix_chart(mix: pd.Series, ax: Axes | None = None, title: str = "Question types asked",
                   chinese: bool | None = None) -> Axes:
    """Horizontal bars: how many questions of each type (``analysis.type_mix``)."""
    if not isinstance(mix, pd.Series) or set(mix.index) - set(TYPES):
        raise ValueError(f"mix must be a Series indexed by question types {list(TYPES)} (see analysis.type_mix)")
    mix = mix.reindex(list(TYPES), fill_value=0)
    ax = style.new_axes(ax, (6, 3))
    ax.barh(_names(chinese), mix.to_numpy(), color=[TYPE_COLOURS[t] for t in TYPES])
    ax.invert_yaxis()
    ax.set_xlabel("Number of questions")
    ax.set_title(title)
    return ax


def confusion_chart(matrix: pd.DataFrame, ax: Axes | None = None, title: str = "Classifier vs the labels",
                    chinese: bool | None = None) -> Axes:
    """A heat map of ``analysis.confusion_matrix``: true types down, predicted types across, counts in the cells."""
    if list(matrix.index) != list(TYPES) or list(matrix.columns) != list(TYPES):
        raise ValueError("matrix must have the five question types as rows and columns (see analysis.confusion_matrix)")
    ax = style.new_axes(ax, (6, 5))
    values = matrix.to_numpy()
    ax.imshow(values, cmap="Blues")
    names = _names(chinese)
    ax.set_xticks(range(len(TYPES)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(TYPES)), names)
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
    ax.set_xlabel("Type the classifier gave")
    ax.set_ylabel("Type in the labelled data")
    ax.set_title(title)
    return ax
