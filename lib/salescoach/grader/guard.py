"""Keep test cells honest: undo what earlier student cells did to the code the tests rely on.

A student's cells run in the same Python process as the test cells that
follow them (that is how nbgrader grades, and the kit keeps its scores).  So
before every test cell the grader puts back, from a snapshot taken before any
student code ran:

* ``builtins`` (``len``, ``print``, ``isinstance``, ``__import__``, ...);
* every public attribute of the protected modules (``salescoach``,
  ``pandas``, ``numpy``, the standard library modules the tests use,
  IPython), their private functions and classes (``_close`` in a checks
  module, say), every attribute of the classes they define, and the
  functions inside numpy's dispatchers:
  a function's ``__code__`` (swaps are reported by an audit hook, which a
  student cannot remove) and its default arguments (so
  ``pd.Series.equals = lambda *a: True``, ``check.__code__ = ...`` or
  ``np.allclose._implementation.__defaults__ = (1e9, 1e9, False)`` is
  undone), and the modules' entries in ``sys.modules``;
* the IPython shell's input transformers, AST transformers, compiler,
  display hooks, custom exception handlers and event callbacks (so a
  transformer that strips ``assert`` statements is removed), plus
  ``sys.settrace``/``sys.setprofile`` hooks and import hooks;
* the self-check registry: which exercises have checks, and each exercise's
  questions (a question is a tuple, so its ``run`` function cannot be swapped);
* the names that locked (instructor) cells bound to modules, functions and
  classes, e.g. ``check``, ``pd``, ``load`` (so ``check = lambda *a, **k: True``
  is undone).

Every undo is reported as a note for the trainer.  Student-defined answer
objects (``__eq__`` that always says True) fail the checks' own type tests:
a number must be a real number, and the hidden tests insist on exact types
(``type(result) is pd.Series``).  What this cannot stop: code that attacks
the student process's own memory (``ctypes``), reaches the guard itself
through ``gc`` or the stack frames of the grader's functions, or starts a
thread that patches things again (or answers for the process) while a test
cell runs: the test cells run in the student's own process, as with
nbgrader.  Such code can only change its own notebook's result: the student
process has no way to any other process, file or channel of the grader (see
:mod:`salescoach.grader.runner.isolation`), and a reply it forges on its own
socket fails its submission (:mod:`salescoach.grader.runner.jobs`).  A module's
private data (its running state, caches) is not restored, so the kit's own
caches hold what no Python code can change in place: ``data.load`` and the
checks keep pickled bytes inside ``functools.lru_cache`` and hand out fresh
frames.

Hidden tests are not in a student process's memory before they run: see
:mod:`salescoach.grader.runner.forks` (the zygote) for how and for the limit.

Speed: a restore runs before every test cell of every submission, in a
freshly forked process, so it must neither walk ~40,000 namespace entries
nor touch them (touching an object's reference count copies its memory page
in the fork).  On CPython the guard reads each protected dict's private
version number (PEP 509: it changes on every write to the dict) and compares
entries only in the dicts whose number moved; function attributes are
reported by the audit hook.  Where the version number cannot be read (another
Python), every dict is compared entry by entry, as fast as C allows.
"""
from __future__ import annotations

import operator
import sys
import types
from typing import Any

from .plan import BASE_PROTECTED

_SHELL_ATTRS = (
    "input_transformers_cleanup", "input_transformers_post", "ast_transformers", "input_transformer_manager",
    "compile", "custom_exceptions", "CustomTB", "displayhook", "display_pub", "display_formatter",
    "InteractiveTB", "SyntaxTB", "builtin_trap", "display_trap", "user_ns_hidden",
)
_MISSING = object()
#: what compiled libraries add to ``builtins`` by design when first imported (pybind11 keeps its shared state
#: there, e.g. under ``__pybind11_internals_v4_gcc_libstdcpp_cxxabi1014__``): kept, and no note
_LIBRARY_BUILTINS = ("__pybind11_internals_v",)
_VALUE = operator.attrgetter("value")


