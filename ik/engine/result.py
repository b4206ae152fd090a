"""The common shape of every automated control's answer."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, overload

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
class FindingRows(Sequence[Finding]):
    """Findings kept as the JSON text of each (`Finding.to_json`), as a database wrote them.

    A ledger control may list every late invoice of a region: hundreds of thousands of
    findings. Built as objects they cost more than the whole control; kept as text they are
    written out as they are and become `Finding`s only when someone looks at one.
    """

    texts: tuple[str, ...]

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> FindingRows: ...
    def __getitem__(self, index: int | slice) -> Finding | FindingRows:
        if isinstance(index, slice):
            return FindingRows(self.texts[index])
        data = json.loads(self.texts[index])
        kind, message, row = data.pop("kind"), data.pop("message"), data.pop("row", None)
        return Finding(kind=kind, message=message, row=row, data=data)

    def __len__(self) -> int:
        return len(self.texts)


def finding_texts(findings: Sequence[Finding]) -> Iterator[str]:
    """Each finding as JSON text, without building objects for findings kept as text."""
    if isinstance(findings, FindingRows):
        yield from findings.texts
        return
    for finding in findings:
        yield json.dumps(finding.to_json(), ensure_ascii=False, default=str)


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


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
    findings: Sequence[Finding] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    input_sha256: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    count_name: str = "count"

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (`runcontrol --json`)."""
        document = self._document()
        document["findings"] = [f.to_json() for f in self.findings]
        return document

    def write_json(self, out: TextSink, batch: int = 10_000) -> None:
        """Write `to_json()` as JSON text to `out`, the findings a batch at a time.

        The text parses to the same document as `json.dumps(self.to_json())`; findings kept
        as text are copied as they are, so a million of them never become objects.
        """
        out.write("{")
        for i, (key, value) in enumerate(self._document().items()):
            out.write(f"{', ' if i else ''}{json.dumps(key)}: ")
            if key != "findings":
                out.write(json.dumps(value, ensure_ascii=False, default=str))
                continue
            texts = finding_texts(self.findings)
            out.write("[")
            separator = ""
            while chunk := list(itertools.islice(texts, batch)):
                out.write(separator + ", ".join(chunk))
                separator = ", "
            out.write("]")
        out.write("}")

    def _document(self) -> dict[str, Any]:
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
            "findings": None,
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
