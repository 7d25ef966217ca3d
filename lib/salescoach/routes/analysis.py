"""Route management 路线管理: visit frequencies, the weekly visit table, workload versus capacity, checking
a week's plan and the selling time a change frees (travel times from coordinates are in :mod:`.travel`).

Source: syllabus module M6.  S0: route management is planning the most effective visiting routes
through the territory from a workload analysis; its elements are the customer count 客户数, customer
classification 客户分类, grading 客户分级, visit frequency 拜访频率, visit count 拜访数 (computed from the
frequency: Table 1, A 10 x 2 = 20, B 20 x 1 = 20), route arrangement 安排路线 and time arrangement
时间安排.  S2: the ways to gain selling time and the weekly visit schedule's columns.

Kit assumptions (the sources give no numbers for these; every one is a parameter):

* C customers are visited once every two weeks (S0's table is cut off after the B row);
* a visit lasts 45 minutes with an A customer, 30 with a B and 20 with a C;
* before a route is planned, 20 minutes of travel per visit (a planned route measures it: see
  :mod:`.travel` for the travel-time assumptions);
* the working day on the road is 8 hours from 08:30, five days a week; two visits to the same
  customer are at least 2 days apart (never on consecutive days);
* a phone call or e-mail in place of a visit takes 10 minutes and no travel.

Every function takes pandas objects and returns new ones; inputs are never modified.  Bad input
(a class without a frequency, a frequency the week cannot hold) raises ``ValueError`` naming the rows
and the fix.
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

DEFAULT_FREQUENCY = {"A": 2.0, "B": 1.0, "C": 0.5}  # visits a week; A, B: S0 Table 1; C: kit assumption
DEFAULT_VISIT_MINUTES = {"A": 45, "B": 30, "C": 20}  # kit assumption
TRAVEL_MINUTES = 20.0  # kit assumption: travel per visit before a route is planned
DAYS_PER_WEEK = 5
HOURS_PER_DAY = 8.0
DAY_START = "08:30"
MIN_GAP_DAYS = 2
PHONE_MINUTES = 10.0
ADMIN_HOURS = 5.0  # kit assumption: reports, meetings, paperwork a week
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: English term -> Chinese term of the syllabus (M6)
ROUTE_TERMS = {
    "route management": "路线管理", "customer count": "客户数", "customer classification": "客户分类",
    "customer grading": "客户分级", "visit frequency": "拜访频率", "visit count": "拜访数",
    "route arrangement": "安排路线", "time arrangement": "时间安排",
}
#: share of reps with each gap in how they organise their territory: a survey of Forbes-500 companies (S2)
SURVEY = (
    ("do not know the right length of a sales call", 0.83),
    ("do not use a computer to manage their time and territory", 0.77),
    ("set no profit goal for each customer", 0.72),
    ("use no fixed routing pattern", 0.63),
    ("do not analyse how they use their time", 0.54),
    ("do not know the most economical call frequency", 0.51),
    ("do not schedule their calls", 0.30),
    ("have no system to classify customers by potential", 0.25),
    ("set no sales goal for each customer", 0.24),
    ("use no call reports", 0.19),
)
#: the weekly visit schedule's columns (S2), in order
SCHEDULE_COLUMNS = ("date", "company", "person visited", "goal", "result", "next action", "time of next visit")


# --------------------------------------------------------------------------- frequencies
def _labels(classes: pd.Series | Sequence[str], name: str = "classes") -> pd.Series:
    if isinstance(classes, pd.DataFrame):
        raise ValueError(f"{name}: expected one column of class labels (a Series), got a table")
    s = classes if isinstance(classes, pd.Series) else pd.Series(list(classes), dtype=object)
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()].unique().tolist()[:10]
        raise ValueError(f"{name}: duplicate customers {dup}; one row per customer")
    if s.isna().any():
        bad = s.index[s.isna()].tolist()[:10]
        raise ValueError(f"{name}: {int(s.isna().sum())} customer(s) without a class at rows {bad}; grade them first")
    return s.astype(object).map(str)


def frequency_of(classes: pd.Series | Sequence[str], frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY
                 ) -> pd.Series:
    """Visits a week per customer: ``frequency[class]`` (a policy) or a Series per customer (index as classes).

    A per-customer Series lets you set one customer apart (0 = served by phone or e-mail only).
    """
    s = _labels(classes)
    if isinstance(frequency, pd.Series):
        missing = s.index.difference(frequency.index)
        if len(missing):
            raise ValueError(f"frequency: no visits a week given for customers {missing.tolist()[:10]}; give one "
                             "per customer (same index as the classes), or a policy such as {'A': 2, 'B': 1}")
        out = pd.to_numeric(frequency.reindex(s.index), errors="coerce").astype(float)
    else:
        unknown = sorted(set(s) - set(map(str, frequency)))
        if unknown:
            rows = s.index[s.isin(unknown)].tolist()[:10]
            raise ValueError(f"frequency: no visit frequency for class(es) {unknown} (rows {rows}); add them to the "
                             f"policy, e.g. {{**policy, '{unknown[0]}': 0.5}}")
        out = s.map({str(k): float(v) for k, v in frequency.items()}).astype(float)
    bad = out.isna() | ~np.isfinite(out.to_numpy()) | (out < 0)
    if bad.any():
        raise ValueError(f"frequency: visits a week must be a number >= 0; rows {out.index[bad].tolist()[:10]} "
                         "have a missing or negative value")
    return out.rename("frequency")


def visit_table(classes: pd.Series | Sequence[str], frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY
                ) -> pd.DataFrame:
    """The weekly visit table 每周拜访客户次数表 (S0 Table 1): visit count 拜访数 = customers x frequency.

    One row per class (policy classes first, in policy order); columns ``customers``, ``frequency``
    (visits a week per customer; the mean when it varies by customer) and ``weekly_visits``.
    ``visit_table(["A"] * 10 + ["B"] * 20, {"A": 2, "B": 1})`` gives A 10 x 2 = 20, B 20 x 1 = 20.
    """
    s = _labels(classes)
    f = frequency_of(s, frequency)
    order = list(map(str, frequency)) if not isinstance(frequency, pd.Series) else []
    order += [c for c in sorted(set(s)) if c not in order]
    if not isinstance(frequency, pd.Series):
        order = [c for c in order if c in set(s) or c in map(str, frequency)]
    counts = s.value_counts().reindex(order, fill_value=0).astype(int)
    visits = f.groupby(s).sum().reindex(order, fill_value=0.0)
    if isinstance(frequency, pd.Series):
        freq = f.groupby(s).mean().reindex(order)
    else:
        freq = pd.Series({str(k): float(v) for k, v in frequency.items()}).reindex(order)
    out = pd.DataFrame({"customers": counts, "frequency": freq.astype(float), "weekly_visits": visits.astype(float)})
    out.index.name = "class"
    return out


def max_visits_per_week(days_per_week: int = DAYS_PER_WEEK, min_gap_days: int = MIN_GAP_DAYS) -> int:
    """Most visits one customer can get in a week when visits are ``min_gap_days`` apart: ceil(days / gap)."""
    if days_per_week < 1 or min_gap_days < 1:
        raise ValueError(f"days_per_week and min_gap_days must be at least 1, got {days_per_week}, {min_gap_days}")
    return math.ceil(days_per_week / min_gap_days)


def check_frequency(frequency: pd.Series, days_per_week: int = DAYS_PER_WEEK, min_gap_days: int = MIN_GAP_DAYS,
                    classes: pd.Series | None = None) -> None:
    """ValueError naming the customers whose visits a week cannot fit the working week with the spacing rule."""
    most = max_visits_per_week(days_per_week, min_gap_days)
    over = frequency[frequency > most + 1e-9]
    if len(over):
        what = ", ".join(f"{i} ({'class ' + str(classes[i]) + ', ' if classes is not None else ''}{v:g} a week)"
                         for i, v in over.head(10).items())
        raise ValueError(
            f"{len(over)} customer(s) need more visits than a week can hold: {what}. With {days_per_week} working "
            f"days and visits at least {min_gap_days} days apart a customer can be seen at most {most} times a week. "
            "Fix: lower their frequency, or allow closer visits (min_gap_days=1)")


def _fraction(f: float) -> Fraction:
    q = Fraction(f).limit_denominator(52)
    if abs(float(q) - f) > 1e-9:
        raise ValueError(f"frequency {f:g} a week does not come back to a whole number of visits within a year; "
                         "use e.g. 0.5 (every two weeks) or 0.25 (every four weeks)")
    return q


def visits_due(classes: pd.Series | Sequence[str], frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY,
               weeks: int = 1, first_week: int = 1) -> pd.Series:
    """Whole visits due per customer in weeks ``first_week`` .. ``first_week + weeks - 1`` of the cycle.

    A customer with frequency f = n/L (L weeks in its cycle) gets floor(f*w + p) - floor(f*(w-1) + p)
    visits in week w.  The phase p = (k mod L) / L staggers customers with a fractional frequency, k
    being the number the customer's id ends with (T017 -> 17; a checksum of the id when it has no
    number): with f = 0.5, customers with an odd number are due in odd weeks and the others in even
    weeks.  A customer's weeks depend on its own id only, never on who else is on the list.  Over the
    whole cycle every customer gets exactly f visits a week.
    """
    if weeks < 1 or first_week < 1:
        raise ValueError(f"weeks and first_week must be at least 1, got weeks={weeks}, first_week={first_week}")
    f = frequency_of(classes, frequency)
    out = pd.Series(0, index=f.index, dtype=int, name="visits")
    start, end = first_week - 1, first_week - 1 + weeks
    for cid, value in f.items():
        q = _fraction(float(value))
        phase = Fraction(_id_number(cid) % q.denominator, q.denominator)
        out[cid] = math.floor(q * end + phase) - math.floor(q * start + phase)
    return out


def _id_number(cid: object) -> int:
    """The number an id ends with (``"T017"`` -> 17), or a checksum of the id when it has none."""
    m = re.search(r"(\d+)$", str(cid))
    return int(m.group(1)) if m else zlib.crc32(str(cid).encode("utf-8"))


# --------------------------------------------------------------------------- workload
@dataclass(frozen=True)
class Workload:
    """A week's workload against the rep's capacity.  ``table`` per class (hours a week), then totals."""

    table: pd.DataFrame
    capacity_hours: float
    admin_hours: float
    phone_minutes: float = PHONE_MINUTES
    phone_hours: float = 0.0  # calls and e-mails that replace visits (``by_phone``)

    @property
    def needed_hours(self) -> float:
        return float(self.table["hours"].sum()) + self.admin_hours + self.phone_hours

    @property
    def fits(self) -> bool:
        return self.needed_hours <= self.capacity_hours + 1e-9

    @property
    def shortfall_hours(self) -> float:
        """Hours the plan is over capacity (0 when it fits)."""
        return max(0.0, self.needed_hours - self.capacity_hours)

    def cuts(self) -> pd.DataFrame:
        """What could be cut, the syllabus's way (fewer visits, especially to B and C; phone and e-mail;
        less travel), with the hours a week each option saves on its own."""
        rows = []
        t = self.table
        for cls in reversed(t.index.tolist()[1:]):  # the lowest classes first, never the top one
            r = t.loc[cls]
            if r["weekly_visits"] <= 0:
                continue
            rows.append((f"visit {cls} customers half as often", f"{cls}", 0.5 * r["hours"]))
            phone = r["weekly_visits"] * self.phone_minutes / 60
            rows.append((f"serve {cls} customers by phone or e-mail instead of visits", f"{cls}", r["hours"] - phone))
        rows.append(("a quarter less travel and waiting (better routes, appointments)", "all",
                     0.25 * float(t["travel_hours"].sum())))
        out = pd.DataFrame(rows, columns=["option", "class", "hours_saved"])
        out["enough_alone"] = out["hours_saved"] >= self.shortfall_hours - 1e-9
        return out

    @property
    def message(self) -> str:
        head = (f"The plan needs {self.needed_hours:.1f} h a week; the rep has {self.capacity_hours:.1f} h.")
        if self.fits:
            return head + f" It fits, with {self.capacity_hours - self.needed_hours:.1f} h to spare."
        cuts = self.cuts()
        options = "; ".join(f"{r.option} (saves {r.hours_saved:.1f} h{', enough on its own' if r.enough_alone else ''})"
                            for r in cuts.itertuples())
        return (f"{head} It does not fit: {self.shortfall_hours:.1f} h too much. Cut at least that much, "
                f"starting with the lowest classes: {options}.")


def _per_class(classes: pd.Series, values: Mapping[str, float] | float | pd.Series, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        missing = classes.index.difference(values.index)
        if len(missing):
            raise ValueError(f"{name}: no value for customers {missing.tolist()[:10]}")
        out = pd.to_numeric(values.reindex(classes.index), errors="coerce").astype(float)
    elif isinstance(values, Mapping):
        unknown = sorted(set(classes) - set(map(str, values)))
        if unknown:
            raise ValueError(f"{name}: no value for class(es) {unknown}; add them, e.g. {{..., '{unknown[0]}': 20}}")
        out = classes.map({str(k): float(v) for k, v in values.items()}).astype(float)
    else:
        out = pd.Series(float(values), index=classes.index)
    if out.isna().any() or (out < 0).any():
        raise ValueError(f"{name}: minutes must be numbers >= 0; rows {out.index[out.isna() | (out < 0)].tolist()[:10]}")
    return out


def workload(classes: pd.Series | Sequence[str], frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY,
             visit_minutes: Mapping[str, float] | float | pd.Series = DEFAULT_VISIT_MINUTES,
             travel_minutes: float = TRAVEL_MINUTES, days_per_week: int = DAYS_PER_WEEK,
             hours_per_day: float = HOURS_PER_DAY, admin_hours: float = 0.0, by_phone: Sequence[str] = (),
             phone_minutes: float = PHONE_MINUTES) -> Workload:
    """Workload versus capacity: hours a week = sum over visits of (visit length + travel per visit)
    + calls in place of visits + admin.

    Capacity = ``days_per_week`` x ``hours_per_day``.  ``travel_minutes`` is the average drive before each
    visit (measure it on a planned route with ``WeekPlan.travel_per_visit``).  ``by_phone``: customers
    (labels of ``classes``) served by phone or e-mail this week instead of visits, ``phone_minutes`` a
    call.  ``Workload.message`` says whether the week fits and, when it does not, what to cut.
    """
    s = _labels(classes)
    if travel_minutes < 0 or admin_hours < 0 or days_per_week < 1 or hours_per_day <= 0 or phone_minutes < 0:
        raise ValueError("travel_minutes, admin_hours and phone_minutes must be >= 0, days_per_week >= 1 and "
                         "hours_per_day > 0")
    f = frequency_of(s, frequency)
    phoned = list(dict.fromkeys(by_phone))
    unknown = [c for c in phoned if c not in s.index]
    if unknown:
        raise ValueError(f"by_phone: {unknown[:10]} are not among the customers; use their ids "
                         f"(e.g. {list(s.index[:2])})")
    phone_hours = float(f[phoned].sum()) * phone_minutes / 60
    f = f.where(~f.index.isin(phoned), 0.0)
    table = visit_table(s, f if isinstance(frequency, pd.Series) or phoned else frequency)
    minutes = _per_class(s, visit_minutes, "visit_minutes")
    visit_h = (f * minutes).groupby(s).sum().reindex(table.index, fill_value=0.0) / 60
    table["visit_minutes"] = (visit_h * 60 / table["weekly_visits"].where(table["weekly_visits"] > 0)).fillna(
        minutes.groupby(s).mean().reindex(table.index))
    table["visit_hours"] = visit_h
    table["travel_hours"] = table["weekly_visits"] * travel_minutes / 60
    table["hours"] = table["visit_hours"] + table["travel_hours"]
    return Workload(table=table, capacity_hours=days_per_week * hours_per_day, admin_hours=float(admin_hours),
                    phone_minutes=float(phone_minutes), phone_hours=phone_hours)


def selling_time(classes: pd.Series | Sequence[str], frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY,
                 visit_minutes: Mapping[str, float] | float | pd.Series = DEFAULT_VISIT_MINUTES,
                 travel_minutes: float = TRAVEL_MINUTES, admin_hours: float = ADMIN_HOURS, *,
                 fewer_b: float = 0.0, fewer_c: float = 0.0, shorter_travel: float = 0.0,
                 shorter_visits: float = 0.0, less_admin: float = 0.0, phone_share: float = 0.0,
                 phone_minutes: float = PHONE_MINUTES) -> pd.DataFrame:
    """What-if: hours a week now and after the S2 ways to gain selling time, and the hours gained.

    ``fewer_b``/``fewer_c``: share of B / C visits no longer planned; ``phone_share``: share of the
    remaining B and C visits done by phone or e-mail (``phone_minutes`` each, no travel);
    ``shorter_travel``: share of travel and waiting saved; ``shorter_visits``: share cut from every
    visit; ``less_admin``: share of non-selling time saved.  All shares in [0, 1].  Rows: customer
    visits, travel and waiting, phone and e-mail, non-selling time, total; columns now, after, gained.
    Hours gained are hours freed for selling (more time with A customers, new prospects).
    """
    levers = {"fewer_b": fewer_b, "fewer_c": fewer_c, "shorter_travel": shorter_travel,
              "shorter_visits": shorter_visits, "less_admin": less_admin, "phone_share": phone_share}
    bad = {k: v for k, v in levers.items() if not 0 <= v <= 1}
    if bad:
        raise ValueError(f"shares must be between 0 and 1 (0.25 = a quarter), got {bad}")
    s = _labels(classes)
    f = frequency_of(s, frequency)
    minutes = _per_class(s, visit_minutes, "visit_minutes")
    keep = pd.Series(1.0, index=s.index) - np.where(s == "B", fewer_b, 0.0) - np.where(s == "C", fewer_c, 0.0)
    by_phone = np.where(s.isin(["B", "C"]), phone_share, 0.0)
    visits_now, visits_after = f, f * keep * (1 - by_phone)
    phone_after = f * keep * by_phone
    now = [float((visits_now * minutes).sum()) / 60, float(visits_now.sum()) * travel_minutes / 60, 0.0, admin_hours]
    after = [float((visits_after * minutes).sum()) * (1 - shorter_visits) / 60,
             float(visits_after.sum()) * travel_minutes * (1 - shorter_travel) / 60,
             float(phone_after.sum()) * phone_minutes / 60, admin_hours * (1 - less_admin)]
    out = pd.DataFrame({"now": now, "after": after},
                       index=["customer visits", "travel and waiting", "phone and e-mail", "non-selling time"])
    out.loc["total"] = out.sum()
    out["gained"] = out["now"] - out["after"]
    out.index.name = "hours a week"
    return out


# --------------------------------------------------------------------------- checking a plan
PLAN_COLUMNS = ("day", "date", "order", "customer_id", "arrival", "departure")


def plan_problems(visits: pd.DataFrame, due: pd.Series, *, min_gap_days: int = MIN_GAP_DAYS,
                  hours_per_day: float | None = None, day_start: str | None = None,
                  travel: pd.DataFrame | None = None, visit_minutes: pd.Series | None = None) -> list[str]:
    """Everything wrong with a plan, in plain words (an empty list: the plan meets the constraints).

    ``visits`` has one row per visit with ``day``, ``date``, ``order`` (1, 2, ... within the day),
    ``customer_id``, ``arrival`` and ``departure`` (timestamps); ``due`` the visits each customer needs.
    Checked: every customer gets exactly its visits; no customer twice a day; two visits to one customer
    at least ``min_gap_days`` apart; orders 1..k without gaps; each visit ends after it starts and the
    next starts after it ends.  With ``travel`` (minutes, a "base" row/column as from
    :func:`.travel.travel_matrix`): each arrival = the previous departure (or the day's start) + the drive, to
    the minute.  With ``visit_minutes`` (per customer): each visit lasts that long.  With
    ``hours_per_day`` (and ``day_start``, the time the rep leaves the base): the day ends on time.
    """
    missing = [c for c in PLAN_COLUMNS if c not in visits.columns]
    if missing:
        return [f"the plan has no column(s) {missing}; a plan needs {list(PLAN_COLUMNS)}"]
    v = visits.reset_index(drop=True)
    out: list[str] = []
    counts = v["customer_id"].value_counts()
    wrong = {c: (int(counts.get(c, 0)), int(n)) for c, n in due.items() if int(counts.get(c, 0)) != int(n)}
    wrong.update({c: (int(k), 0) for c, k in counts.items() if c not in due.index})
    if wrong:
        shown = ", ".join(f"{c}: {got} instead of {need}" for c, (got, need) in list(wrong.items())[:8])
        out.append(f"{len(wrong)} customer(s) get the wrong number of visits ({shown})")
    dates = pd.to_datetime(v["date"]).dt.normalize()
    twice = v[v.assign(_d=dates).duplicated(["_d", "customer_id"], keep=False)]
    if len(twice):
        out.append(f"customers visited twice on the same day: {sorted(set(twice['customer_id']))[:8]}")
    close = []
    for cid, d in dates.groupby(v["customer_id"]):
        gaps = np.diff(np.sort(d.unique())).astype("timedelta64[D]").astype(int)
        if len(gaps) and gaps.min() < min_gap_days and gaps.min() > 0:
            close.append(cid)
    if close:
        out.append(f"visits less than {min_gap_days} days apart for customers {close[:8]}")
    out += _time_problems(v, dates, travel, visit_minutes, hours_per_day, day_start)
    return out


def _time_problems(v: pd.DataFrame, dates: pd.Series, travel: pd.DataFrame | None, visit_minutes: pd.Series | None,
                   hours_per_day: float | None, day_start: str | None) -> list[str]:
    out: list[str] = []
    arrival, departure = pd.to_datetime(v["arrival"]), pd.to_datetime(v["departure"])
    minute = pd.Timedelta(minutes=1)
    for date, day in v.assign(_d=dates).groupby("_d", sort=True):
        label = str(day["day"].iloc[0])
        day = day.sort_values("order")
        if day["order"].tolist() != list(range(1, len(day) + 1)):
            out.append(f"{label}: the visit order should run 1, 2, 3 ... without gaps, got {day['order'].tolist()}")
        a, d = arrival[day.index], departure[day.index]
        if (d < a).any() or (a.iloc[1:].to_numpy() < d.iloc[:-1].to_numpy()).any():
            out.append(f"{label}: a visit ends before it starts, or starts before the previous one ends")
        if visit_minutes is not None:
            want = day["customer_id"].map(visit_minutes) * minute
            if ((d - a - want).abs() > minute / 2).any():
                out.append(f"{label}: a visit does not last its planned length")
        start = date + pd.Timedelta(day_start + ":00") if day_start else None
        if travel is not None:
            stops = ["base", *day["customer_id"]]
            legs = [round(float(travel.at[p, q])) * minute for p, q in zip(stops[:-1], stops[1:])]
            prev_end = [start, *d.iloc[:-1]] if start is not None else [a.iloc[0] - legs[0], *d.iloc[:-1]]
            if any(abs(x - (p + leg)) > minute for x, p, leg in zip(a, prev_end, legs)):
                out.append(f"{label}: an arrival time does not match the previous departure plus the drive")
            back = round(float(travel.at[stops[-1], "base"])) * minute
            end, first_leave = d.iloc[-1] + back, (start if start is not None else a.iloc[0] - legs[0])
        else:
            end, first_leave = d.iloc[-1], (start if start is not None else a.iloc[0])
        if hours_per_day is not None and end - first_leave > pd.Timedelta(hours=hours_per_day) + minute / 2:
            out.append(f"{label}: the day lasts {(end - first_leave).total_seconds() / 3600:.1f} h, more than the "
                       f"{hours_per_day:g} h working day")
    return out


def visit_schedule(visits: pd.DataFrame, persons: Mapping[str, str] | pd.Series | None = None,
                   goals: Mapping[str, str] | pd.Series | None = None,
                   frequency: Mapping[str, float] | pd.Series | None = None) -> pd.DataFrame:
    """The weekly visit schedule 每周拜访安排 (S2) from a plan: one row per visit with the columns of
    :data:`SCHEDULE_COLUMNS`.  Date, company and the time of the next visit (the next planned visit to
    the same customer; after the last one, "around <date>" 7 / visits-a-week days later when
    ``frequency`` gives the visits a week per class or per customer) are filled in; the person visited
    and the goal from ``persons``/``goals`` (per customer) when given; result and next action stay empty
    for the rep to write after the visit."""
    v = visits.sort_values(["arrival"]).reset_index(drop=True)
    nxt = pd.to_datetime(v.groupby("customer_id")["arrival"].shift(-1)).dt.strftime("%a %Y-%m-%d %H:%M")
    if frequency is not None:
        per = (v["customer_id"].map(frequency) if isinstance(frequency, pd.Series) or "class" not in v.columns
               else v["class"].map(dict(frequency)))
        days = np.ceil(7 / per.where(per > 0).astype(float))
        later = pd.to_datetime(v["arrival"]).dt.normalize() + pd.to_timedelta(days, unit="D")
        ok = later.notna()
        later[ok] = pd.to_datetime(np.busday_offset(later[ok].to_numpy().astype("datetime64[D]"), 0,
                                                    roll="forward"))  # a weekend rolls on to Monday
        nxt = nxt.fillna("around " + later.dt.strftime("%a %Y-%m-%d"))
    out = pd.DataFrame({
        "date": pd.to_datetime(v["arrival"]).dt.strftime("%a %Y-%m-%d %H:%M"),
        "company": v["name"] if "name" in v.columns else v["customer_id"],
        "person visited": v["customer_id"].map(dict(persons)) if persons is not None else "",
        "goal": v["customer_id"].map(dict(goals)) if goals is not None else "",
        "result": "",
        "next action": "",
        "time of next visit": nxt.fillna("(not planned yet)"),
    })
    return out.fillna("")[list(SCHEDULE_COLUMNS)]
