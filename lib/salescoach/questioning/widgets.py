"""Interactive controls (ipywidgets) for the questioning lessons (module M5).

* :func:`question_checker` - type a question, see its type, confidence and why.
* :func:`questioning_drill` - a scripted customer: type questions one by one,
  see each question's type and the customer's reply, propose when ready, and
  read the balance remarks (too many closed questions early, no clarifying
  question after a vague answer, no consultative question before proposing).
* :func:`contact_sheet_form` - the KA business-needs contact sheet
  大客户业务需求联系单 as a form that saves to CSV and reloads.

Each is a ``VBox`` whose parts are attributes, so code and tests can drive it
like a user::

    d = questioning_drill("corner-shop")
    d.question.value = "How is business?"; d.ask_button.click()
    d.conversation.turns        # the moves so far
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from . import contact_sheet as cs
from .analysis import type_label
from .classifier import classify_question
from .drill import Conversation, Scenario, load_scenarios

__all__ = ["question_checker", "QuestioningDrill", "questioning_drill", "ContactSheetForm", "contact_sheet_form"]

_TYPE_COLOURS = {"opinion": "#8e44ad", "closed": "#c0392b", "descriptive": "#1b7f5f", "clarifying": "#2e86c1",
                 "consultative": "#e08a1e"}


def _badge(qtype: str) -> str:
    return (f"<span class='sc-type sc-type-{qtype}' style='background:{_TYPE_COLOURS[qtype]};color:white;"
            f"padding:1px 6px;border-radius:4px'>{html.escape(type_label(qtype))}</span>")


def _verdict_html(text: str) -> str:
    try:
        c = classify_question(text)
    except ValueError as exc:
        return f"<div class='sc-error' style='color:#c62828'>{html.escape(str(exc))}</div>"
    return (f"<div class='sc-verdict'>{_badge(c.type)} confidence {c.confidence:.0%}<br>"
            f"<small>{html.escape(c.reason)}<br>{html.escape(c.reason_zh)}</small></div>")


def question_checker(value: str = "") -> widgets.VBox:
    """A text box and a button: the classifier's verdict on the question typed."""
    box = widgets.Text(value=value, placeholder="Type a sales question 输入一个问题", layout={"width": "40em"})
    button = widgets.Button(description="Classify 判断", button_style="info")
    out = widgets.HTML()

    def run(_=None):
        out.value = _verdict_html(box.value)

    button.on_click(run)
    if value:
        run()
    w = widgets.VBox([widgets.HBox([box, button]), out])
    w.question, w.button, w.result = box, button, out
    return w


class QuestioningDrill(widgets.VBox):
    """The drill: a scenario, a question box, Ask and Propose buttons, the transcript and the balance remarks."""

    def __init__(self, scenario: Scenario, lang: str = "en"):
        self.conversation = Conversation(scenario, lang)
        self.lang = lang
        self.question = widgets.Text(placeholder="Your next question 你的下一个问题", layout={"width": "36em"})
        self.ask_button = widgets.Button(description="Ask 提问", button_style="primary")
        self.propose_button = widgets.Button(description="Propose 提出方案", button_style="warning")
        self.feedback = widgets.HTML()
        self.transcript = widgets.HTML()
        self.balance = widgets.HTML()
        self.ask_button.on_click(lambda _: self.ask())
        self.propose_button.on_click(lambda _: self.propose())
        header = widgets.HTML(
            f"<h4 style='margin:0.2em 0'>{html.escape(scenario.title['en'])} {html.escape(scenario.title['zh'])}</h4>"
            f"<div>{html.escape(scenario.setting[lang])}</div>"
            f"<div><i>Customer 客户:</i> {html.escape(scenario.opening[lang])}</div>")
        super().__init__([header, widgets.HBox([self.question, self.ask_button, self.propose_button]),
                          self.feedback, self.transcript, self.balance])
        self._render()

    def ask(self, text: str | None = None) -> None:
        text = self.question.value if text is None else text
        try:
            turn = self.conversation.ask(text)
        except ValueError as exc:
            self.feedback.value = f"<div class='sc-error' style='color:#c62828'>{html.escape(str(exc))}</div>"
            return
        c = turn.classification
        self.feedback.value = (f"<div class='sc-feedback'>Your question is {_badge(c.type)} "
                               f"({c.confidence:.0%}): <small>{html.escape(c.reason)}</small></div>")
        self.question.value = ""
        self._render()

    def propose(self, text: str | None = None) -> None:
        self.conversation.propose(self.question.value if text is None else text)
        self.feedback.value = "<div class='sc-feedback'>You made a proposal. 你提出了方案。</div>"
        self.question.value = ""
        self._render()

    def _render(self) -> None:
        t = self.conversation.turns
        rows = []
        for move, r in t.iterrows():
            who = _badge(r["type"]) if r["kind"] == "question" else "<b>proposal 方案</b>"
            vague = " <small style='color:#a0522d'>(vague 含糊)</small>" if r["vague"] else ""
            rows.append(f"<tr><td>{move}</td><td>{who}</td><td>{html.escape(r['text'])}</td>"
                        f"<td><i>{html.escape(str(r['answer']))}</i>{vague}</td></tr>")
        self.transcript.value = ("<table class='sc-transcript'><tr><th>#</th><th>type</th><th>you said</th>"
                                 "<th>customer</th></tr>" + "".join(rows) + "</table>") if rows else ""
        remarks = self.conversation.remarks()
        if remarks:
            items = "".join(f"<li class='sc-remark'>Move {r.move}: {html.escape(r.en)}<br><small>{html.escape(r.zh)}"
                            "</small></li>" for r in remarks)
            self.balance.value = f"<div class='sc-balance'><b>Balance 平衡</b><ul>{items}</ul></div>"
        elif len(t):
            self.balance.value = ("<div class='sc-balance'><b>Balance 平衡</b>: no remarks so far. 目前没有问题。"
                                  "</div>")
        else:
            self.balance.value = ""


