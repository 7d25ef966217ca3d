"""The kit's chart style, shared by every subject: colours, words for labels, Chinese terms, the CJK font.

Rules every chart and table of the kit follows (subjects use the helpers here):

* **Words, not column names.**  Axis labels, titles, legends and table headers
  say "revenue in the last 12 months", never ``revenue_12m``.  Subjects
  register the words for their columns once with :func:`add_words`;
  :func:`words` looks a name up (and, for a name nobody registered, at least
  turns ``share_of_visits`` into "share of visits").
* **Chinese terms beside the English** through :func:`display_label`, when a
  font with Chinese glyphs is installed.  ``make`` installs one (Debian's
  ``fonts-wqy-microhei``); this module finds it even when matplotlib's font
  cache predates it, and puts it behind the default font, so Latin text keeps
  its look and Chinese characters draw instead of empty boxes.  Subjects
  register their terms with :func:`add_terms`.
* **Annotations do not overlap**: :func:`spread` moves labels that would
  collide (e.g. two cut-off lines close together) apart, keeping their order.
* **Numbers read as numbers**: :func:`pct`, :func:`money`, :func:`count` for
  annotations and :func:`table` for DataFrames shown in a lesson (whole
  counts as ``2``, not ``2.000000``; shares as percentages; money with
  thousands separators).
* One colour per class (A/B/C/D) in every chart of every module.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes

__all__ = ["CLASS_COLOURS", "CHINESE_TERMS", "WORDS", "add_terms", "add_words", "words", "has_cjk_font",
           "cjk_font", "display_label", "level_colours", "new_axes", "pct", "money", "count", "spread",
           "use_chinese", "table"]

#: Colours of the A/B/C (and D) classes, used by every chart so a class looks the same everywhere.
CLASS_COLOURS = {"A": "#1b7f5f", "B": "#e08a1e", "C": "#8c8c9c", "D": "#c44e52"}
_LEVEL_CMAP = ("#1b4f72", "#2e86c1", "#85c1e9", "#d6eaf8", "#eef5fb")

#: English label -> Chinese term; each subject adds its own with :func:`add_terms`.
CHINESE_TERMS: dict[str, str] = {}
#: Column or variable name -> the words a chart or table shows for it; each subject adds its own with
#: :func:`add_words`.
WORDS: dict[str, str] = {}

_CJK_FAMILIES = (
    "Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "SimHei", "SimSun", "Microsoft YaHei",
    "PingFang", "Heiti", "STHeiti", "AR PL", "Droid Sans Fallback", "Sarasa",
)
#: file-name hints of CJK fonts, to find one matplotlib's font cache does not know yet
_CJK_FILE_HINTS = re.compile(r"wqy|cjk|sourcehan|droidsansfallback|simhei|simsun|msyh|pingfang|sarasa|ukai|uming",
                             re.IGNORECASE)


# --------------------------------------------------------------------------- the CJK font
@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs that matplotlib will use, or None when there is none.

    Looks in matplotlib's font list first, then (a font installed after
    matplotlib built its cache) in the system's font folders, registering
    what it finds with :meth:`matplotlib.font_manager.FontManager.addfont`.
    The font found goes behind the default family in
    ``rcParams["font.family"]``, so matplotlib falls back to it for each
    character the default font lacks (Latin text keeps its usual look).
    """
    from matplotlib import font_manager

    name = _known_cjk_family(font_manager.fontManager)
    if name is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILE_HINTS.search(Path(path).name):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file: try the next one
                    continue
        name = _known_cjk_family(font_manager.fontManager)
    if name is not None:
        families = matplotlib.rcParams["font.family"]
        families = [families] if isinstance(families, str) else list(families)
        if name not in families:
            matplotlib.rcParams["font.family"] = [*families, name]  # the fallback for characters DejaVu lacks
        # a CJK font often has no bold face: matplotlib then uses the regular one, and says so on every bold
        # title; that note would show as an error-coloured line in every notebook
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return name


def _known_cjk_family(manager) -> str | None:
    names = sorted({f.name for f in manager.ttflist})
    for prefix in _CJK_FAMILIES:
        for name in names:
            if name.startswith(prefix) and "Mono" not in name:
                return name
    return None


def has_cjk_font() -> bool:
    """True when matplotlib can draw Chinese (then charts may show 客户金字塔 etc.)."""
    return cjk_font() is not None


def use_chinese(chinese: bool | None) -> bool:
    """Whether to add Chinese terms: ``chinese`` if given, else whether a CJK font is installed."""
    return has_cjk_font() if chinese is None else bool(chinese)


# --------------------------------------------------------------------------- words and terms
def add_terms(terms: Mapping[str, str]) -> None:
    """Register English label -> Chinese term pairs for :func:`display_label`."""
    CHINESE_TERMS.update({str(k): str(v) for k, v in terms.items()})


def add_words(names: Mapping[str, str]) -> None:
    """Register the words a chart or table shows for a column name: ``{"revenue_12m": "revenue ..."}``."""
    WORDS.update({str(k): str(v) for k, v in names.items()})


def words(name: object) -> str:
    """What a chart says for ``name``: its registered words, else the name with underscores as spaces."""
    text = str(name)
    return WORDS.get(text, text.replace("_", " ") if "_" in text else text)


def display_label(label: object, chinese: bool | None = None) -> str:
    """``"VIP"`` -> ``"VIP"`` or, with Chinese on, ``"VIP (VIP客户)"``; column names become words first."""
    shown = words(label)
    term = CHINESE_TERMS.get(str(label)) or CHINESE_TERMS.get(shown)
    return f"{shown} ({term})" if term and use_chinese(chinese) else shown