def _protected(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


_FUNCTION_ATTRS = frozenset({"__code__", "__defaults__", "__kwdefaults__"})


def _watch_function_changes() -> Any:
    """Report every assignment to a function's ``__code__``, ``__defaults__`` or ``__kwdefaults__`` from now on.

    CPython raises the audit event ``object.__setattr__`` for each of them,
    and an audit hook cannot be removed, so checking ~10,000 functions before
    each test cell becomes checking the few that were touched.  The record
    lives in the hook's closure, out of reach of a name a student could clear.
    """
    seen: list[int] = []

    def hook(event: str, args: tuple) -> None:
        if event == "object.__setattr__" and len(args) > 1 and args[1] in _FUNCTION_ATTRS:
            seen.append(id(args[0]))

    sys.addaudithook(hook)

    def touched() -> set[int]:
        out = set(seen)
        seen.clear()
        return out

    return touched


_VERSION_OFFSET = 3 * 8  # PyDictObject: ob_refcnt, ob_type, ma_used, then ma_version_tag (CPython 3.6-3.13)


def _version_readers(dicts: list[dict]) -> list[Any] | None:
    """One reader per dict of its private version number (PEP 509), or None where that cannot be done safely.

    Reading the number copies no memory page and runs no Python code of the
    dict's.  The layout is CPython's own, so it is proven on sample dicts
    first: the number must stay put while a dict is only read and change on
    every kind of write (new key, new value for a key, deletion).
    """
    if sys.implementation.name != "cpython" or not (3, 6) <= sys.version_info[:2] <= (3, 13):
        return None
    try:
        import ctypes

        def reader(d: dict) -> Any:
            return ctypes.c_uint64.from_address(id(d) + _VERSION_OFFSET)

        probe: dict[str, Any] = {"a": 1}
        r = reader(probe)
        seen = [r.value]
        _ = probe["a"], list(probe.items()), len(probe)
        if r.value != seen[0]:
            return None
        for write in (lambda: probe.__setitem__("b", 2), lambda: probe.__setitem__("a", 3),
                      lambda: probe.__delitem__("b"), lambda: probe.update(a=4)):
            write()
            if r.value in seen:
                return None
            seen.append(r.value)
        return [reader(d) for d in dicts]
    except Exception:  # pragma: no cover - no ctypes, or a layout that fails the proof: compare entries instead
        return None


def _backing_dict(owner: Any) -> dict:
    """The writable dict behind a module's ``__dict__`` or a class's read-only mappingproxy."""
    ns = owner.__dict__
    if isinstance(ns, dict):
        return ns
    import gc

    inner = [r for r in gc.get_referents(ns) if isinstance(r, dict)]
    if len(inner) != 1:  # pragma: no cover - a mappingproxy always wraps exactly one mapping
        raise TypeError(f"cannot find the namespace of {owner!r}")
    return inner[0]


class _Dict:
    """Identity snapshot of one namespace: a module's or a class's ``__dict__``, or the self-check registry.

    ``kind`` says what is put back: ``"module"``: public names, and private
    names that held functions, classes or modules (a private value is the
    module's running state, a cache say, and a new submodule attribute is just
    an import); ``"whole"`` (classes, builtins, the questions of an exercise):
    every entry, and additions are removed; ``"entries"`` (the registry of
    exercises): the snapshot's entries, while an exercise loaded later stays.
    """

    __slots__ = ("owner", "live", "backing", "keys", "values", "label", "module", "kind")

    def __init__(self, owner: Any, live: Any, label: str, module: str, *, kind: str = "module",
                 backing: dict | None = None) -> None:
        self.owner, self.live, self.label, self.module, self.kind = owner, live, label, module, kind
        self.backing = backing if backing is not None else _backing_dict(owner)
        self.keys = tuple(live.keys())
        self.values = tuple(live.values())

    def changed(self) -> bool:
        live = self.live
        return len(live) != len(self.values) or not all(map(operator.is_, self.values, live.values()))


def _is_code(value: Any) -> bool:
    """Functions, classes and modules: what a module's private name must keep, unlike its running state."""
    return isinstance(value, types.ModuleType) or callable(value)


class Guard:
    """Snapshot of the trusted state, taken once before any student code runs.

    Checking is done with identity comparisons at C speed (``map(operator.is_, ...)``),
    so a check costs a few milliseconds even with all of pandas and numpy protected.
    """

    #: modules the grader itself runs on between cells: put back after every student cell
    QUICK_MODULES = ("builtins", "json", "os", "posix", "select", "time", "struct", "signal", "resource",
                     "linecache", "operator", "salescoach.grader.guard", "salescoach.grader.runner.framing",
                     "salescoach.grader.runner.shell", "salescoach.grader.runner.student",
                     "salescoach.grader.runner.forks")

    def __init__(self, shell: Any, use_versions: bool = True, prefixes: tuple[str, ...] = BASE_PROTECTED) -> None:
        self.shell = shell
        self.dicts: list[_Dict] = []
        self.sys_modules: list[tuple[str, types.ModuleType]] = []
        funcs: dict[int, types.FunctionType] = {}
        seen_cls: set[int] = set()
        for name, mod in list(sys.modules.items()):
            if not isinstance(mod, types.ModuleType) or not (_protected(name, prefixes) or name in self.QUICK_MODULES):
                continue
            self.sys_modules.append((name, mod))
            kind = "whole" if name == "builtins" else "module"
            self.dicts.append(_Dict(mod, mod.__dict__, name, name, kind=kind, backing=mod.__dict__))
            for value in list(mod.__dict__.values()):
                if isinstance(value, type) and id(value) not in seen_cls and getattr(value, "__module__", "") == name:
                    seen_cls.add(id(value))
                    self.dicts.append(_Dict(value, value.__dict__, f"{name}.{value.__qualname__}", name, kind="whole"))
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
        engine = sys.modules.get("salescoach.selfcheck.engine")
        tables = engine.protected_state() if engine is not None else []
        if tables:  # the checks the test cells call: which exercises, and their questions
            label = "the self-check registry"
            registry, modules, *per_exercise = tables
            self.dicts.append(_Dict(registry, registry, label, engine.__name__, kind="entries", backing=registry))
            self.dicts.append(_Dict(modules, modules, "the self-check module index", engine.__name__, kind="whole",
                                    backing=modules))
            for exercise, questions in zip(list(registry), per_exercise):
                self.dicts.append(_Dict(questions, questions, f"{label}[{exercise!r}]", engine.__name__,
                                        kind="whole", backing=questions))
        self.quick = [i for i, d in enumerate(self.dicts) if d.module in self.QUICK_MODULES]
        self.funcs = {id(f): (f, f.__code__, f.__defaults__, f.__kwdefaults__) for f in funcs.values()}
        self._touched = _watch_function_changes()
        # fast path: the dicts' version numbers, read all at once; None means compare every entry
        targets = [d.backing for d in self.dicts] + [sys.modules]
        self.readers = _version_readers(targets) if use_versions else None
        self.versions = self._read_versions()

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
    def _read_versions(self) -> list[int] | None:
        return list(map(_VALUE, self.readers)) if self.readers is not None else None

    def restore_quick(self) -> list[str]:
        """After a student cell: put back builtins and the few modules the grader itself runs on."""
        notes: list[str] = []
        dicts, readers, versions = self.dicts, self.readers, self.versions
        if versions is None:
            for i in self.quick:
                if dicts[i].changed():
                    self._restore(dicts[i], notes)
            return notes
        for i in self.quick:
            if readers[i].value != versions[i]:
                if dicts[i].changed():
                    self._restore(dicts[i], notes)
                versions[i] = readers[i].value  # compared (and put back): this is the reference now
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
        versions = self.versions
        if versions is None or self.readers[-1].value != versions[-1]:  # sys.modules was written to
            for name, mod in self.sys_modules:
                if sys.modules.get(name) is not mod:
                    sys.modules[name] = mod
                    notes.append(f"sys.modules[{name!r}] was replaced")
        if versions is None:
            changed = [d for d in self.dicts if d.changed()]
        else:
            now = self._read_versions()  # the last one is sys.modules', checked above
            changed = [] if now[:-1] == versions[:-1] else [d for d, a, b in zip(self.dicts, now, versions)
                                                            if a != b and d.changed()]
        for d in changed:
            self._restore(d, notes)
        for key in self._touched():
            fn, code, dflt, kw = self.funcs.get(key, (None, None, None, None))
            if fn is None:
                continue
            if fn.__code__ is not code:
                fn.__code__ = code
                notes.append(f"the code of {fn.__module__}.{fn.__qualname__} was swapped")
            if fn.__defaults__ is not dflt or fn.__kwdefaults__ is not kw:
                fn.__defaults__, fn.__kwdefaults__ = dflt, kw
                notes.append(f"the default arguments of {fn.__module__}.{fn.__qualname__} were changed")
        self._touched()  # our own repairs were reported too
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
        if versions is not None:  # every dict was compared (and put back): these are the reference now
            self.versions = self._read_versions()
        return notes

    @staticmethod
    def _restore(d: _Dict, notes: list[str]) -> None:
        live, snap, kind = d.live, dict(zip(d.keys, d.values)), d.kind
        is_class = isinstance(d.owner, type)
        for k, v in snap.items():
            if live.get(k, _MISSING) is not v and (kind != "module" or not k.startswith("_") or _is_code(v)):
                try:
                    if is_class:
                        setattr(d.owner, k, v)
                    else:
                        live[k] = v
                except (AttributeError, TypeError):  # pragma: no cover - read-only slot
                    continue
                notes.append(f"{d.label}.{k} was changed" if kind != "entries" else f"{d.label}[{k!r}] was changed")
        if kind == "entries":
            return
        for k in [k for k in list(live) if k not in snap]:
            if kind == "module" and (k.startswith("_") or isinstance(live[k], types.ModuleType)):
                continue
            if d.label == "builtins" and k.startswith(_LIBRARY_BUILTINS):
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
