"""`runcontrol` for the IT-continuity and participation controls, on the example files."""

import json
from argparse import ArgumentParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.engine.controls.registry import CONTROLS
from ik.engine.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"
SYSTEMS = str(EXAMPLES / "exempel_system.csv")
JSON_KEYS = {
    "control",
    "value",
    "target",
    "verdict",
    "summary",
    "rows",
    "by_unit",
    "findings",
    "input_sha256",
}


def run(name, *args):
    """Parse the arguments as runcontrol would and run the registered command."""
    command = CONTROLS[name]
    parser = ArgumentParser()
    command.add_arguments(parser)
    return command.run(vars(parser.parse_args(list(args)))).to_json()


def run_json(name, *args, capsys):
    call_command("runcontrol", name, *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_all_five_controls_are_registered():
    assert {
        "startup_order",
        "outage_drill",
        "competence_overlap",
        "alarm_coverage",
        "participation",
    } <= set(CONTROLS)


def test_startup_order_reports_the_example_priority_violations():
    out = run("startup_order", "--systems", SYSTEMS)
    assert set(out) >= JSON_KEYS
    assert out["verdict"] == "yellow"
    assert {f["kind"] for f in out["findings"]} == {"priority_before_dependency"}
    assert out["parameters"]["files"]["systems"]["sha256"]
    assert out["details"]["proposed_order"][0] == "Nätverk (kärna)"


def test_outage_drill_reads_the_log_and_an_explicit_start():
    out = run(
        "outage_drill",
        "--systems",
        SYSTEMS,
        "--drill",
        str(EXAMPLES / "exempel_uppstartsovning.csv"),
    )
    assert [f["kind"] for f in out["findings"]] == ["rto_exceeded"]
    assert out["parameters"]["start_source"] == "logg"
    later = run(
        "outage_drill",
        "--systems",
        SYSTEMS,
        "--drill",
        str(EXAMPLES / "exempel_uppstartsovning.csv"),
        "--start",
        "2018-10-16 06:15",
    )
    assert later["parameters"]["start_source"] == "parameter"


def test_competence_overlap_sample_is_recorded_with_its_seed():
    out = run(
        "competence_overlap",
        "--systems",
        SYSTEMS,
        "--competence",
        str(EXAMPLES / "exempel_kompetens.csv"),
        "--sample",
        "2",
        "--seed",
        "2018",
    )
    assert out["parameters"]["seed"] == 2018
    assert len(out["details"]["sample"]["items"]) == 2


def test_alarm_coverage_with_alert_rules():
    out = run(
        "alarm_coverage",
        "--systems",
        SYSTEMS,
        "--alert-rules",
        str(EXAMPLES / "exempel_larmregler.yml"),
    )
    assert [(f["kind"], f["system"]) for f in out["findings"]] == [("no_alert_rule", "Lönesystem")]
    assert out["parameters"]["files"]["alert_rules"]["path"].endswith("exempel_larmregler.yml")


def test_participation_names_the_missing_unit():
    out = run(
        "participation",
        "--units",
        str(EXAMPLES / "exempel_forvaltningar.csv"),
        "--participants",
        str(EXAMPLES / "exempel_energiplan_deltagare.csv"),
    )
    assert out["verdict"] == "red"
    assert [f["unit"] for f in out["findings"]] == ["Kultur- och fritidsförvaltningen"]
    assert len(out["by_unit"]) == 6


def test_bad_files_raise_input_errors(tmp_path):
    broken = tmp_path / "system.csv"
    broken.write_text(
        "system;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmottagare\n"
        "DNS;övrig;först;;;nej;\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="'först'"):
        run("startup_order", "--systems", str(broken))
    with pytest.raises(InputError, match="finns inte"):
        run("alarm_coverage", "--systems", SYSTEMS, "--alert-rules", str(tmp_path / "saknas"))
    with pytest.raises(InputError, match="ingen tid"):
        run(
            "outage_drill",
            "--systems",
            SYSTEMS,
            "--drill",
            str(EXAMPLES / "exempel_uppstartsovning.csv"),
            "--start",
            "i morse",
        )


def test_runcontrol_prints_the_documented_json(capsys):
    out = run_json("startup_order", "--systems", SYSTEMS, capsys=capsys)
    assert set(out) >= JSON_KEYS
    assert out["control"] == "startup_order"
    assert all({"kind", "message"} <= set(f) for f in out["findings"])


def test_runcontrol_turns_bad_input_into_a_command_error(tmp_path):
    broken = tmp_path / "deltagare.csv"
    broken.write_text("namn\nAnna\n", encoding="utf-8")
    with pytest.raises(CommandError, match="'enhet' saknas"):
        call_command(
            "runcontrol", "participation", "--units", str(broken), "--participants", str(broken)
        )
