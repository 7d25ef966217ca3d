"""The kit's chart style, shared by every subject: colours, labels in English and Chinese, the CJK font.

* Class colours (A/B/C/D) and level colours, so a class looks the same in
  every chart of every module.
* :func:`display_label` shows a label with its Chinese term beside it when a
  font with Chinese glyphs is installed (``make`` installs one); without
  such a font matplotlib would draw empty boxes, so the English stays alone.
  Subjects register their terms with :func:`add_terms`.
* :func:`pct` and :func:`money` format numbers for annotations; :func:`new_axes`
  gives a chart its axes.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes

__all__ = ["CLASS_COLOURS", "CHINESE_TERMS", "add_terms", "cjk_font_family", "has_cjk_font", "use_cjk_fallback",
           "display_label", "level_colours",
           "new_axes", "pct", "money", "use_chinese"]

#: Colours of the A/B/C (and D) classes, used by every chart so a class looks the same everywhere.
CLASS_COLOURS = {"A": "#1b7f5f", "B": "#e08a1e", "C": "#8c8c9c", "D": "#c44e52"}
_LEVEL_CMAP = ("#1b4f72", "#2e86c1", "#85c1e9", "#d6eaf8", "#eef5fb")

#: English label -> Chinese term; each subject adds its own with :func:`add_terms`.
CHINESE_TERMS: dict[str, str] = {}
_CJK_FAMILIES = (
    "Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "SimHei", "SimSun", "Microsoft YaHei",
    "PingFang", "Heiti", "STHeiti", "AR PL", "Droid Sans Fallback", "Sarasa",
)


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """The name of an installed font with Chinese glyphs that matplotlib can use, or None."""
    from matplotlib import font_manager

    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    return next((name for prefix in _CJK_FAMILIES for name in names if name.startswith(prefix)), None)


def has_cjk_font() -> bool:
    """True when matplotlib can find a font with Chinese glyphs (then charts may show 客户金字塔 etc.)."""
    return cjk_font_family() is not None


def use_cjk_fallback() -> None:
    """Let matplotlib draw Chinese glyphs: the CJK font joins ``font.family`` after the Latin family.

    Matplotlib (3.6+) falls back glyph by glyph along the families of ``font.family``, so English text looks
    as before and the Chinese terms that :func:`display_label` adds are drawn instead of empty boxes.
    """
    family = cjk_font_family()
    if family is None:
        return
    import matplotlib as mpl

    families = list(mpl.rcParams["font.family"])
    if family not in families:
        mpl.rcParams["font.family"] = [*families, family]


def use_chinese(chinese: bool | None) -> bool:
    """Whether to add Chinese terms: ``chinese`` if given, else whether a CJK font is installed."""
    return has_cjk_font() if chinese is None else bool(chinese)


def display_label(label: str, chinese: bool | None = None) -> str:
    """``"VIP"`` -> ``"VIP"`` or, with Chinese on, ``"VIP (VIP客户)"``; unknown labels are returned as they are."""
    term = CHINESE_TERMS.get(str(label))
    if term and use_chinese(chinese):
        use_cjk_fallback()
        return f"{label} ({term})"
    return str(label)


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
    if ax is not None:
        if not isinstance(ax, Axes):
            raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def add_terms(terms: Mapping[str, str]) -> None:
    """Register English label -> Chinese term pairs for :func:`display_label`.

    Also lets matplotlib draw Chinese (:func:`use_cjk_fallback`) when a CJK font is installed: subjects register
    their terms when their plots module is imported, before any figure exists, so tick labels get it too.
    """
    CHINESE_TERMS.update({str(k): str(v) for k, v in terms.items()})
    if has_cjk_font():
        use_cjk_fallback()


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
