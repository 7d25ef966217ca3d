"""Keep test cells honest: undo what earlier student cells did to the code the tests rely on.

A student's cells run in the same Python process as the test cells that
follow them (that is how nbgrader grades, and the kit keeps its scores).  So
before every test cell the grader puts back, from a snapshot taken before any
student code ran:

* ``builtins`` (``len``, ``print``, ``isinstance``, ``__import__``, ...);
* every attribute of the protected modules (``salescoach``, ``pandas``,
  ``numpy``, the standard library modules the tests use, IPython) and of the
  classes they define, including the functions inside numpy's dispatchers:
  a function's ``__code__`` (swaps are reported by an audit hook, which a
  student cannot remove) and its default arguments (so
  ``pd.Series.equals = lambda *a: True``, ``check.__code__ = ...`` or
  ``np.allclose._implementation.__defaults__ = (1e9, 1e9, False)`` is
  undone), and the modules' entries in ``sys.modules``;
* the IPython shell's input transformers, AST transformers, compiler,
  display hooks, custom exception handlers and event callbacks (so a
  transformer that strips ``assert`` statements is removed), plus
  ``sys.settrace``/``sys.setprofile`` hooks and import hooks;
* the names that locked (instructor) cells bound to modules, functions and
  classes, e.g. ``check``, ``pd``, ``load`` (so ``check = lambda *a, **k: True``
  is undone).

Every undo is reported as a note for the trainer.  Student-defined answer
objects (``__eq__`` that always says True) fail the checks' own type tests:
a number must be a real number, and the hidden tests insist on exact types
(``type(result) is pd.Series``).  What this cannot stop: code that attacks
the grader's own process memory (``ctypes``), reaches the interpreter's
objects through ``gc``, or starts a thread that patches things again while a
test cell runs.  The sandbox keeps such code from touching anything outside
its scratch folder, and a module's private names (its running state) are not
restored.
"""
from __future__ import annotations

import operator
import sys
import types
from typing import Any

PROTECTED_PREFIXES = (
    "salescoach", "pandas", "numpy", "IPython", "builtins", "math", "operator", "functools", "collections",
    "warnings", "re", "json", "copy", "inspect", "traceback", "linecache", "abc", "numbers", "decimal",
    "fractions", "statistics", "datetime", "io", "textwrap", "contextlib", "importlib", "typing",
    "dataclasses", "enum", "matplotlib_inline",
)

_SHELL_ATTRS = (
    "input_transformers_cleanup", "input_transformers_post", "ast_transformers", "input_transformer_manager",
    "compile", "custom_exceptions", "CustomTB", "displayhook", "display_pub", "display_formatter",
    "InteractiveTB", "SyntaxTB", "builtin_trap", "display_trap", "user_ns_hidden",
)
_MISSING = object()


def _protected(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in PROTECTED_PREFIXES)


def _watch_code_swaps() -> Any:
    """Report every ``function.__code__`` assignment from now on, through an audit hook.

    CPython raises the audit event ``object.__setattr__`` for it, and an audit
    hook cannot be removed, so checking ~10,000 functions before each test
    cell becomes checking the few that were touched.  The record lives in the
    hook's closure, out of reach of a name a student could clear.
    """
    seen: list[Any] = []

    def hook(event: str, args: tuple) -> None:
        if event == "object.__setattr__" and len(args) > 1 and args[1] == "__code__":
            seen.append(id(args[0]))

    sys.addaudithook(hook)

    def swapped() -> set[int]:
        out = set(seen)
        seen.clear()
        return out

    return swapped


class _Dict:
    """Identity snapshot of one namespace (a module's or a class's ``__dict__``)."""

    __slots__ = ("owner", "live", "keys", "values", "label", "module")

    def __init__(self, owner: Any, live: Any, label: str, module: str) -> None:
        self.owner, self.live, self.label, self.module = owner, live, label, module
        self.keys = tuple(live.keys())
        self.values = tuple(live.values())

    def changed(self) -> bool:
        live = self.live
        return len(live) != len(self.values) or not all(map(operator.is_, self.values, live.values()))


