"""What the IT-continuity controls share: fingerprints, breakdowns, samples and wording."""

from __future__ import annotations

import json
import math
from argparse import ArgumentParser
from collections.abc import Iterable, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from enum import Enum
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from ik.engine.errors import InputError
from ik.engine.result import ControlResult, UnitBreakdown, sha256_bytes, sha256_file
from ik.engine.sampling import Sample, draw_sample
from ik.engine.systems import System, name_key
from ik.lib.swedish import sort_key

NO_UNIT = "(ingen ägare angiven)"


_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _record_fields(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in sorted order, without `row`; None for other types."""
    if cls not in _FIELDS:
        names = [f.name for f in fields(cls) if f.name != "row"] if is_dataclass(cls) else None
        _FIELDS[cls] = None if names is None else tuple(sorted(names))
    return _FIELDS[cls]


def _plain(value: Any) -> Any:
    # Called once per record and field, so the common cases come first and cheaply.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if kind is tuple or kind is list:
        if all(type(v) is str for v in value):
            return list(value)
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    names = _record_fields(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    return value


def _fast_hours(hours: float | None) -> bool:
    # Integers and infinities are left to the generic encoder, which spells them its own way.
    return hours is None or (type(hours) is float and math.isfinite(hours))


def _system_json(s: System) -> str:
    """The text the generic encoder gives for a System, several times faster.

    The start-up control fingerprints registers of thousands of systems, and the generic
    route costs as much as the graph work itself.
    """
    e = encode_basestring
    deps = ",".join(map(e, s.depends_on))
    rto = "null" if s.rto_hours is None else float.__repr__(s.rto_hours)
    return (
        f'{{"alarm_method":{e(s.alarm_method)},"alarm_recipient":{e(s.alarm_recipient)},'
        f'"criticality":{e(s.criticality.value)},"depends_on":[{deps}],'
        f'"has_alarm":{"true" if s.has_alarm else "false"},"name":{e(s.name)},'
        f'"owner_unit":{e(s.owner_unit)},"priority":{int.__repr__(s.priority)},'
        f'"rto_hours":{rto}}}'
    )


def records_sha256(**parts: Iterable[Any]) -> str:
    """Fingerprint of input records, independent of row order and of where they were read.

    Each record becomes compact JSON with sorted keys (dataclass fields without `row`, enums
    as their value, times in ISO 8601, UTF-8 without escapes). The text hashed with SHA-256
    is, for each part in order of name, the part's name on a line and then its records' JSON
    sorted, one per line.
    """
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    lines: list[str] = []
    for name in sorted(parts):
        lines.append(name)
        lines.extend(
            sorted(
                _system_json(r)
                if type(r) is System and _fast_hours(r.rto_hours)
                else encode(_plain(r))
                for r in parts[name]
            )
        )
    text = "\n".join(lines)
    return sha256_bytes(text.encode("utf-8"))


def unit_breakdown(
    systems: Iterable[System], flagged: set[str], *, with_share: bool = False
) -> tuple[UnitBreakdown, ...]:
    """Per owning unit: its systems (n) and how many of them have a finding (count)."""
    totals: dict[str, list[int]] = {}
    for system in systems:
        counts = totals.setdefault(system.owner_unit or NO_UNIT, [0, 0])
        counts[0] += 1
        counts[1] += system.name in flagged
    return tuple(
        UnitBreakdown(unit, n, bad, (n - bad) / n if with_share else None)
        for unit, (n, bad) in sorted(totals.items(), key=lambda kv: sort_key(kv[0]))
    )


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def name_list(names: Sequence[str], limit: int = 5) -> str:
    """'A, B och C'; longer lists end with 'och N till'."""
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} till")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " och " + shown[-1]


def index_systems(systems: Sequence[System]) -> dict[str, System]:
    """Systems by name_key; refuses two systems with the same name."""
    out: dict[str, System] = {}
    for system in systems:
        key = name_key(system.name)
        if key in out:
            raise InputError(
                f"Systemet {system.name!r} finns två gånger i registret",
                row=system.row,
                column="system",
            )
        out[key] = system
    return out


def checked_systems(
    systems: Sequence[System], sample_size: int | None, seed: int | None
) -> tuple[list[System], Sample | None]:
    """The critical systems to check: all of them, or a recorded sample of them."""
    critical = [s for s in systems if s.criticality.is_critical]
    if sample_size is None:
        return sorted(critical, key=lambda s: sort_key(s.name)), None
    sample = draw_sample([s.name for s in critical], sample_size, seed)
    by_name = {s.name: s for s in critical}
    return [by_name[name] for name in sample.items], sample


def sample_parameters(sample_size: int | None, sample: Sample | None) -> dict[str, Any]:
    return {"sample_size": sample_size, "seed": None if sample is None else sample.seed}


def scope_text(checked: Sequence[System], sample: Sample | None) -> str:
    if sample is None:
        return f"alla {plural(len(checked), 'kritiskt system', 'kritiska system')}"
    return (
        f"ett stickprov på {len(checked)} av {sample.population_size} kritiska system "
        f"(frö {sample.seed})"
    )


# --- the register files as inputs: command-line arguments -----------------------------------


def with_files(result: ControlResult, **files: str) -> ControlResult:
    """Record each input file's name and SHA-256 next to the control's own parameters."""
    fingerprints = {
        name: {"path": path, "sha256": sha256_file(path)} for name, path in files.items()
    }
    return replace(result, parameters={**result.parameters, "files": fingerprints})


def add_systems_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--systems", required=True, metavar="FIL", help="Systemregister (CSV eller XLSX)."
    )


def add_sample_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="Kontrollera bara ett stickprov på N kritiska system.",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="FRÖ",
        help="Frö för stickprovet; utelämnas det dras ett och redovisas.",
    )


def read_text(path: str) -> str:
    """A UTF-8 text file; InputError in Swedish when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"Filen {path} finns inte") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Filen {path} är inte UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"Filen {path} kan inte läsas (felkod {exc.errno})") from exc
