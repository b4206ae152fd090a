"""The control command line (`manage.py runcontrol`) as far as it needs no Django.

`runcontrol` is a Django command because two of its options need the database: `--attach`
files the result on a follow-up and `--organisation` reads the organisation's registers.
A control run on files alone needs neither, and starting Django (settings, 23 apps, their
models) took about as long as reading a million-row ledger. `manage.py` therefore hands
`runcontrol` to `run_without_django` first; any argument this parser does not know, `--help`
and every parse error go on to the Django command, which adds its own options.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Sequence
from typing import Any, NoReturn

from ik.engine.controls.registry import CONTROLS, control_label, finding_kind_label
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, TextSink
from ik.lib.swedish import format_decimal, format_percent

# The text output is for reading in a terminal; --json holds everything.
TEXT_UNITS = 50
TEXT_FINDINGS = 50


def add_control_parsers(parser: ArgumentParser) -> dict[str, ArgumentParser]:
    """One sub-command per control with its own arguments and `--json`, by control name."""
    sub = parser.add_subparsers(dest="control", required=True, metavar="<kontroll>")
    parsers: dict[str, ArgumentParser] = {}
    for name in sorted(CONTROLS):
        spec = CONTROLS[name]
        p = sub.add_parser(name, help=f"{spec.label}: {spec.help}")
        spec.add_arguments(p)
        p.add_argument("--json", action="store_true", help="Skriv ett JSON-objekt på stdout.")
        parsers[name] = p
    return parsers


def write_result(result: ControlResult, out: TextSink, *, as_json: bool) -> None:
    """The result as JSON (every finding, streamed) or as Swedish text, ending in a newline."""
    if as_json:
        result.write_json(out)
        out.write("\n")
        return
    for line in text_lines(result):
        out.write(f"{line}\n")


class _NotHere(Exception):
    """Arguments for the Django command to read."""


class _FilesOnlyParser(ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotHere(message)


def run_without_django(argv: Sequence[str], out: TextSink, err: TextSink) -> int | None:
    """Run `runcontrol` on files alone and return the exit code; None if Django is needed.

    Output and errors read as from the Django command: the result on `out`, an input error
    as "CommandError: …" on `err` with exit code 1.
    """
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    parser = _FilesOnlyParser(prog="runcontrol", add_help=False)
    add_control_parsers(parser)
    try:
        options: dict[str, Any] = vars(parser.parse_args(argv))
    except _NotHere:
        return None
    try:
        result = CONTROLS[options["control"]].run(options)
    except InputError as exc:
        err.write(f"CommandError: {exc}\n")
        return 1
    write_result(result, out, as_json=options["json"])
    return 0


def text_lines(result: ControlResult) -> list[str]:
    """The result as Swedish text: the same figures as the JSON, long lists cut and said so."""
    lines = [f"{control_label(result.control)} ({result.control}): {result.verdict.label}"]
    lines.append(result.summary)
    details = result.details
    if details.get("header_row"):
        lines.append(f"Rubrikraden är rad {details['header_row']}; raderna ovanför är rubriker.")
    for left_out in details.get("left_out_rows", []):
        lines.append(f"Rad {left_out['row']} lästes inte som data: {left_out['reason']}.")
    if details.get("skipped_rows"):
        lines.append(f"{format_decimal(details['skipped_rows'])} felaktiga rader hoppades över.")
    if result.by_unit:
        lines.append("Per enhet:")
    for unit in result.by_unit[:TEXT_UNITS]:
        value = "" if unit.value is None else f" ({format_percent(unit.value)})"
        lines.append(
            f"  {unit.unit}: {format_decimal(unit.count)} av {format_decimal(unit.n)}{value}"
        )
    if len(result.by_unit) > TEXT_UNITS:
        more = len(result.by_unit) - TEXT_UNITS
        lines.append(f"  … och {format_decimal(more)} enheter till (alla finns i --json)")
    if result.findings:
        lines.append("Fynd:")
    for finding in result.findings[:TEXT_FINDINGS]:
        lines.append(f"  [{finding_kind_label(finding.kind)}] {finding.message}")
    total = int(details.get("findings_total", len(result.findings)))
    if total > TEXT_FINDINGS:
        kept = len(result.findings)
        where = "se --json" if kept == total else f"--json har de {format_decimal(kept)} första"
        lines.append(
            f"  … och {format_decimal(total - min(TEXT_FINDINGS, total))} fynd till ({where})"
        )
    return lines
