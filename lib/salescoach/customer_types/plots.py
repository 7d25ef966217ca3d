"""Charts for the customer-types lessons: how many customers of each reception type, and the two lenses together.

Both draw on ``ax=`` (a new one if not given) and return the Axes; labels are plain English with the Chinese
terms beside them when a CJK font is installed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .. import style
from .analysis import VALUE_TYPE_CHINESE, type_counts
from .catalogue import CARDS, OBSERVE, TYPE_CHINESE, TYPE_NAMES, TYPES
from .widgets import GROUP_COLOURS

style.add_terms({**{TYPE_NAMES[t]: TYPE_CHINESE[t] for t in TYPES}, OBSERVE.en: OBSERVE.zh,
                 **{k.capitalize(): v for k, v in VALUE_TYPE_CHINESE.items()}})
_ORDER = list(TYPES) + [OBSERVE.id]


def _name(type_id: str, chinese: bool | None) -> str:
    return style.display_label(TYPE_NAMES.get(type_id, OBSERVE.en), chinese)


def type_counts_chart(plan: pd.DataFrame | pd.Series, ax: Axes | None = None,
                      title: str = "Customers by reception type", chinese: bool | None = None) -> Axes:
    """Horizontal bars: customers per reception type (from ``analysis.assign_reception``), coloured by group."""
    counts = type_counts(plan)
    ax = style.new_axes(ax, (7, 4.5))
    colours = [GROUP_COLOURS[CARDS[t].group] if t in CARDS else GROUP_COLOURS[""] for t in _ORDER]
    ax.barh([_name(t, chinese) for t in _ORDER], counts.reindex(_ORDER).to_numpy(), color=colours)
    ax.invert_yaxis()
    ax.set_xlabel("Number of customers")
    ax.set_title(title)
    ax.legend(handles=[Patch(color=GROUP_COLOURS[g], label=lbl) for g, lbl in
                       (("talk", "How they talk"), ("decide", "How they decide"), ("test", "How they test your offer"),
                        ("", "No clear type yet"))], loc="lower right", fontsize="small", frameon=False)
    return ax


def type_by_value_chart(plan: pd.DataFrame, ax: Axes | None = None,
                        title: str = "Reception type and value type", chinese: bool | None = None) -> Axes:
    """A grid of counts: reception type (rows) by M3 value type (columns), from ``analysis.reception_plan``."""
    missing = [c for c in ("type", "value_type") if c not in plan.columns]
    if missing:
        raise ValueError(f"plan has no column(s) {missing}: give the frame from analysis.reception_plan")
    values = [v for v in ("loyal", "fast-growing", "dormant", "worth cultivating", "prospect")
              if v in set(plan["value_type"])]
    table = pd.crosstab(plan["type"], plan["value_type"]).reindex(index=_ORDER, columns=values, fill_value=0)
    table = table.loc[table.sum(axis=1) > 0]
    ax = style.new_axes(ax, (7, 0.38 * len(table) + 1.5))
    ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto")
    for (i, j), n in np.ndenumerate(table.to_numpy()):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", color="black" if n < table.to_numpy().max() * 0.6 else "white")
    ax.set_xticks(range(len(values)), [style.display_label(v.capitalize(), chinese) for v in values], rotation=20)
    ax.set_yticks(range(len(table)), [_name(t, chinese) for t in table.index])
    ax.set_xlabel("Value type (M3: what to aim for)")
    ax.set_ylabel("Reception type (how to receive)")
    ax.set_title(title)
    return ax
