"""A light word model for the question classifier: logistic regression over words and characters.

:mod:`.classifier` reads cues by hand-written rules; this model reads the
*wording* of a question the way the kit's labelled examples taught it.  It is
fitted when first needed from the train split of ``datasets/questions.csv``
(the held-out test split and the external set are never used), with numpy, scipy's
sparse matrices and a small L-BFGS: deterministic, no downloaded weights, no network, about a
second on a laptop.  The classifier blends its probabilities with the rules'
(see ``classifier.BLEND``).

Features of a normalised question (``classifier.normalise``), all binary:

* English words, word pairs and word triples (``w:would you``), and the first
  three and the last two words of the asking sentence (``q0:would``,
  ``qz:agree``): how a question opens and ends carries its form;
* Chinese characters, character pairs and triples (``c:觉得``), and the first and
  last characters of the asking clause (``q0:您``, ``qz:吗``);
* numbers are folded into one token (``#``), names are not special.

Multinomial logistic regression with an L2 penalty (``L2``; kit assumption,
chosen by leave-one-set-out cross-validation on the train split).
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from .labels import TYPES

L2 = 1.0          # kit assumption: penalty on the weights (per training row: lambda = L2 / n)
MIN_COUNT = 2     # a feature must occur in at least this many training questions
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_ASKING_SPLIT = re.compile(r"[.!?;:]\s*|\s+-\s+")


def _words(text: str) -> list[str]:
    return ["#" if w[0].isdigit() else w for w in _WORD.findall(text)]


def _asking(text: str) -> str:
    """The asking part: the last piece that ends with '?', else the last piece; Chinese: its last clause."""
    pieces = [p for p in re.split(r"(?<=[?!.;:])\s*|\s+-\s+", text) if p.strip(" ,.")]
    if not pieces:
        return text
    asking = [p for p in pieces if p.rstrip().endswith("?")]
    last = (asking or pieces)[-1]
    if _CJK_RUN.search(last) and "," in last:
        tail = last.rsplit(",", 1)[1]
        if len(tail.strip(" ?")) >= 2:
            last = tail
    return last.strip()


def features(norm: str) -> set[str]:
    """The binary features of a normalised question."""
    feats: set[str] = set()
    words = _words(norm)
    for n in (1, 2, 3):
        feats.update("w:" + " ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    for run in _CJK_RUN.findall(norm):
        for n in (1, 2, 3):
            feats.update("c:" + run[i:i + n] for i in range(len(run) - n + 1))
    ask = _asking(norm)
    aw = _words(ask)
    for i in range(min(3, len(aw))):
        feats.add(f"q{i}:" + " ".join(aw[: i + 1]))
    if aw:
        feats.add("qz:" + aw[-1])
        if len(aw) > 1:
            feats.add("qz:" + " ".join(aw[-2:]))
    cjk = "".join(_CJK_RUN.findall(ask))
    if cjk:
        feats.update({"q0:" + cjk[:1], "q0:" + cjk[:2], "qz:" + cjk[-1:], "qz:" + cjk[-2:], "qz:" + cjk[-3:]})
    if ask.endswith("?"):
        feats.add("mark:?")
    if len(_ASKING_SPLIT.split(norm.strip(" ?.!"))) > 1:
        feats.add("shape:two-parts")
    return feats


@dataclass(frozen=True)
class WordModel:
    """A fitted model: the vocabulary, the weights (features x types) and the biases."""

    vocab: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray

    def _row(self, norm: str) -> list[int]:
        return sorted(self.vocab[f] for f in features(norm) if f in self.vocab)

    def log_scores(self, norm: str) -> np.ndarray:
        """The linear scores of the five types (before the softmax), in :data:`TYPES` order."""
        cols = self._row(norm)
        return self.bias + (self.weights[cols].sum(axis=0) if cols else 0.0)

    def probabilities(self, norm: str) -> np.ndarray:
        z = self.log_scores(norm)
        e = np.exp(z - z.max())
        return e / e.sum()

    def log_probabilities(self, norm: str) -> dict[str, float]:
        """The log-probability of each type (a dict keyed by type id)."""
        z = self.log_scores(norm)
        z = z - z.max()
        z = z - np.log(np.exp(z).sum())
        return {t: float(v) for t, v in zip(TYPES, z)}

    def evidence(self, norm: str, qtype: str, top: int = 3) -> list[str]:
        """The features that speak most for ``qtype`` against the other types, readable ones first."""
        k = TYPES.index(qtype)
        out = []
        for f in features(norm):
            j = self.vocab.get(f)
            if j is None:
                continue
            w = self.weights[j]
            margin = w[k] - np.delete(w, k).max()
            if margin > 0 and _readable(f):
                out.append((margin, f))
        out.sort(key=lambda t: (-t[0], t[1]))
        shown: list[str] = []
        for _, f in out:  # a piece inside another one already shown ("您觉" in "您觉得") adds nothing
            text = f.partition(":")[2]
            if any(text in s.partition(":")[2] for s in shown):
                continue
            shown = [s for s in shown if s.partition(":")[2] not in text] + [f]  # the longer piece says more
            if len(shown) == top:
                break
        return [_shown(f) for f in shown]


def _readable(feature: str) -> bool:
    kind, _, text = feature.partition(":")
    if kind == "c":
        return len(text) >= 2
    if kind == "w":
        return text != "#" and (len(text) > 3 or " " in text)
    return kind in ("q0", "q1", "q2", "qz") and text not in ("#",)


def _shown(feature: str) -> str:
    kind, _, text = feature.partition(":")
    if kind in ("q0", "q1", "q2"):
        return f"'{text} ...'" if not _CJK_RUN.fullmatch(text) else f"“{text}……”"
    if kind == "qz":
        return f"'... {text}'" if not _CJK_RUN.fullmatch(text) else f"“……{text}”"
    return f"'{text}'" if not _CJK_RUN.fullmatch(text) else f"“{text}”"


def fit(norms: Sequence[str], labels: Sequence[str], l2: float = L2, min_count: int = MIN_COUNT) -> WordModel:
    """Fit the model on normalised questions and their type ids (deterministic)."""
    if len(norms) != len(labels) or not norms:
        raise ValueError(f"fit needs one label per question; got {len(norms)} questions and {len(labels)} labels")
    rows = [features(n) for n in norms]
    counts: dict[str, int] = {}
    for r in rows:
        for f in r:
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    x = _matrix(rows, vocab)
    y = np.zeros((len(labels), len(TYPES)))
    y[np.arange(len(labels)), [TYPES.index(t) for t in labels]] = 1.0
    n, d, k = x.shape[0], x.shape[1], len(TYPES)
    lam = l2 / n

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: d * k].reshape(d, k), theta[d * k:]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        nll = -np.sum(y * np.log(p + 1e-12)) / n + 0.5 * lam * np.sum(w * w)
        g = (p - y) / n
        return nll, np.concatenate([(x.T @ g + lam * w).ravel(), g.sum(axis=0)])

    theta = _lbfgs(loss, np.zeros(d * k + k))
    return WordModel(vocab, theta[: d * k].reshape(d, k), theta[d * k:])


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sum(a * b))  # elementwise: no BLAS threads (they spin on a busy machine)


def _lbfgs(fun, x: np.ndarray, iters: int = 300, memory: int = 8, tol: float = 1e-5) -> np.ndarray:
    """Minimise a smooth convex ``fun(x) -> (value, gradient)``: L-BFGS with a backtracking line search."""
    f, g = fun(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iters):
        if np.sqrt(_dot(g, g)) < tol:
            break
        q, alphas = g.copy(), []
        for s_i, y_i in zip(reversed(s_hist), reversed(y_hist)):
            a = _dot(s_i, q) / _dot(y_i, s_i)
            alphas.append(a)
            q -= a * y_i
        if y_hist:
            q *= _dot(s_hist[-1], y_hist[-1]) / _dot(y_hist[-1], y_hist[-1])
        for (s_i, y_i), a in zip(zip(s_hist, y_hist), reversed(alphas)):
            q += (a - _dot(y_i, q) / _dot(y_i, s_i)) * s_i
        direction, step, slope = -q, 1.0, -_dot(g, q)
        if slope >= 0:  # not a descent direction: restart from the gradient
            direction, slope, s_hist, y_hist = -g, -_dot(g, g), [], []
        while True:
            x_new = x + step * direction
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_i, y_i = x_new - x, g_new - g
        if _dot(s_i, y_i) > 1e-12:
            s_hist, y_hist = (s_hist + [s_i])[-memory:], (y_hist + [y_i])[-memory:]
        x, f, g = x_new, f_new, g_new
    return x


def _matrix(rows: Iterable[set[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for r in rows:
        cols = sorted(vocab[f] for f in r if f in vocab)
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, len(vocab)))


@lru_cache(maxsize=1)
def shipped_model() -> WordModel | None:
    """The model fitted on the train split of the kit's ``questions`` dataset (once per process).

    None, with a warning, when the dataset cannot be read: the classifier then uses its rules alone.
    """
    from ..datasets import load
    from .classifier import normalise

    try:
        data = load("questions")
    except (OSError, ValueError) as err:
        warnings.warn(f"the question classifier uses its rules alone: the labelled questions could not be read "
                      f"({err}). Fix: restore datasets/questions.csv from the kit.", stacklevel=2)
        return None
    train = data[data["split"] == "train"]
    return fit([normalise(t) for t in train["text"]], list(train["type"]))
