"""Interactive controls (ipywidgets) for the customer-types lessons (module M4).

* :func:`type_cards` - the fourteen reception types as a grid of cards (English and Chinese), filtered by group.
* :func:`recognise_drill` - the vignette drill: read a customer's story, pick the type and the approach, Check,
  read the why of every option; Previous/Next and a tally of vignettes fully right at the first try.
* :func:`roleplay` - a scripted customer: pick an approach each turn, read the reaction, get a score, an outcome
  and a debrief; the line to paste into the exercise (``q4 = [...]``).
* :func:`reception_explorer` - sliders for the recorded traits: which rule decides, the type and its approach.

Each widget keeps its parts as attributes, so code and tests drive it like a student would::

    d = recognise_drill(); d.type_choice.value = "talkative"; d.approach_choice.value = "b"; d.check_button.click()
    r = roleplay("sceptical-property"); r.option_buttons[1].click() ...

No ``Output`` widgets (headless runs can hang on them); everything shown is an ``HTML`` widget.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from . import analysis
from .catalogue import CARDS, GROUP_NAMES, GROUPS, TYPES, TypeCard, card, type_label
from .roleplay import OUTCOME_NAMES, RolePlay, Script, debrief_lines, load_scripts
from .traits import TRAITS
from .vignettes import SETTING_NAMES, Vignette, VignetteVerdict, load_vignettes, score_vignette

__all__ = ["type_cards", "card_html", "TypeCards", "recognise_drill", "RecogniseDrill", "roleplay", "RolePlayWidget",
           "reception_explorer", "ReceptionExplorer"]

GROUP_COLOURS = {"talk": "#2e86c1", "decide": "#1b7f5f", "test": "#c0392b", "": "#8c8c9c"}
_FONT = "font-family:sans-serif;line-height:1.35"


def _t(pair: tuple[str, str], lang: str, sep: str = "<br>") -> str:
    en, zh = (html.escape(x) for x in pair)
    return zh if lang == "zh" else en if lang == "en" else f"{en}{sep}<span style='color:#555'>{zh}</span>"


def _check_lang(lang: str) -> str:
    if lang not in ("en", "zh", "both"):
        raise ValueError(f"lang must be 'en', 'zh' or 'both', got {lang!r}")
    return lang


# --------------------------------------------------------------------------- the card grid
def card_html(c: TypeCard, lang: str = "both") -> str:
    """One type's card as HTML: name, signs, approach, an example line, what to avoid."""
    colour = GROUP_COLOURS.get(c.group, "#8c8c9c")
    rows = [("Signs", "识别"), ("Approach", "接待"), ("You might say", "可以说"), ("Avoid", "避免")]
    fields = [c.signs, c.how, c.say, c.avoid]
    body = "".join(
        f"<div style='margin-top:0.35em'><b>{_t(label, lang, ' ')}</b><br>{_t(value, lang)}</div>"
        for label, value in zip(rows, fields))
    return (f"<div class='sc-type-card' data-type='{c.id}' style='{_FONT};border:1px solid #ddd;"
            f"border-top:5px solid {colour};border-radius:6px;padding:0.5em 0.7em;height:100%;font-size:0.9em'>"
            f"<div style='font-size:1.15em'><b>{html.escape(c.en)}</b> {html.escape(c.zh)}</div>"
            f"<div style='color:{colour};font-weight:bold'>{_t(c.approach, lang, ' · ')}</div>{body}</div>")


class TypeCards(widgets.VBox):
    """The card grid; ``group`` (ToggleButtons) filters it, ``grid`` holds one HTML card per type shown."""

    def __init__(self, lang: str = "both", group: str | None = None):
        self.lang = _check_lang(lang)
        options = [("All 全部", "all")] + [(f"{GROUP_NAMES[g][0]} {GROUP_NAMES[g][1]}", g) for g in GROUPS]
        self.group = widgets.ToggleButtons(options=options, value=group or "all")
        self.grid = widgets.GridBox(layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))",
                                                          grid_gap="8px", width="100%"))
        self.group.observe(lambda _change: self._show(), names="value")
        super().__init__([self.group, self.grid])
        self.add_class("sc-type-cards")
        self._show()

    @property
    def shown(self) -> list[str]:
        return [t for t in TYPES if self.group.value in ("all", CARDS[t].group)]

    def _show(self) -> None:
        self.grid.children = [widgets.HTML(card_html(CARDS[t], self.lang)) for t in self.shown]

    def __repr__(self) -> str:
        return "The 14 reception types as cards: run the notebook to see them"


