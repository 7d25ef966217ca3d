"""Output limits: what a student process sends back is rebuilt as valid nbformat outputs, within bounds.

The student process runs the student's code, so nothing it sends is trusted: :func:`limit_outputs` rebuilds
each output field by field (unknown output types and fields are dropped, texts become strings) and cuts it
to the limits of :class:`salescoach.grader.sandbox.Limits`, with a note for the trainer for every cut:
lines and line length of text, image and data size, metadata size, the number of outputs of a cell and,
through a :class:`Budget`, the size of all outputs of a notebook together.  The notes themselves are bounded
too (:func:`bounded_notes`): they reach the trainer's report and the student's feedback page.
"""
from __future__ import annotations

import json
from typing import Any


def text_of(value: Any) -> str:
    """A notebook text field: a string, or a list of strings joined (nbformat allows both)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return "" if value is None else json.dumps(value)


def cut_lines(text: str, max_lines: int, max_len: int, what: str, notes: list[str]) -> str:
    """``text`` cut to ``max_lines`` lines of at most ``max_len`` characters, each cut noted in ``notes``."""
    lines = text.splitlines(keepends=True)
    cut = False
    if len(lines) > max_lines:
        notes.append(f"{len(lines)} lines of {what} cut to {max_lines}")
        lines, cut = lines[:max_lines], True
    fixed = []
    for line in lines:
        if len(line) > max_len:
            notes.append(f"an output line of {len(line)} characters cut to {max_len}")
            line = line[:max_len] + f"... [{len(line) - max_len} characters cut by the grader]\n"
        fixed.append(line)
    if cut:
        fixed.append("... [output cut by the grader]\n")
    return "".join(fixed)


MAX_NOTES = 50            # notes kept per notebook
MAX_NOTE_CHARS = 300      # characters kept per note


class Budget:
    """What is left of a notebook's total output size (``max_notebook_bytes``, counted as JSON text)."""

    def __init__(self, limits: dict) -> None:
        self.total = int(limits.get("max_notebook_bytes", 25 * 1024 * 1024))
        self.left = self.total
        self.exhausted = False

    def take(self, output: dict) -> bool:
        """Charge ``output``; False (and nothing charged) when it does not fit any more."""
        size = len(json.dumps(output))
        if self.exhausted or size > self.left:
            self.exhausted = True
            return False
        self.left -= size
        return True


def _removed(what: str) -> dict:
    return {"output_type": "stream", "name": "stderr", "text": f"[{what}: removed by the grader]\n"}


def limit_outputs(outputs: list[dict], limits: dict, budget: Budget | None = None) -> tuple[list[dict], list[str]]:
    """Rebuild the student process's outputs as valid nbformat outputs, within the output limits.

    Stream text is cut to ``max_lines`` lines of ``max_line_length`` characters, a traceback to as many
    entries; images over ``max_image_bytes``, other data over ``max_lines * max_line_length`` characters and
    metadata over ``max_metadata_bytes`` are dropped; a cell keeps at most ``max_outputs`` outputs, and a
    notebook's outputs together at most what ``budget`` has left.  Returns the outputs and one note per cut.
    """
    max_lines = int(limits.get("max_lines", 1000))
    max_len = int(limits.get("max_line_length", 10_000))
    max_img = int(limits.get("max_image_bytes", 2_000_000))
    max_meta = int(limits.get("max_metadata_bytes", 16_384))
    max_count = int(limits.get("max_outputs", 100))
    notes: list[str] = []
    out: list[dict] = []
    given = outputs if isinstance(outputs, list) else []
    if len(given) > max_count:
        notes.append(f"{len(given)} outputs cut to {max_count}")
    for o in given[:max_count]:
        kind = o.get("output_type") if isinstance(o, dict) else None
        if kind == "stream":
            name = "stderr" if o.get("name") == "stderr" else "stdout"
            out.append({"output_type": "stream", "name": name,
                        "text": cut_lines(text_of(o.get("text")), max_lines, max_len, f"{name} output", notes)})
        elif kind in ("display_data", "execute_result"):
            out.append(_display(o, kind, max_lines * max_len, max_img, max_meta, notes))
        elif kind == "error":
            tb = o.get("traceback") if isinstance(o.get("traceback"), list) else []
            if len(tb) > max_lines:
                notes.append(f"a traceback of {len(tb)} entries cut to {max_lines}")
                tb = tb[:max_lines]
            out.append({"output_type": "error", "ename": text_of(o.get("ename"))[:max_len],
                        "evalue": cut_lines(text_of(o.get("evalue")), max_lines, max_len, "an error message", notes),
                        "traceback": [text_of(t)[:max_len] for t in tb]})
    if len(given) > max_count:
        out.append(_removed(f"{len(given) - max_count} more outputs of this cell"))
    if budget is not None:
        kept = [o for o in out if budget.take(o)]
        if len(kept) < len(out):
            notes.append(f"{len(out) - len(kept)} outputs removed: the notebook's outputs reached the grader's "
                         f"limit of {budget.total / 2**20:g} MB")
            kept.append(_removed("outputs past this notebook's size limit"))
        out = kept
    return out, notes


def bounded_notes(notes: list[str], limit: int = MAX_NOTES) -> list[str]:
    """At most ``limit`` notes of at most :data:`MAX_NOTE_CHARS` characters each (the last says how many more)."""
    cut = [n if len(n) <= MAX_NOTE_CHARS else n[:MAX_NOTE_CHARS] + "..." for n in notes[:limit]]
    if len(notes) > limit:
        cut.append(f"... and {len(notes) - limit} more notes")
    return cut


def _display(o: dict, kind: str, max_text: int, max_img: int, max_meta: int, notes: list[str]) -> dict:
    data: dict[str, Any] = {}
    raw = o.get("data") if isinstance(o.get("data"), dict) else {}
    for mime, value in raw.items():
        if not isinstance(mime, str) or "/" not in mime:
            continue
        value = value if mime.endswith("json") else text_of(value)
        size = len(value) if isinstance(value, str) else len(json.dumps(value))
        if mime.startswith("image/") and size > max_img:
            notes.append(f"an image of {size} bytes removed (limit {max_img})")
        elif not mime.startswith("image/") and size > max_text:
            notes.append(f"a {mime} output of {size} characters removed")
        else:
            data[mime] = value
    if not data:
        data = {"text/plain": "[output removed by the grader: too large]" if raw else ""}
    metadata = o.get("metadata") if isinstance(o.get("metadata"), dict) else {}
    size = len(json.dumps(metadata))
    if size > max_meta:
        notes.append(f"output metadata of {size} characters removed (limit {max_meta})")
        metadata = {}
    item = {"output_type": kind, "data": data, "metadata": metadata}
    if kind == "execute_result":
        count = o.get("execution_count")
        item["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
    return item
