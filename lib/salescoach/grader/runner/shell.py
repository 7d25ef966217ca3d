"""The IPython shell that runs a notebook's cells in a student process, and the capture of their outputs.

One :class:`IPython.core.interactiveshell.InteractiveShell` per worker, made before the fork, with its
display hook, display publisher and traceback display writing into :data:`CAPTURE` instead of a
terminal or a Jupyter kernel's channels.  ``sys.stdout`` and ``sys.stderr`` become :class:`Stream` objects
writing there too.  What a cell leaves in :data:`CAPTURE` is the list of its nbformat outputs.
"""
from __future__ import annotations

import linecache
import re
import sys
import traceback
from typing import Any

from IPython.core.display_trap import DisplayTrap
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.inputtransformer2 import TransformerManager
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

#: characters without which IPython's token transforms find nothing to change: %magic, !shell, obj?, and the
#: autocall escapes , ; / at the start of a line
IPYTHON_SYNTAX = re.compile(r"[%!?]|^[ \t]*[,;/]", re.MULTILINE)
#: modules IPython and pandas import lazily the first time a cell runs, shows a traceback or displays a
#: table (measured with IPython 8 / pandas 2): imported before the fork instead of in every student process
FIRST_CELL_IMPORTS = ("IPython.core.logger", "bdb", "pygments.console", "pygments.formatters.terminal256",
                      "pandas.io.formats.html", "pandas.io.formats.string")


_CELL_NAME = re.compile(r"<ipython-input-(\d+)-[0-9a-f]+>")
_QUOTED_CELL = re.compile(r'File "<ipython-input-(\d+)-[0-9a-f]+>"')


def safe_str(value: Any) -> str:
    """``str(value)``, or a placeholder when the student's object cannot be turned into text."""
    try:
        return str(value)
    except Exception:  # a student's exception whose __str__ itself fails
        return f"<{type(value).__name__}: message could not be shown>"


def _where(filename: str, lineno: int | None, name: str) -> str:
    cell = _CELL_NAME.fullmatch(filename)
    place = f"Cell In[{cell.group(1)}]" if cell else f'File "{filename}"'
    return f"  {place}, line {lineno}" + ("" if name == "<module>" else f", in {name}")


def compact_traceback(etype: type[BaseException], value: BaseException, tb: Any) -> list[str]:
    """A short traceback: the frames of the notebook's own cells, the line that failed, and the exception.

    IPython's own traceback formatting (source context for every frame, syntax highlighting) costs more CPU
    than most cells of an exercise; what a trainer or student needs from it is where in their cells the error
    came from, the failing line and the exception, so frames inside libraries are left out except the last.
    """
    lines: list[str] = []
    frames = list(traceback.walk_tb(tb)) if tb is not None else []
    shown = {i for i, (frame, _) in enumerate(frames) if _CELL_NAME.fullmatch(frame.f_code.co_filename)}
    if frames:
        shown.add(len(frames) - 1)
    if shown:
        lines.append("Traceback (most recent call last):")
        previous = min(shown) - 1
        for i in sorted(shown):
            frame, lineno = frames[i]
            if i > previous + 1:
                lines.append("  ...")
            filename = frame.f_code.co_filename
            lines.append(_where(filename, lineno, frame.f_code.co_name))
            source = linecache.getline(filename, lineno).strip()
            if source:
                lines.append(f"    {source}")
            previous = i
    for line in traceback.format_exception_only(etype, value):
        lines.append(_QUOTED_CELL.sub(lambda m: f"Cell In[{m.group(1)}]", line.rstrip("\n")))
    return ["\n".join(lines)]