# --------------------------------------------------------------------------- colours and axes
def level_colours(labels: Sequence[str]) -> dict[str, str]:
    """A colour per level: the fixed class colours for A/B/C/D, otherwise dark (top level) to light."""
    labels = [str(x) for x in labels]
    if labels and all(x in CLASS_COLOURS for x in labels):
        return {x: CLASS_COLOURS[x] for x in labels}
    n = len(labels)
    if n <= len(_LEVEL_CMAP):
        return dict(zip(labels, _LEVEL_CMAP[:n] if n > 1 else _LEVEL_CMAP[:1]))
    from matplotlib import colormaps

    cmap = colormaps["Blues_r"]
    return {x: cmap(0.1 + 0.75 * i / max(n - 1, 1)) for i, x in enumerate(labels)}


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The given axes, or a new pyplot figure's axes (so a notebook shows it inline)."""
    cjk_font()  # Chinese glyphs in titles and labels draw (once per process)
    if ax is not None:
        if not isinstance(ax, Axes):
            raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


# --------------------------------------------------------------------------- annotations
def spread(positions: Sequence[float], min_gap: float, lo: float | None = None,
           hi: float | None = None) -> list[float]:
    """Label positions moved apart so neighbours are at least ``min_gap`` apart, in their original order.

    Labels that are far enough apart stay where they are; a cluster that is
    too tight is spread evenly around its centre (and pushed inside
    ``[lo, hi]`` when given and there is room).  Returns the new positions in
    the order of ``positions``.
    """
    if min_gap < 0:
        raise ValueError(f"min_gap must be >= 0, got {min_gap}")
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    blocks: list[list[float]] = []  # each block: [start, count, sum of wanted positions]
    for i in order:
        want = float(positions[i])
        blocks.append([want, 1, want])
        while len(blocks) > 1 and blocks[-2][0] + blocks[-2][1] * min_gap > blocks[-1][0]:
            _, n, total = blocks.pop()
            prev = blocks[-1]
            prev[1] += n
            prev[2] += total
            prev[0] = prev[2] / prev[1] - (prev[1] - 1) * min_gap / 2  # centred on the wanted positions
    placed = [b[0] + k * min_gap for b in blocks for k in range(b[1])]
    if hi is not None:  # push down from the top only as far as needed
        for k in range(len(placed) - 1, -1, -1):
            placed[k] = min(placed[k], hi if k == len(placed) - 1 else placed[k + 1] - min_gap)
    if lo is not None:  # then up from the bottom (lo wins when there is not room for both)
        for k in range(len(placed)):
            placed[k] = max(placed[k], lo if k == 0 else placed[k - 1] + min_gap)
    out = [0.0] * len(positions)
    for i, p in zip(order, placed):
        out[i] = p
    return out


# --------------------------------------------------------------------------- numbers
def pct(x: float) -> str:
    """0.8 -> '80%', 0.955 -> '96%', 0.012 -> '1.2%' (one decimal only for small shares)."""
    pct = 100 * float(x)
    return f"{pct:.0f}%" if abs(pct) >= 10 or abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


def money(x: float) -> str:
    """Compact amount for annotations: 1234567 -> '1.23M', 45600 -> '45.6k'."""
    sign = "-" if x < 0 else ""
    x = abs(float(x))
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{sign}{x / div:.3g}{suffix}"
    return f"{sign}{x:.3g}" if x else "0"


def count(x: float) -> str:
    """A count as a whole number with thousands separators: 2.0 -> '2', 23570 -> '23,570'."""
    return f"{int(round(float(x))):,}"


def table(frame, shares: Iterable[str] = (), amounts: Iterable[str] = (), counts: Iterable[str] = (),
          decimals: Mapping[str, int] | None = None, chinese: bool | None = False):
    """A DataFrame dressed for a lesson: headers in words, shares as %, amounts with separators, counts whole.

    Returns a pandas ``Styler`` (Jupyter shows it as a table).  Columns not
    named keep pandas' formatting; integer columns are shown whole anyway.
    ``decimals`` gives other numeric columns a number of decimals.
    """
    import pandas as pd

    shown = frame.copy()
    fmt: dict[str, object] = {}
    for col in shown.columns:
        if col in set(shares):
            fmt[col] = lambda v: "" if v != v else pct(v)  # NaN shows empty
        elif col in set(amounts):
            fmt[col] = lambda v: "" if v != v else f"{v:,.0f}"
        elif col in set(counts) or pd.api.types.is_integer_dtype(shown[col].dtype):
            fmt[col] = lambda v: "" if v != v else count(v)
        elif pd.api.types.is_datetime64_any_dtype(shown[col].dtype):
            fmt[col] = lambda v: "" if v is pd.NaT or v != v else f"{v:%Y-%m-%d}"
        elif decimals and col in decimals:
            fmt[col] = lambda v, d=decimals[col]: "" if v != v else f"{v:,.{d}f}"
    names = {col: display_label(col, chinese) for col in shown.columns}
    shown = shown.rename(columns=names)
    if shown.index.name:
        shown.index.name = words(shown.index.name)
    return shown.style.format({names[c]: f for c, f in fmt.items()})


# Text objects take their font when they are made (an axes' title and tick labels when the axes is), so the
# fallback to the CJK font must be in place before any chart of the kit exists: set it up on import.
cjk_font()
