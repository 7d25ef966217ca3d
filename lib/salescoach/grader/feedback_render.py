"""HTML building blocks of the feedback pages: escaping, Markdown, images, outputs, and the style sheet.

Everything a student wrote or printed goes through :func:`esc` (or :func:`render_markdown`, which keeps
only formatting tags); text is cut to :data:`MAX_TEXT_CHARS`, images to :data:`MAX_IMAGE_BYTES`; every line
that repeats hidden-test code is left out (:func:`scrub`).
"""
from __future__ import annotations

import base64
import binascii
import html
import re
from typing import Any

MAX_TEXT_CHARS = 10_000  # per output; a student printing a million lines must not make a 50 MB page
MAX_IMAGE_BYTES = 3_000_000
MIN_CONTAINED_LINE = 13  # hidden lines at least this long are also removed when quoted inside a longer line

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANCHOR_LINK = re.compile(r"<a class=\"anchor-link\"[^>]*>.*?</a>", re.S)
_SAFE_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "del", "code",
              "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "span",
              "div", "a", "sup", "sub"}
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def scrub(text: str, hidden: set[str]) -> tuple[str, bool]:
    """``text`` without the lines that repeat hidden-test code; also says whether any line was removed.

    A line goes when, stripped, it equals a hidden line, or when it contains a
    hidden line of at least ``MIN_CONTAINED_LINE`` characters (hidden code
    quoted inside a longer line, e.g. a printed ``repr``).
    """
    long_lines = [h for h in hidden if len(h) >= MIN_CONTAINED_LINE]
    kept, removed = [], False
    for line in text.splitlines():
        s = line.strip()
        if s and (s in hidden or any(h in s for h in long_lines)):
            removed = True
            continue
        kept.append(line)
    return "\n".join(kept), removed


def esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def clean_text(text: str) -> str:
    return _CONTROL.sub("", _ANSI.sub("", text))


def fmt(x: float) -> str:
    return f"{x:g}"


def short(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS] + "\n… (output shortened)"


def render_markdown(source: str) -> str:
    """Markdown to HTML with nbconvert's renderer, then cleaned: only formatting tags survive, no attributes.

    Raw HTML the student typed (``<script>``, ``<img onerror=...>``) is escaped
    into visible text; links lose their target and images are not loaded.
    """
    import bleach
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    try:
        rendered = _ANCHOR_LINK.sub("", markdown2html_mistune(source))
    except Exception:  # a renderer bug must not cost the student the page
        return f"<pre class='md'>{esc(source)}</pre>"
    return bleach.clean(rendered, tags=_SAFE_TAGS, attributes={}, protocols=[], strip=False, strip_comments=True)


def image(mime: str, data: Any) -> str:
    text = "".join(data) if isinstance(data, list) else str(data)
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return "<p class='note'>[an image that could not be read]</p>"
    magic = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8"}[mime]
    if not raw.startswith(magic):
        return "<p class='note'>[an image that could not be read]</p>"
    if len(raw) > MAX_IMAGE_BYTES:
        return "<p class='note'>[an image too large to include]</p>"
    return f"<img alt='plot' src='data:{mime};base64,{base64.b64encode(raw).decode('ascii')}'>"


def text_block(text: str, hidden: set[str], css: str) -> str:
    text, removed = scrub(clean_text(text), hidden)
    out = f"<pre class='{css}'>{esc(short(text))}</pre>" if text.strip() else ""
    if removed:
        out += "<p class='note'>Some lines were left out because they repeat hidden test code.</p>"
    return out


def outputs_html(outputs: list[Any], hidden: set[str]) -> str:
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(text_block(joined(out.get("text", "")), hidden,
                                     "out err" if out.get("name") == "stderr" else "out"))
        elif kind == "error":
            ename, evalue = clean_text(str(out.get("ename", "Error"))), clean_text(str(out.get("evalue", "")))
            parts.append(text_block(f"{ename}: {evalue}" if evalue else ename, hidden, "out err"))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data:
                parts.append(image("image/png", data["image/png"]))
            elif "image/jpeg" in data:
                parts.append(image("image/jpeg", data["image/jpeg"]))
            elif "text/plain" in data:
                parts.append(text_block(joined(data["text/plain"]), hidden, "out"))
            elif data:
                parts.append("<p class='note'>[an output that can only be shown in Jupyter]</p>")
    return "".join(parts)


def joined(text: Any) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


CSS = """
*{box-sizing:border-box}
body{margin:0;color:#1d1d1f;background:#f6f7f9;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 .8rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem;border-bottom:2px solid #d0d4da}
h3{font-size:1.05rem;margin:1.2rem 0 .5rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.total{font-size:1.15rem;font-weight:700}
.box{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:.8rem;margin:.8rem 0}
.alert{border-left:5px solid #c62828;background:#fdecea}
.notes{border-left:5px solid #8a6d00;background:#fff8e1}
table.q{border-collapse:collapse;width:100%;background:#fff}
table.q th,table.q td{border:1px solid #d0d4da;padding:.35rem .5rem;text-align:left;vertical-align:top}
.passed{color:#1b5e20}.failed{color:#b71c1c}.manual{color:#8a6d00}
.cell{background:#fff;border:1px solid #e0e3e7;border-radius:6px;padding:.5rem .7rem;margin:.6rem 0;
overflow-wrap:anywhere}
.cell.test{border-left:5px solid #607d8b}
.cell.test.ok{border-left-color:#2e7d32}.cell.test.bad{border-left-color:#c62828}
.tag{font-size:.8rem;color:#555;font-weight:600;text-transform:uppercase;letter-spacing:.03em}
pre{margin:.4rem 0;padding:.5rem;background:#f3f4f6;border-radius:4px;overflow-x:auto;font-size:.85rem;
font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre}
pre.src{background:#eef2f7;white-space:pre-wrap;overflow-wrap:anywhere}
pre.out{background:#fafafa;border:1px solid #eceff1}
pre.err{background:#fdecea;border-color:#f5c6c0}
pre.msg{white-space:pre-wrap;background:#fdecea}
pre.md{white-space:pre-wrap}
.score{font-weight:600}
.sofar{font-size:.85rem;font-weight:400;display:block}
.why{font-size:.85rem;font-weight:600;margin:.4rem 0 0}
.note{color:#555;font-size:.9rem;margin:.3rem 0}
.comment{border-left:4px solid #1565c0;background:#e8f0fe;padding:.4rem .6rem;margin:.4rem 0;white-space:pre-wrap}
img{max-width:100%;height:auto}
.md{overflow-x:auto}.md table{border-collapse:collapse}.md td,.md th{border:1px solid #d0d4da;padding:.2rem .4rem}
"""

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def status_class(status: str) -> str:
    return {"passed": "passed", "failed": "failed"}.get(status, "manual")


def anchor(gid: str) -> str:
    return "cell-" + re.sub(r"[^A-Za-z0-9_-]", "-", gid)
