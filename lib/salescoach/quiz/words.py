"""The quiz's own words (buttons, verdicts, hints) in English and Chinese, in one table."""
from __future__ import annotations

import os

from .model import LANGS, Text

__all__ = ["WORDS", "say", "check_lang", "use_language", "resolve_lang"]

_chosen: str | None = None

#: key -> (English, Chinese); ``{name}`` fields are filled by :func:`say`
WORDS: dict[str, tuple[str, str]] = {
    "check": ("Check", "检查"),
    "right": ("Right", "正确"),
    "partly": ("Partly right", "部分正确"),
    "not_yet": ("Not quite", "还不对"),
    "no_answer": ("No answer yet", "还没有作答"),
    "score": ("score {score:.0%}", "得分 {score:.0%}"),
    "your_choice": ("your choice", "你的选择"),
    "right_answer": ("the right answer", "正确答案"),
    "picked_right": ("picked, right", "已选，正确"),
    "picked_wrong": ("picked, but wrong", "已选，但不对"),
    "missed": ("not picked, but right", "未选，但应选"),
    "left_out": ("rightly left out", "正确地未选"),
    "placed_right": ("in {bucket}: right", "放在{bucket}：正确"),
    "placed_wrong": ("in {given}, belongs in {bucket}", "放在{given}，应属于{bucket}"),
    "not_placed": ("not placed; belongs in {bucket}", "未放置；应属于{bucket}"),
    "step_right": ("position {pos}: right", "第{pos}位：正确"),
    "step_wrong": ("at position {given}, belongs at position {pos}", "在第{given}位，应在第{pos}位"),
    "step_missing": ("missing; belongs at position {pos}", "缺少；应在第{pos}位"),
    "pairs": ("{right} of {total} pairs of steps in the right order", "{total}对步骤中有{right}对顺序正确"),
    "placed_count": ("{right} of {total} placed right", "{total}项中{right}项放对"),
    "multi_count": ("{hits} of {total} right options picked, {wrong} wrong one(s) picked",
                    "选中{hits}/{total}个正确选项，错选{wrong}个"),
    "numeric_answer": ("The answer is {answer}", "答案是{answer}"),
    "numeric_close": ("Within the tolerance of ±{tolerance}", "在允许误差±{tolerance}之内"),
    "numeric_off": ("You gave {given}", "你的答案是{given}"),
    "numeric_pct": ("It looks like a percentage: the question asks for a fraction ({fraction} for {given}%)",
                    "这看起来是百分数：题目要的是小数（{given}%写作{fraction}）"),
    "numeric_frac": ("It looks like a fraction: the question asks for a percentage ({pct} for {given})",
                     "这看起来是小数：题目要的是百分数（{given}写作{pct}）"),
    "not_a_number": ("{given!r} is not a number", "{given!r}不是数字"),
    "made": ("made", "已提到"),
    "not_made": ("not made yet", "还没提到"),
    "rubric_count": ("{made} of {total} points made", "{total}个要点中提到了{made}个"),
    "model_answer": ("A model answer", "参考答案"),
    "why": ("Why", "原因"),
    "pick": ("(pick one)", "（请选择）"),
    "pick_bucket": ("pick a bucket", "选择类别"),
    "up": ("move up", "上移"),
    "down": ("move down", "下移"),
    "number_placeholder": ("a number, e.g. 0.62", "数字，例如 0.62"),
    "text_placeholder": ("your answer in a few words", "用几句话回答"),
    "paste": ("Copy this line into the answer cell:", "把这一行复制到答题单元格："),
    "set_variable": ("(answering here also sets `{variable}` in this notebook, but the grader reads only the "
                     "answer cell)", "（在这里作答也会设置本笔记本中的 `{variable}`，但评分只读取答题单元格）"),
    "complete": ("answer complete", "已答完"),
    "incomplete": ("not complete: {problems}", "还没答完：{problems}"),
    "unknown_ids": ("unknown {what}: {ids} (valid: {valid})", "未知的{what}：{ids}（可选：{valid}）"),
    "unplaced": ("{n} not placed yet ({ids})", "还有{n}项未放置（{ids}）"),
    "missing_steps": ("steps missing: {ids}", "缺少步骤：{ids}"),
    "repeated": ("repeated: {ids}", "重复：{ids}"),
    "static_note": ("Answer below (if no controls appear, run the notebook).", "请在下方作答（如果没有出现控件，请运行笔记本）。"),
    "answer_folded": ("Answer and explanations", "答案与解释"),
    "hint": ("Hint", "提示"),
    "drill_progress": ("Question {n} of {total}", "第{n}题，共{total}题"),
    "drill_tally": ("{right} of {done} right at the first try", "已答{done}题，首次答对{right}题"),
    "try_again": ("Change your answer and check again.", "修改答案后再检查一次。"),
    "hidden_key": ("graded item: your answer is checked by the trainer's grader",
                   "计分题：答案由培训师的评分程序检查"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def use_language(lang: str | None) -> None:
    """The language of every quiz widget from now on, unless a call says otherwise (None: back to the default)."""
    global _chosen
    _chosen = None if lang is None else check_lang(lang)


def resolve_lang(lang: str | None) -> str:
    """``lang`` if given; else the one chosen with :func:`use_language`; else ``SALESCOACH_LANG`` (a trainer
    can switch a whole JupyterHub or Voila server to Chinese); else English."""
    if lang is not None:
        return check_lang(lang)
    if _chosen is not None:
        return _chosen
    env = os.environ.get("SALESCOACH_LANG", "").strip().lower()
    return env if env in LANGS else "en"


def say(key: str, lang: str = "en", **fields: object) -> str:
    """``WORDS[key]`` in ``lang`` (``"both"``: English / Chinese), with ``fields`` filled in.

    A field given as a :class:`Text` is filled in the language of each half.
    """
    en, zh = WORDS[key]
    in_en = {k: v.get("en") if isinstance(v, Text) else v for k, v in fields.items()}
    in_zh = {k: v.get("zh") if isinstance(v, Text) else v for k, v in fields.items()}
    if lang == "zh":
        return zh.format(**in_zh)
    if lang == "both":
        return f"{en.format(**in_en)} / {zh.format(**in_zh)}"
    return en.format(**in_en)
