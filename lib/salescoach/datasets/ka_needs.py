"""The KA business-needs contact sheet 大客户业务需求联系单 (M5): its columns, and a worked example.

One row per need of a key account, however it was learned: by asking 问,
listening 听, observing 观, through the customer's own request on the sheet 求,
or from a complaint 怨 (the mnemonic 一问二听三观四求五怨, SYLLABUS M5, S1
p.121-122).  The column set is the kit's design (kit assumption): the sources
name the sheet but not its fields.  ``datasets/ka_needs.csv`` is an authored
example for Huaxin Supermarkets (华信超市), a regional chain; the contact-sheet
form of ``salescoach.questioning`` saves and reloads files with these columns.
"""
from __future__ import annotations

import pandas as pd

from .schema import Column, Dataset, RowRule

NEED_AREAS = ("product", "delivery", "service", "price_terms", "training", "technical", "other")
NEED_SOURCES = ("ask", "listen", "observe", "request", "complaint")
SOURCE_CHINESE = {"ask": "问", "listen": "听", "observe": "观", "request": "求", "complaint": "怨"}
URGENCIES = ("high", "medium", "low")
STATUSES = ("open", "in_progress", "done")


def _due_before_date(df: pd.DataFrame) -> pd.Series:
    return df["due"].notna() & (df["due"] < df["date"])


KA_NEEDS = Dataset(
    name="ka_needs",
    file="ka_needs.csv",
    title="KA business-needs contact sheet 大客户业务需求联系单 (authored example)",
    source="written for the kit (see datasets/README.md); MIT like the kit",
    columns=(
        Column("need_id", "str", "Code of the need, N001 ...", unique=True),
        Column("date", "date", "Day the need was recorded (YYYY-MM-DD)"),
        Column("customer", "str", "The key account"),
        Column("contact", "str", "Who at the customer expressed the need, with their role"),
        Column("rep", "str", "Our account manager who recorded it"),
        Column("need", "str", "The need, in the customer's own words where possible"),
        Column("area", "str", "What the need is about", allowed=NEED_AREAS),
        Column("source", "str", "How we learned it: ask 问, listen 听, observe 观, request 求 (the customer wrote it "
               "on the sheet), complaint 怨", allowed=NEED_SOURCES),
        Column("urgency", "str", "How soon it matters to the customer", allowed=URGENCIES),
        Column("next_step", "str", "What we do next"),
        Column("owner", "str", "Who on our side does the next step"),
        Column("due", "date", "When the next step is due (YYYY-MM-DD)", nullable=True),
        Column("status", "str", "Where the follow-up stands", allowed=STATUSES),
    ),
    rules=(
        RowRule("the next step is due before the need was recorded", ("due", "date"), _due_before_date,
                "set due on or after date (or leave it empty)"),
    ),
)

DATASETS = (KA_NEEDS,)