def type_cards(lang: str = "both", group: str | None = None) -> TypeCards:
    """The fourteen reception types as cards; ``group`` one of talk / decide / test (default: all)."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS} (or None for all), got {group!r}")
    return TypeCards(lang, group)


# --------------------------------------------------------------------------- the vignette drill
class RecogniseDrill(widgets.VBox):
    """The "recognise the type" drill over ``vignettes``; see :func:`recognise_drill`."""

    def __init__(self, vignettes: list[Vignette], lang: str = "both"):
        if not vignettes:
            raise ValueError("no vignettes to drill: the file or the filter left none")
        self.vignettes, self.lang = vignettes, _check_lang(lang)
        self.first_tries: dict[str, VignetteVerdict] = {}
        self.index = 0
        self.progress = widgets.HTML()
        self.story = widgets.HTML()
        self.type_choice = widgets.ToggleButtons(options=[], value=None, description="Type 类型",
                                                 style={"button_width": "auto"})
        self.approach_text = widgets.HTML()
        self.approach_choice = widgets.ToggleButtons(options=[], value=None, description="Approach 方法")
        self.check_button = widgets.Button(description="Check 检查", button_style="primary")
        self.feedback = widgets.HTML()
        self.previous_button = widgets.Button(description="◀ Previous 上一题")
        self.next_button = widgets.Button(description="Next 下一题 ▶")
        self.check_button.on_click(lambda _b: self.check())
        self.previous_button.on_click(lambda _b: self.go(self.index - 1))
        self.next_button.on_click(lambda _b: self.go(self.index + 1))
        nav = widgets.HBox([self.previous_button, self.next_button, self.progress], layout={"align_items": "center"})
        super().__init__([nav, self.story, self.type_choice, self.approach_text, self.approach_choice,
                          self.check_button, self.feedback], layout={"border": "1px solid #ddd", "padding": "0.5em"})
        self.add_class("sc-vignette-drill")
        self.go(0)

    @property
    def vignette(self) -> Vignette:
        return self.vignettes[self.index]

    def go(self, index: int) -> None:
        """Show vignette ``index`` (0-based); out of range is ignored."""
        if not 0 <= index < len(self.vignettes):
            return
        self.index = index
        v = self.vignette
        setting = SETTING_NAMES[v.setting]
        kind = "individual customer 个人客户" if v.kind == "individual" else "business customer 商业客户"
        self.story.value = (f"<div class='sc-vignette' style='{_FONT}'><small>{_t(setting, 'both', ' ')} · {kind}"
                            f"</small><p style='margin:0.3em 0'>{_t((v.story.en, v.story.zh), self.lang)}</p>"
                            f"<b>Which type is this customer, and what do you do? 这是哪种类型的客户？你怎么做？</b></div>")
        self.type_choice.options = [(type_label(o.id, "both" if self.lang == "both" else self.lang), o.id)
                                    for o in v.type_options]
        self.type_choice.value = None
        self.approach_text.value = "<ol type='a' style='" + _FONT + "'>" + "".join(
            f"<li>{_t((a.text.en, a.text.zh), self.lang)}</li>" for a in v.approaches) + "</ol>"
        self.approach_choice.options = [a.id for a in v.approaches]
        self.approach_choice.value = None
        self.feedback.value = ""
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(self.vignettes) - 1
        self._progress()

    def check(self) -> VignetteVerdict | None:
        """Score the picks shown; feedback with the why of every type and approach offered."""
        if self.type_choice.value is None or self.approach_choice.value is None:
            self.feedback.value = (f"<div class='sc-vignette-feedback' style='{_FONT};color:#a0522d'>Pick a type and "
                                   "an approach first. 请先选择类型和方法。</div>")
            return None
        v = self.vignette
        verdicts = {lang: score_vignette(v, self.type_choice.value, self.approach_choice.value, lang)
                    for lang in (("en", "zh") if self.lang == "both" else (self.lang,))}
        verdict = next(iter(verdicts.values()))
        self.first_tries.setdefault(v.id, verdict)
        colour = "#2e7d32" if verdict.correct else "#e08a1e" if verdict.score else "#c62828"
        head = ("Right: type and approach. 类型和方法都对。" if verdict.correct else
                f"Type {'right' if verdict.type_right else 'not right'}, approach "
                f"{'right' if verdict.approach_right else 'not right'}. 类型{'对' if verdict.type_right else '不对'}，"
                f"方法{'对' if verdict.approach_right else '不对'}。")
        per_option = zip(*(vd.feedback for vd in verdicts.values()))  # English line, then its Chinese line
        lines = "".join("<li>" + "<br>".join(html.escape(x) for x in pair) + "</li>" for pair in per_option)
        rule = card(v.type)
        self.feedback.value = (f"<div class='sc-vignette-feedback' data-correct='{str(verdict.correct).lower()}' "
                               f"style='{_FONT};border-left:5px solid {colour};padding-left:0.6em'><b>{head}</b>"
                               f"<ul style='margin:0.3em 0'>{lines}</ul><i>{type_label(v.type)}: "
                               f"{_t(rule.how, self.lang, ' ')}</i></div>")
        self._progress()
        return verdict

    def _progress(self) -> None:
        right = sum(v.correct for v in self.first_tries.values())
        self.progress.value = (f"<span class='sc-vignette-progress' style='{_FONT}'>Vignette {self.index + 1} of "
                               f"{len(self.vignettes)} · {right} of {len(self.first_tries)} fully right at the first try "
                               f"第{self.index + 1}题，共{len(self.vignettes)}题</span>")

    def __repr__(self) -> str:
        return f"Recognise-the-type drill with {len(self.vignettes)} vignettes: run the notebook to answer"


def recognise_drill(path: str | Path | None = None, lang: str = "both", settings: Iterable[str] | None = None,
                    types: Iterable[str] | None = None, order: str = "file", seed: int = 0) -> RecogniseDrill:
    """The drill over the kit's vignettes (or a trainer's file at ``path``), optionally only some settings or types.

    ``order="shuffled"`` mixes the vignettes (seeded), so neighbours are not of the same type.
    """
    vs = list(load_vignettes(path))
    if settings is not None:
        settings = set(settings)
        vs = [v for v in vs if v.setting in settings]
    if types is not None:
        types = set(types)
        vs = [v for v in vs if v.type in types]
    if order == "shuffled":
        vs = pd.Series(vs).sample(frac=1, random_state=seed).tolist()
    elif order != "file":
        raise ValueError(f"order must be 'file' or 'shuffled', got {order!r}")
    return RecogniseDrill(vs, lang)


# --------------------------------------------------------------------------- the role-play
class RolePlayWidget(widgets.VBox):
    """A role-play: choose a customer, answer each turn with an option button, read the debrief."""

    def __init__(self, scripts: dict[str, Script], script: str | None = None, lang: str = "both"):
        if not scripts:
            raise ValueError("no role-play scripts to play")
        self.scripts, self.lang = scripts, _check_lang(lang)
        first = script or next(iter(scripts))
        if first not in scripts:
            raise ValueError(f"no role-play script {first!r}; available: {', '.join(scripts)}")
        self.chooser = widgets.Dropdown(options=[(f"{type_label(s.type)} · {s.title.en}", k) for k, s in scripts.items()],
                                        value=first, description="Customer 客户", layout={"width": "44em"},
                                        style={"description_width": "8em"})
        self.start_button = widgets.Button(description="Start again 重新开始", icon="refresh", layout={"width": "13em"})
        self.header = widgets.HTML()
        self.transcript = widgets.HTML()
        self.prompt = widgets.HTML()
        self.option_buttons: list[widgets.Button] = []
        self.buttons = widgets.HBox()
        self.debrief = widgets.HTML()
        self.answer_line = widgets.HTML()
        self.chooser.observe(lambda _c: self.start(), names="value")
        self.start_button.on_click(lambda _b: self.start())
        super().__init__([widgets.HBox([self.chooser, self.start_button]), self.header, self.transcript, self.prompt,
                          self.buttons, self.debrief, self.answer_line],
                         layout={"border": "1px solid #ddd", "padding": "0.5em"})
        self.add_class("sc-roleplay")
        self.start()

    def start(self) -> None:
        """A fresh run of the chosen script."""
        s = self.scripts[self.chooser.value]
        self.run = RolePlay(s)
        self.header.value = (f"<div style='{_FONT}'><h4 style='margin:0.2em 0'>{_t((s.title.en, s.title.zh), self.lang, ' · ')}"
                             f"</h4><p style='margin:0.2em 0'>{_t((s.setting.en, s.setting.zh), self.lang)}</p></div>")
        self.debrief.value = self.answer_line.value = ""
        self._render()

    def choose(self, option_id: str) -> None:
        """Answer the current turn with ``option_id`` (what the option buttons do)."""
        self.run.choose(option_id)
        self._render()

    def _render(self) -> None:
        rows = []
        for t in self.run.history:
            rows.append(f"<tr><td><i>{_t((t.customer.en, t.customer.zh), self.lang)}</i></td>"
                        f"<td><b>{t.option.id}.</b> {_t((t.option.say.en, t.option.say.zh), self.lang)}</td>"
                        f"<td><i>{_t((t.option.reply.en, t.option.reply.zh), self.lang)}</i></td></tr>")
        self.transcript.value = (f"<table class='sc-roleplay-transcript' style='{_FONT};font-size:0.9em'><tr><th>Customer 客户"
                                 "</th><th>You 你</th><th>Reaction 反应</th></tr>" + "".join(rows) + "</table>") if rows else ""
        turn = self.run.turn
        if turn is None:
            self.prompt.value = ""
            self.option_buttons = []
            self.buttons.children = []
            self._finish()
            return
        n = len(self.run.history) + 1
        self.prompt.value = (f"<div class='sc-roleplay-turn' style='{_FONT}'><b>Turn {n} of {len(self.run.script.turns)} "
                             f"第{n}轮</b><p style='margin:0.2em 0'>Customer 客户: <i>"
                             f"{_t((turn.customer.en, turn.customer.zh), self.lang)}</i></p><ol type='a'>"
                             + "".join(f"<li>{_t((o.say.en, o.say.zh), self.lang)}</li>" for o in turn.options)
                             + "</ol></div>")
        self.option_buttons = []
        for o in turn.options:
            b = widgets.Button(description=f"Say {o.id} 选{o.id}", button_style="info", layout={"width": "9em"})
            b.on_click(lambda _b, oid=o.id: self.choose(oid))
            self.option_buttons.append(b)
        self.buttons.children = self.option_buttons

    def _finish(self) -> None:
        r = self.run.result()
        s = r.script
        colour = {"good": "#2e7d32", "mixed": "#e08a1e", "poor": "#c62828"}[r.outcome]
        langs = ("en", "zh") if self.lang == "both" else (self.lang,)
        parts = []
        for lang in langs:
            lines = debrief_lines(r, lang)
            parts.append(f"<p style='margin:0.3em 0'><b>{html.escape(lines[0])}</b></p>"
                         f"<p style='margin:0.3em 0'>{html.escape(s.outcomes[r.outcome].get(lang))}</p><ul>"
                         + "".join(f"<li>{html.escape(x)}</li>" for x in lines[1:]) + "</ul>")
        self.debrief.value = (f"<div class='sc-roleplay-debrief' data-outcome='{r.outcome}' style='{_FONT};"
                              f"border-left:6px solid {colour};padding-left:0.6em'><h4 style='margin:0.2em 0'>"
                              f"Debrief 复盘: {OUTCOME_NAMES[r.outcome][0]} {OUTCOME_NAMES[r.outcome][1]}</h4>"
                              + "".join(parts) + "</div>")
        self.answer_line.value = (f"<div style='{_FONT}'>Your choices, as a line for the exercise 你的选择（可粘贴到练习中）: "
                                  f"<code>{html.escape(repr(r.choices))}</code></div>")

    def __repr__(self) -> str:
        return "Role-play: run the notebook to play"


def roleplay(script: str | None = None, lang: str = "both", folder: str | Path | None = None) -> RolePlayWidget:
    """The role-play over the kit's scripts (or a trainer's ``folder``), starting with ``script`` (an id)."""
    return RolePlayWidget(load_scripts(folder), script, lang)


# --------------------------------------------------------------------------- trait explorer
class ReceptionExplorer(widgets.VBox):
    """Sliders for the twelve traits; shows the type the rule table gives, the deciding rule, and the card."""

    def __init__(self, rules: object = None, lang: str = "both", **start: int):
        self.rules, self.lang = rules, _check_lang(lang)
        self.sliders: dict[str, widgets.IntSlider] = {}
        for name, t in TRAITS.items():
            s = widgets.IntSlider(value=int(start.get(name, 0 if t.low == 0 else 3)), min=t.low,
                                  max=10 if name == "complaints_12m" else t.high,
                                  description=f"{name.replace('_', ' ')} {t.zh}", style={"description_width": "15em"},
                                  layout={"width": "32em"}, continuous_update=False)
            s.observe(lambda _c: self._show(), names="value")
            self.sliders[name] = s
        self.result = widgets.HTML()
        super().__init__([widgets.VBox(list(self.sliders.values())), self.result])
        self.add_class("sc-reception-explorer")
        self._show()

    def customer(self) -> pd.DataFrame:
        return pd.DataFrame([{k: s.value for k, s in self.sliders.items()}], index=["this customer"])

    def _show(self) -> None:
        row = analysis.assign_reception(self.customer(), self.rules).iloc[0]
        also = f"<br><small>Also fits 也符合: {html.escape(row['also'])}</small>" if row["also"] else ""
        rule = f"rule 规则: <code>{html.escape(row['rule'])}</code>" if row["rule"] else "no rule holds 没有规则成立"
        self.result.value = (f"<div style='{_FONT}'><b>{html.escape(type_label(row['type']))}</b> ({rule}){also}</div>"
                             + card_html(card(row["type"]), self.lang))


def reception_explorer(rules: object = None, lang: str = "both", **start: int) -> ReceptionExplorer:
    """Move the trait sliders and see which reception type the rule table gives (``start``: initial values)."""
    unknown = [k for k in start if k not in TRAITS]
    if unknown:
        raise ValueError(f"unknown trait(s) {unknown}; traits: {list(TRAITS)}")
    return ReceptionExplorer(rules, lang, **start)
