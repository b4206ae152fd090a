"""`runcontrol` commands for the IT-continuity and participation controls.

Only reading files and passing options: the controls live in `ik.engine.controls`.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ik.controls.registry import ControlCommand, register
from ik.engine.controls.alarm_coverage.control import alarm_coverage
from ik.engine.controls.competence_overlap.control import competence_overlap
from ik.engine.controls.outage_drill.control import outage_drill
from ik.engine.controls.participation.control import participation
from ik.engine.controls.startup_order.control import startup_order
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, sha256_file
from ik.engine.systems import (
    read_competence,
    read_drill_log,
    read_participants,
    read_systems,
    read_units,
)


def _with_files(result: ControlResult, **files: str) -> ControlResult:
    """Record each input file's name and SHA-256 next to the control's own parameters."""
    fingerprints = {
        name: {"path": path, "sha256": sha256_file(path)} for name, path in files.items()
    }
    return replace(result, parameters={**result.parameters, "files": fingerprints})


def _add_systems(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--systems", required=True, metavar="FIL", help="Systemregister (CSV eller XLSX)."
    )


def _add_sample(parser: ArgumentParser) -> None:
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


def _parse_start(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"Starttiden {text!r} är ingen tid (skriv t.ex. 2018-10-16 06:00)", column="--start"
        ) from None


def _or_default(value: int | None, default: int) -> int:
    return default if value is None else value


def _text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"Filen {path} finns inte") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Filen {path} är inte UTF-8 (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"Filen {path} kan inte läsas (felkod {exc.errno})") from exc


def _args_startup_order(parser: ArgumentParser) -> None:
    _add_systems(parser)


def _run_startup_order(options: Mapping[str, Any]) -> ControlResult:
    path = options["systems"]
    return _with_files(startup_order(read_systems(path)), systems=path)


def _args_outage_drill(parser: ArgumentParser) -> None:
    _add_systems(parser)
    parser.add_argument(
        "--drill",
        required=True,
        metavar="FIL",
        help="Övningslogg: system;uppe (och gärna en rad start;<tid>).",
    )
    parser.add_argument(
        "--start", metavar="TID", help="Driftstoppets start, om loggen saknar en startrad."
    )


def _run_outage_drill(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    log = read_drill_log(options["drill"], systems)
    result = outage_drill(systems, log, _parse_start(options.get("start")))
    return _with_files(result, systems=options["systems"], drill=options["drill"])


def _args_competence_overlap(parser: ArgumentParser) -> None:
    _add_systems(parser)
    parser.add_argument(
        "--competence",
        required=True,
        metavar="FIL",
        help="Kompetenslista: system;person;roll (primär/backup).",
    )
    parser.add_argument(
        "--key-person-threshold",
        type=int,
        default=3,
        metavar="N",
        help="Flagga den som är enda backup för minst N kritiska system.",
    )
    _add_sample(parser)


def _run_competence_overlap(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    competence = read_competence(options["competence"], systems)
    result = competence_overlap(
        systems,
        competence,
        key_person_threshold=_or_default(options.get("key_person_threshold"), 3),
        sample_size=options.get("sample"),
        seed=options.get("seed"),
    )
    return _with_files(result, systems=options["systems"], competence=options["competence"])


def _args_alarm_coverage(parser: ArgumentParser) -> None:
    _add_systems(parser)
    parser.add_argument(
        "--alert-rules",
        metavar="FIL",
        help="Prometheus-larmregler (YAML) att stämma av mot registret.",
    )
    _add_sample(parser)


def _run_alarm_coverage(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    rules_path = options.get("alert_rules")
    result = alarm_coverage(
        systems,
        _text(rules_path) if rules_path else None,
        sample_size=options.get("sample"),
        seed=options.get("seed"),
    )
    files = {"systems": options["systems"]}
    if rules_path:
        files["alert_rules"] = rules_path
    return _with_files(result, **files)


def _args_participation(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--units", required=True, metavar="FIL", help="Enheterna som ska delta: en kolumn enhet."
    )
    parser.add_argument(
        "--participants",
        required=True,
        metavar="FIL",
        help="Deltagarlista: enhet (och gärna namn).",
    )
    parser.add_argument(
        "--warning-limit",
        type=float,
        metavar="ANDEL",
        help="Gul i stället för röd när andelen är minst detta (t.ex. 0.9).",
    )


def _run_participation(options: Mapping[str, Any]) -> ControlResult:
    result = participation(
        read_units(options["units"]),
        read_participants(options["participants"]),
        warning_limit=options.get("warning_limit"),
    )
    return _with_files(result, units=options["units"], participants=options["participants"])


register(
    ControlCommand(
        "startup_order",
        "Följer uppstartsprioriteringen systemens beroenden?",
        _args_startup_order,
        _run_startup_order,
    )
)
register(
    ControlCommand(
        "outage_drill",
        "Startades systemen i rätt ordning och inom sina återställningsmål vid övningen?",
        _args_outage_drill,
        _run_outage_drill,
    )
)
register(
    ControlCommand(
        "competence_overlap",
        "Har varje kritiskt system minst två personer som kan hantera det?",
        _args_competence_overlap,
        _run_competence_overlap,
    )
)
register(
    ControlCommand(
        "alarm_coverage",
        "Har kritiska system larm, larmmottagare och larmregel?",
        _args_alarm_coverage,
        _run_alarm_coverage,
    )
)
register(
    ControlCommand(
        "participation",
        "Deltar alla enheter (t.ex. i framtagandet av ny energiplan)?",
        _args_participation,
        _run_participation,
    )
)
