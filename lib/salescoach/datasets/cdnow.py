"""CDNOW, real purchase data: the full cohort and the 1/10 sample used in the customer-base papers.

Source: Fader and Hardie's CDNOW data set (customers who made their first
purchase at CDNOW in the first quarter of 1997, followed to June 1998), as
shipped in the ``lifetimes`` 0.11.3 wheel (MIT licence).  Real data: no
generator; the files are never rewritten by ``salescoach data``.
"""
from __future__ import annotations

from .schema import Column, Dataset

CDNOW_MASTER = Dataset(
    name="cdnow_master",
    file="cdnow_master.txt",
    title="CDNOW purchases, full cohort (real data)",
    source="Fader & Hardie's CDNOW data, as shipped in the lifetimes 0.11.3 wheel (MIT)",
    fmt="whitespace",
    columns=(
        Column("customer_id", "int", "CDNOW customer id (1-23570)", min=1),
        Column("date", "date", "Day of the purchase (1997-01-01 to 1998-06-30)"),
        Column("cds", "int", "Number of CDs bought", "CDs", 1),
        Column("dollar_value", "float", "Amount paid", "US dollars", 0),
    ),
)

CDNOW_SAMPLE = Dataset(
    name="cdnow_sample",
    file="cdnow_sample.txt",
    title="CDNOW purchases, the 1/10 sample used in the papers (real data)",
    source="Fader & Hardie's CDNOW 1/10 sample, as shipped in the lifetimes 0.11.3 wheel (MIT)",
    fmt="whitespace",
    header=False,
    columns=(
        Column("customer_id", "int", "Customer id in the master file", min=1),
        Column("sample_id", "int", "Customer id within the sample (1-2357)", min=1),
        Column("date", "date", "Day of the purchase"),
        Column("cds", "int", "Number of CDs bought", "CDs", 1),
        Column("dollar_value", "float", "Amount paid", "US dollars", 0),
    ),
)

DATASETS = (CDNOW_MASTER, CDNOW_SAMPLE)
