"""The core customer data card viewer of the customer-grading lessons (module M3, lesson 3.5).

* :func:`data_card_viewer` - pick a customer, read its core customer data card 核心客户资料卡
  (the card itself comes from :func:`salescoach.customer_grading.analysis.data_card`).
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from . import analysis
from .widget_parts import CELL

__all__ = ["DataCardViewer", "data_card_viewer"]


class DataCardViewer(widgets.VBox):
    """Pick a customer, see its core customer data card; see :func:`data_card_viewer`.

    Attributes: ``picker`` (Dropdown of customer ids), ``card`` (DataFrame of the shown card),
    ``card_html`` (HTML widget).
    """

    def __init__(self, customers: pd.DataFrame, as_of: str | pd.Timestamp, owner: str,
                 extra: pd.DataFrame | None = None, ids: list[str] | None = None):
        if not isinstance(customers, pd.DataFrame) or customers.empty:
            raise ValueError("customers must be a non-empty table indexed by customer id "
                             "(e.g. territory.set_index('customer_id'))")
        if extra is not None and not extra.index.isin(customers.index).all():
            raise ValueError("extra must be indexed by customer ids of customers")
        ids = list(ids) if ids is not None else list(customers.index)
        unknown = [i for i in ids if i not in customers.index]
        if not ids or unknown:
            raise ValueError(f"ids must be customer ids of customers; unknown: {unknown[:5]}")
        self.customers, self.as_of, self.owner, self.extra = customers, as_of, owner, extra
        label = customers["name"] if "name" in customers.columns else pd.Series(ids, index=ids)
        self.picker = widgets.Dropdown(options=[(f"{i} {label.get(i, '')}".strip(), i) for i in ids],
                                       description="customer", layout={"width": "min(100%, 30em)"})
        self.card_html = widgets.HTML()
        self.card = pd.DataFrame()
        super().__init__(children=[
            widgets.HTML("<b>Core customer data card 核心客户资料卡</b>: pick a customer."),
            self.picker, self.card_html,
        ])
        self.picker.observe(self._refresh, names="value")
        self._refresh()

    def _refresh(self, _change: dict | None = None) -> None:
        cid = self.picker.value
        row = self.customers.loc[cid]
        extra = self.extra.loc[cid].to_dict() if self.extra is not None and cid in self.extra.index else {}
        self.card = analysis.data_card(row, self.as_of, self.owner, extra=extra)
        rows, last = [], None
        for section, item, value in self.card.itertuples(index=False):
            head = f"<b>{html.escape(section)}</b>" if section != last else ""
            last = section
            rows.append(f"<tr><td style='{CELL};text-align:left'>{head}</td>"
                        f"<td style='{CELL};text-align:left'>{html.escape(item)}</td>"
                        f"<td style='{CELL}'>{html.escape(value)}</td></tr>")
        self.card_html.value = "<table style='border-collapse:collapse;margin:0.3em 0'>" + "".join(rows) + "</table>"


def data_card_viewer(customers: pd.DataFrame, as_of: str | pd.Timestamp, owner: str,
                     extra: pd.DataFrame | None = None, ids: list[str] | None = None) -> DataCardViewer:
    """A dropdown of customers (``ids``, default all) and the data card of the one picked.

    ``customers`` is the territory indexed by customer id; ``extra`` (same index) adds computed fields
    such as ``abc_class``, ``tier``, ``value_type``, ``net_profit``, ``expected_profit``, ``core`` (see
    :func:`analysis.data_card` for where each goes).
    """
    return DataCardViewer(customers, as_of, owner, extra, ids)