def questioning_drill(scenario: str = "corner-shop", lang: str = "en", path: str | Path | None = None) -> QuestioningDrill:
    """The drill for scenario ``scenario`` of the kit's scenario file (or of ``path``)."""
    scenarios = load_scenarios(path)
    if scenario not in scenarios:
        raise ValueError(f"no drill scenario {scenario!r}; available: {', '.join(scenarios)}")
    return QuestioningDrill(scenarios[scenario], lang)


class ContactSheetForm(widgets.VBox):
    """The contact sheet as a form: fill the fields, Add to sheet, Save to ``path``, Reload from it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.sheet = cs.empty_sheet()
        self.fields: dict[str, widgets.Widget] = {}
        for f in cs.FIELDS:
            label = cs.LABELS[f] + (" *" if f in cs.REQUIRED else "")
            if f in cs.CHOICES:
                opts = [(f"{v} {cs.SOURCE_CHINESE[v]}" if f == "source" else v, v) for v in cs.CHOICES[f]]
                w = widgets.Dropdown(options=opts, description=label)
            elif f in ("date", "due"):
                w = widgets.Text(placeholder="YYYY-MM-DD", description=label)
            elif f in ("need", "next_step"):
                w = widgets.Textarea(description=label, layout={"width": "40em"})
            else:
                w = widgets.Text(description=label)
            w.style = {"description_width": "16em"}
            self.fields[f] = w
        self.add_button = widgets.Button(description="Add to sheet 添加", button_style="primary")
        self.save_button = widgets.Button(description="Save 保存", button_style="success")
        self.load_button = widgets.Button(description="Reload 重新载入")
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.add_button.on_click(lambda _: self.add())
        self.save_button.on_click(lambda _: self.save())
        self.load_button.on_click(lambda _: self.load())
        super().__init__([*self.fields.values(), widgets.HBox([self.add_button, self.save_button, self.load_button]),
                          self.message, self.table])
        if self.path.is_file():
            self.load()

    def record(self) -> dict:
        return {f: w.value for f, w in self.fields.items()}

    def _say(self, text: str, ok: bool) -> None:
        colour = "#2e7d32" if ok else "#c62828"
        self.message.value = f"<div class='sc-message' style='color:{colour}'>{html.escape(text, quote=False)}</div>"

    def add(self) -> bool:
        try:
            self.sheet = cs.add_record(self.sheet, self.record())
        except ValueError as exc:
            self._say(f"Not added: {exc}", False)
            return False
        for f in ("need", "next_step"):
            self.fields[f].value = ""
        self._say(f"Added need {self.sheet['need_id'].iloc[-1]}; press Save to write the file.", True)
        self._show()
        return True

    def save(self) -> bool:
        try:
            cs.save_sheet(self.sheet, self.path)
        except (ValueError, OSError) as exc:
            self._say(f"Not saved: {exc}", False)
            return False
        self._say(f"Saved {len(self.sheet)} need(s) to {self.path}.", True)
        return True

    def load(self) -> bool:
        try:
            self.sheet = cs.load_sheet(self.path)
        except (ValueError, OSError) as exc:
            self._say(f"Could not load: {exc}", False)
            return False
        self._say(f"Loaded {len(self.sheet)} need(s) from {self.path}.", True)
        self._show()
        return True

    def _show(self) -> None:
        shown = self.sheet[["need_id", "date", "customer", "need", "source", "urgency", "next_step", "owner", "status"]]
        shown = shown.assign(date=pd.to_datetime(shown["date"]).dt.strftime("%Y-%m-%d"))
        self.table.value = shown.to_html(index=False, escape=True, classes="sc-sheet")


def contact_sheet_form(path: str | Path = "ka_needs_sheet.csv") -> ContactSheetForm:
    """The contact-sheet form, saving to (and reloading from) ``path``."""
    return ContactSheetForm(path)

