"""The common shape of every automated control's answer."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ik.lib.swedish import VERDICT_LABELS


class Verdict(StrEnum):
    """Traffic-light outcome of a control (grön/gul/röd)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.value]


class Direction(StrEnum):
    """How a measured value is compared with its target."""

    AT_MOST = "at_most"
    AT_LEAST = "at_least"


@dataclass(frozen=True, slots=True)
class UnitBreakdown:
    """One unit's (or group's) share of a control result.

    `count` is the control's own count: late invoices, duplicates, postings found…
    """

    unit: str
    n: int
    count: int
    value: float | None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, count_name: str) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "value": self.value,
            "n": self.n,
            count_name: self.count,
            **dict(self.extra),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One offending row or object, with the reason it was flagged."""

    kind: str
    message: str
    row: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.row is not None:
            out["row"] = self.row
        out.update(dict(self.data))
        return out


@dataclass(frozen=True, slots=True)
class ControlResult:
    """What a control found: value against target, verdict, breakdown and evidence.

    `value` is a fraction in [0, 1] for controls that measure a share, otherwise a count or
    None. `parameters` and `input_sha256` are enough to rerun the control and get the same
    answer. `details` holds control-specific figures (median days late, interest cost …).
    """

    control: str
    value: float | None
    target: float | None
    direction: Direction
    verdict: Verdict
    summary: str
    rows: int
    by_unit: tuple[UnitBreakdown, ...] = ()
    findings: tuple[Finding, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    input_sha256: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    count_name: str = "count"

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (`runcontrol --json`)."""
        return {
            "control": self.control,
            "value": self.value,
            "target": self.target,
            "direction": self.direction.value,
            "verdict": self.verdict.value,
            "summary": self.summary,
            "rows": self.rows,
            "count_name": self.count_name,
            "by_unit": [u.to_json(self.count_name) for u in self.by_unit],
            "findings": [f.to_json() for f in self.findings],
            "parameters": dict(self.parameters),
            "input_sha256": self.input_sha256,
            "details": dict(self.details),
        }


def sha256_file(path: str | Path, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks so large ledgers stay out of memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