class Guard:
    """Snapshot of the trusted state, taken once before any student code runs.

    Checking is done with identity comparisons at C speed (``map(operator.is_, ...)``),
    so a check costs a few milliseconds even with all of pandas and numpy protected.
    """

    QUICK_MODULES = ("builtins", "json", "os", "posix", "select", "time", "struct", "signal", "resource",
                     "linecache", "salescoach.grader.harness", "salescoach.grader.guard", "operator")

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.dicts: list[_Dict] = []
        self.sys_modules: list[tuple[str, types.ModuleType]] = []
        funcs: dict[int, types.FunctionType] = {}
        seen_cls: set[int] = set()
        for name, mod in list(sys.modules.items()):
            if not isinstance(mod, types.ModuleType) or not (_protected(name) or name in self.QUICK_MODULES):
                continue
            self.sys_modules.append((name, mod))
            self.dicts.append(_Dict(mod, mod.__dict__, name, name))
            for value in list(mod.__dict__.values()):
                if isinstance(value, type) and id(value) not in seen_cls and getattr(value, "__module__", "") == name:
                    seen_cls.add(id(value))
                    self.dicts.append(_Dict(value, value.__dict__, f"{name}.{value.__qualname__}", name))
                    for attr in list(value.__dict__.values()):
                        fn = getattr(attr, "__func__", attr)
                        if isinstance(fn, types.FunctionType):
                            funcs.setdefault(id(fn), fn)
                elif isinstance(value, types.FunctionType):
                    funcs.setdefault(id(value), value)
                else:  # numpy's dispatchers and functools.wraps wrappers run a function kept inside them
                    for inner in (getattr(value, "_implementation", None), getattr(value, "__wrapped__", None)):
                        if isinstance(inner, types.FunctionType):
                            funcs.setdefault(id(inner), inner)
        self.quick = [d for d in self.dicts if d.module in self.QUICK_MODULES]
        self.funcs = tuple(funcs.values())
        self.codes = tuple(f.__code__ for f in self.funcs)
        self._swapped = _watch_code_swaps()
        # a function without default arguments gains nothing from getting some: only the others are checked
        self.with_defaults = tuple(f for f in self.funcs if f.__defaults__ is not None or f.__kwdefaults__ is not None)
        self.defaults = tuple(f.__defaults__ for f in self.with_defaults)
        self.kwdefaults = tuple(f.__kwdefaults__ for f in self.with_defaults)

        self.shell_attrs = {a: getattr(shell, a, _MISSING) for a in _SHELL_ATTRS}
        self.shell_lists = {a: list(getattr(shell, a)) for a in
                            ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")}
        itm = shell.input_transformer_manager
        self.itm_lists = {a: list(getattr(itm, a)) for a in ("cleanup_transforms", "line_transforms",
                                                            "token_transformers") if hasattr(itm, a)}
        self.events = {k: list(v) for k, v in shell.events.callbacks.items()}
        self.shell_dict_keys = set(shell.__dict__)
        self.sys_hooks = {"meta_path": list(sys.meta_path), "path_hooks": list(sys.path_hooks),
                          "path": list(sys.path)}
        self.locked_names: dict[str, Any] = {}

    # ------------------------------------------------------------------ locked names
    def remember_locked(self, user_ns: dict, before: dict) -> None:
        """After a locked cell ran: remember the modules, functions and classes it bound."""
        for name, value in user_ns.items():
            if before.get(name, _MISSING) is value or name.startswith("_"):
                continue
            if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
                self.locked_names[name] = value

    # ------------------------------------------------------------------ restore
    def restore_quick(self) -> list[str]:
        """After a student cell: put back builtins and the few modules the grader itself runs on."""
        notes: list[str] = []
        for d in self.quick:
            if d.changed():
                self._restore(d, notes)
        return notes

    def restore(self) -> list[str]:
        """Before a test cell: put every protected object back; one line per thing that had been changed."""
        notes: list[str] = []
        sys.settrace(None)
        sys.setprofile(None)
        try:
            import threading

            threading.settrace(None)  # type: ignore[arg-type]
            threading.setprofile(None)  # type: ignore[arg-type]
        except Exception:  # pragma: no cover
            pass
        for name, mod in self.sys_modules:
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
                notes.append(f"sys.modules[{name!r}] was replaced")
        for d in self.dicts:
            if d.changed():
                self._restore(d, notes)
        get = operator.attrgetter
        swapped = self._swapped()
        if swapped:
            for fn, code in zip(self.funcs, self.codes):
                if id(fn) in swapped and fn.__code__ is not code:
                    fn.__code__ = code
                    notes.append(f"the code of {fn.__module__}.{fn.__qualname__} was swapped")
            self._swapped()  # our own repairs were reported too
        wd = self.with_defaults
        if not (all(map(operator.is_, self.defaults, map(get("__defaults__"), wd)))
                and all(map(operator.is_, self.kwdefaults, map(get("__kwdefaults__"), wd)))):
            for fn, dflt, kw in zip(wd, self.defaults, self.kwdefaults):
                if fn.__defaults__ is not dflt or fn.__kwdefaults__ is not kw:
                    fn.__defaults__, fn.__kwdefaults__ = dflt, kw
                    notes.append(f"the default arguments of {fn.__module__}.{fn.__qualname__} were changed")
        self._restore_shell(notes)
        for key, saved in self.sys_hooks.items():
            current = getattr(sys, key)
            if len(current) != len(saved) or not all(map(operator.is_, current, saved)):
                current[:] = saved
                notes.append(f"sys.{key} was changed")
        ns = self.shell.user_ns
        for name, value in self.locked_names.items():
            if ns.get(name, _MISSING) is not value:
                ns[name] = value
                notes.append(f"the name {name!r} from a locked cell was rebound")
        return notes

    @staticmethod
    def _restore(d: _Dict, notes: list[str]) -> None:
        live, snap = d.live, dict(zip(d.keys, d.values))
        is_class = isinstance(d.owner, type)
        # A module's private names are its own running state (caches, the current exercise, ...) and a new
        # attribute that is a submodule is just an import; only classes and builtins are guarded completely.
        whole = is_class or d.label == "builtins"
        for k, v in snap.items():
            if live.get(k, _MISSING) is not v and (whole or not k.startswith("_")):
                try:
                    if is_class:
                        setattr(d.owner, k, v)
                    else:
                        live[k] = v
                except (AttributeError, TypeError):  # pragma: no cover - read-only slot
                    continue
                notes.append(f"{d.label}.{k} was changed")
        for k in [k for k in list(live) if k not in snap]:
            if not whole and (k.startswith("_") or isinstance(live[k], types.ModuleType)):
                continue
            try:
                if is_class:
                    delattr(d.owner, k)
                else:
                    del live[k]
            except (AttributeError, TypeError, KeyError):  # pragma: no cover
                continue
            notes.append(f"{d.label}.{k} was added")

    def _restore_shell(self, notes: list[str]) -> None:
        shell = self.shell
        for attr, value in self.shell_attrs.items():
            if value is not _MISSING and getattr(shell, attr, _MISSING) is not value:
                setattr(shell, attr, value)
                notes.append(f"the IPython shell's {attr} was replaced")
        for attr, saved in self.shell_lists.items():
            current = getattr(shell, attr)
            if current != saved:
                current[:] = saved
                notes.append(f"the IPython shell's {attr} were changed")
        itm = shell.input_transformer_manager
        for attr, saved in self.itm_lists.items():
            current = getattr(itm, attr)
            if current != saved:
                current[:] = saved
                notes.append(f"IPython's input transformer {attr} were changed")
        for event, saved in self.events.items():
            current = shell.events.callbacks.get(event)
            if current != saved:
                shell.events.callbacks[event] = list(saved)
                notes.append(f"IPython {event!r} event callbacks were changed")
        for key in [k for k in shell.__dict__ if k not in self.shell_dict_keys]:
            if callable(shell.__dict__[key]) and hasattr(type(shell), key):
                del shell.__dict__[key]
                notes.append(f"the IPython shell's method {key} was overridden")
        sys.displayhook = shell.displayhook
