"""The kit's datasets: ``load(name)`` returns a validated DataFrame.

One file per dataset family (``territory.py``, ``cdnow.py`` ...) declares its
datasets with the schema engine of :mod:`salescoach.datasets.schema` in a
module-level tuple ``DATASETS`` and, for synthetic data, a seeded generator.
This package finds the families by itself: adding a family means adding a
file here, nothing else.  Every dataset is described for people in
``datasets/README.md`` (its data card).

    from salescoach.datasets import load
    territory = load("territory")                       # the shipped file, validated
    mine = load("territory", path="my_territory.csv")   # a trainer's own file, same checks
"""
from __future__ import annotations

import importlib
import pickle
import pkgutil
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..files import atomic_path
from ..paths import datasets_dir
from .schema import Column, Dataset, DataValidationError, RowRule, read_raw
from .schema import validate as validate_frame

__all__ = ["load", "validate", "dataset_names", "path_of", "spec", "write_datasets", "registry",
           "Column", "Dataset", "DataValidationError", "RowRule"]

_NOT_FAMILIES = {"schema"}


@lru_cache(maxsize=1)
def registry() -> dict[str, Dataset]:
    """Every dataset of every family, by name (families in file-name order)."""
    found: dict[str, Dataset] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in _NOT_FAMILIES:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for ds in getattr(module, "DATASETS", ()):
            if ds.name in found:
                raise RuntimeError(f"dataset {ds.name!r} is declared twice (datasets/{info.name}.py and another "
                                   "family); give each dataset its own name")
            found[ds.name] = ds
    return found


def dataset_names() -> list[str]:
    return list(registry())


def spec(name: str) -> Dataset:
    """The schema of dataset ``name``; ValueError listing the known names for an unknown one."""
    try:
        return registry()[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r}; available: {', '.join(registry())}") from None


def path_of(name: str, root: Path | None = None) -> Path:
    return datasets_dir(root) / spec(name).file


def validate(name: str | Dataset, raw: pd.DataFrame, file: Path | str = "<data>") -> pd.DataFrame:
    """Type-convert and check ``raw`` (text columns) against dataset ``name``'s schema; the typed frame."""
    return validate_frame(spec(name) if isinstance(name, str) else name, raw, file)


def load(name: str, path: str | Path | None = None, root: Path | None = None) -> pd.DataFrame:
    """Load dataset ``name`` (see ``dataset_names()``) and validate it against its schema.

    ``path`` reads another file with the same schema (a trainer's own
    territory, say).  Raises FileNotFoundError for a missing file and
    DataValidationError for anything that breaks the schema.
    """
    spec(name)  # an unknown name is reported before anything else
    file = Path(path) if path is not None else path_of(name, root)
    if not file.is_file():
        raise FileNotFoundError(
            f"{file}: dataset '{name}' not found. Fix: run `salescoach data` to regenerate the synthetic "
            "datasets, or restore the file from git (`git checkout -- datasets/`)"
        )
    stat = file.stat()
    # a fresh frame for every caller, so nobody (a student's cell included) can change what the next caller gets
    return pickle.loads(_validated(name, str(file.resolve()), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=16)
def _validated(name: str, file: str, mtime_ns: int, size: int) -> bytes:  # noqa: ARG001 - the cache key
    """The validated frame of one version of a file, pickled.

    Cached by (dataset, file, modification time, size): a notebook that loads the same file several times,
    and the grader, which loads it for every submission, parse and check it once.  The cache holds bytes,
    which no code can change in place, inside ``lru_cache``, which Python code cannot reach into.
    """
    ds = spec(name)
    raw = read_raw(ds, Path(file))
    try:
        frame = validate_frame(ds, raw, Path(file))
    except DataValidationError as exc:
        raise exc.with_first_line(2 if ds.header else 1) from None
    return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)


def write_datasets(root: Path | None = None, names: Iterable[str] | None = None) -> list[Path]:
    """Regenerate every synthetic dataset (or only ``names``) into ``datasets/``; each is validated before it
    replaces the old file."""
    wanted = None if names is None else {spec(n).name for n in names}
    out = []
    for name, ds in registry().items():
        if ds.generator is None or (wanted is not None and name not in wanted):
            continue
        frame = ds.generator()
        validate_frame(ds, frame.astype(str).replace({"nan": "", "NaT": "", "<NA>": "", "None": ""}),
                       f"generated {name}")
        path = datasets_dir(root) / ds.file
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, index=False, lineterminator="\n")
        out.append(path)
    return out