class Capture:
    """Collects one cell's outputs; sys.stdout/sys.stderr write here."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.pending: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.order: list[str] = []

    def reset(self) -> None:
        self.outputs, self.pending, self.order = [], {"stdout": [], "stderr": []}, []

    def write(self, name: str, text: str) -> None:
        if not self.order or self.order[-1] != name:
            self.flush_streams()
            self.order.append(name)
        self.pending[name].append(text)

    def flush_streams(self) -> None:
        for name in self.order:
            text = "".join(self.pending[name])
            if text:
                self.outputs.append({"output_type": "stream", "name": name, "text": text})
            self.pending[name] = []
        self.order = []

    def take(self) -> list[dict]:
        self.flush_streams()
        out, self.outputs = self.outputs, []
        return out


CAPTURE = Capture()


class Stream:
    """A text stream (``sys.stdout`` or ``sys.stderr``) that writes into :data:`CAPTURE`."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: Any) -> int:
        text = text if isinstance(text, str) else safe_str(text)
        CAPTURE.write(self.name, text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2

    @property
    def closed(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        CAPTURE.flush_streams()
        CAPTURE.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata or {}})

    def clear_output(self, wait=False):
        CAPTURE.flush_streams()
        CAPTURE.outputs.clear()

class _DisplayHook(DisplayHook):
    def start_displayhook(self):
        CAPTURE.flush_streams()

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        CAPTURE.outputs.append({"output_type": "execute_result", "data": format_dict,
                                "metadata": md_dict or {}, "execution_count": self.prompt_count})

    def finish_displayhook(self):
        pass

class _Transformer(TransformerManager):
    def do_token_transforms(self, lines):
        # IPython re-tokenizes every cell (in pure Python) to look for its own syntax (%magic, !shell,
        # obj?, ,autocall); a cell with none of those characters comes back unchanged, so skip the work
        if not IPYTHON_SYNTAX.search("".join(lines)):
            return lines
        return super().do_token_transforms(lines)

class GradingShell(InteractiveShell):
    def should_run_async(self, raw_cell, *, transformed_cell=None, preprocessing_exc_tuple=None):
        # IPython compiles every cell once more to look for top-level await; without the words await
        # or async there can be none
        if isinstance(transformed_cell, str) and "await" not in transformed_cell and "async" not in transformed_cell:
            return False
        return super().should_run_async(raw_cell, transformed_cell=transformed_cell,
                                        preprocessing_exc_tuple=preprocessing_exc_tuple)

    def showtraceback(self, exc_tuple=None, filename=None, tb_offset=None, exception_only=False,
                      running_compiled_code=False):
        etype, value, tb = exc_tuple if exc_tuple is not None else sys.exc_info()
        if etype is None:
            return
        if issubclass(etype, SyntaxError):
            self.showsyntaxerror(filename, running_compiled_code)
            return
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
        self._showtraceback(etype, value, compact_traceback(etype, value, None if exception_only else tb))

    def showsyntaxerror(self, filename=None, running_compiled_code=False):
        etype, value, tb = sys.exc_info()
        if etype is None:
            return
        if filename and issubclass(etype, SyntaxError):
            try:
                value.filename = filename
            except AttributeError:
                pass
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
        self._showtraceback(etype, value, compact_traceback(etype, value, tb if running_compiled_code else None))

    def _showtraceback(self, etype, evalue, stb):  # IPython's documented hook: where a traceback is shown
        CAPTURE.flush_streams()
        CAPTURE.outputs.append({"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                                "evalue": safe_str(evalue), "traceback": list(stb)})

    def init_displayhook(self):
        self.displayhook = _DisplayHook(shell=self, cache_size=self.cache_size)
        self.configurables.append(self.displayhook)
        self.display_trap = DisplayTrap(hook=self.displayhook)

    def init_display_pub(self):
        self.display_pub = _Publisher(shell=self, parent=self)
        self.configurables.append(self.display_pub)

    def init_io(self):
        pass

    def enable_gui(self, gui=None):  # inline figures need no event loop
        pass


def make_shell() -> GradingShell:
    """The worker's IPython shell (inline matplotlib, plain tracebacks, no history), outputs into CAPTURE."""
    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "NoColor"
    cfg.InteractiveShell.xmode = "Plain"
    shell = GradingShell.instance(config=cfg)
    shell.input_transformer_manager = _Transformer()
    shell.enable_matplotlib("inline")
    return shell
