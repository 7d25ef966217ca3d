"""What an autograde run reports: each submission's :class:`Outcome` and the run's :class:`Summary`."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Outcome:
    """What happened to one student's submission."""

    student: str
    status: str                      # "graded", "failed" or "skipped" (unchanged since the last run)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0


@dataclass
class Summary:
    assignment: str
    outcomes: list[Outcome]
    seconds: float
    sandbox: str
    workers: int
    warnings: list[str] = field(default_factory=list)

    @property
    def graded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "graded"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    def text(self) -> str:
        done = len(self.graded) + len(self.failed)
        rate = done / self.seconds if self.seconds > 0 else 0.0
        lines = [f"{self.assignment}: {len(self.graded)} graded, {len(self.failed)} failed, "
                 f"{len(self.skipped)} unchanged (skipped) in {self.seconds:.1f} s "
                 f"({rate:.1f} submissions/s, {self.workers} workers, sandbox: {self.sandbox})"]
        if self.sandbox == "none":
            lines.append("WARNING: no sandbox (bubblewrap not found or not wanted): student code ran with this user's "
                         "rights and could read any file this user can read"
                         + (" and, run as root, start any number of processes" if os.geteuid() == 0 else "")
                         + ". Install it: apt-get install -y bubblewrap")
        lines += [f"WARNING: {w}" for w in self.warnings]
        for o in self.failed:
            lines.append(f"  failed  {o.student}: {o.reason}")
        for o in self.graded:
            if o.notes:
                lines.append(f"  note    {o.student}: " + "; ".join(o.notes[:3])
                             + (f" (+{len(o.notes) - 3} more)" if len(o.notes) > 3 else ""))
        return "\n".join(lines)
