"""`runcontrol` for the ledger controls: the documented JSON and the refusal of bad files."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.engine.controls.registry import CONTROLS

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
LEDGER = """FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK;KONTO
1;Åby Bygg AB;556012-5790;KS;2018-01-01;2018-01-31;2018-01-30;1 000,00;4010
2;Åby Bygg AB;556012-5790;KS;2018-01-11;2018-02-10;2018-02-20;2 000,00;71000 Repr
3;Östra El;;BUN;2018-02-01;2018-03-03;2018-03-01;500,00;7110
4;Östra El;;BUN;2018-02-01;2018-03-03;2018-03-01;500,00;4010
"""


@pytest.fixture
def ledger_file(tmp_path: Path) -> str:
    path = tmp_path / "raindance.csv"
    path.write_bytes(LEDGER.encode("cp1252"))
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    call_command("runcontrol", *args, "--json")
    out = capsys.readouterr().out
    assert out.count("\n") <= 1
    return json.loads(out)


def test_late_payments_json_has_the_documented_keys(capsys, ledger_file) -> None:
    result = run_json(
        capsys,
        "late_payments",
        "--ledger",
        ledger_file,
        "--target",
        "5",
        "--reference-rate",
        "-0.5",
    )
    assert result.keys() >= JSON_KEYS
    assert result["control"] == "late_payments"
    assert result["value"] == pytest.approx(1 / 4)
    assert result["target"] == pytest.approx(0.05)
    assert result["verdict"] in {"green", "yellow", "red"}
    assert result["rows"] == 4
    assert {"unit", "value", "n", "late"} <= result["by_unit"][0].keys()
    assert {"kind", "message"} <= result["findings"][0].keys()
    assert len(result["input_sha256"]) == 64
    assert result["parameters"]["reference_rate"] == -0.5


def test_late_payments_period_and_target(capsys, ledger_file) -> None:
    result = run_json(
        capsys,
        "late_payments",
        "--ledger",
        ledger_file,
        "--period",
        "2018-02-01:2018-02-28",
        "--target",
        "100",
    )
    assert (result["value"], result["verdict"]) == (1.0, "green")


def test_map_option_points_a_field_at_another_column(capsys, tmp_path: Path) -> None:
    path = tmp_path / "egen.csv"
    path.write_text("Nr;Sista dag;Betald;Summa\n1;2018-01-31;2018-02-01;5\n", "utf-8")
    result = run_json(
        capsys,
        "late_payments",
        "--ledger",
        str(path),
        "--map",
        "due_date=Sista dag",
        "--map",
        "paid_date=Betald",
    )
    assert result["value"] == 1.0


def test_the_other_ledger_controls_run_from_the_command_line(capsys, ledger_file) -> None:
    duplicates = run_json(capsys, "duplicate_payments", "--ledger", ledger_file)
    orgnr = run_json(capsys, "missing_orgnr", "--ledger", ledger_file)
    accounts = run_json(capsys, "account_review", "--ledger", ledger_file, "--accounts", "71,72")
    assert [f["rows"] for f in duplicates["findings"]] == [[4, 5]]
    assert orgnr["value"] == pytest.approx(2 / 4)
    assert [f["row"] for f in accounts["findings"]] == [3, 4]


def test_bad_file_exits_with_command_error_and_prints_no_result(capsys, tmp_path) -> None:
    path = tmp_path / "trasig.csv"
    path.write_text("FAKTURANR;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n1;2018-13-01;;1\n", "utf-8")
    with pytest.raises(CommandError, match="rad 2, kolumn FORFALLODATUM"):
        call_command("runcontrol", "late_payments", "--ledger", str(path), "--json")
    assert capsys.readouterr().out == ""


def test_missing_columns_exit_with_command_error(capsys, tmp_path) -> None:
    path = tmp_path / "reskontra.csv"
    path.write_text("faktura_nr;leverantor;belopp\n1;A;10\n", "utf-8")
    with pytest.raises(CommandError, match="förfallodatum"):
        call_command("runcontrol", "late_payments", "--ledger", str(path), "--json")
    assert capsys.readouterr().out == ""


def test_bad_map_option_is_refused(capsys, ledger_file) -> None:
    with pytest.raises(CommandError, match="fält=Rubrik"):
        call_command("runcontrol", "late_payments", "--ledger", ledger_file, "--map", "due_date")


def test_skip_bad_rows_reports_what_was_skipped(capsys, tmp_path) -> None:
    path = tmp_path / "delvis.csv"
    path.write_text(
        "FAKTURANR;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n1;2018-13-01;;1\n2;2018-01-01;2018-01-02;1\n",
        "utf-8",
    )
    result = run_json(capsys, "late_payments", "--ledger", str(path), "--skip-bad-rows")
    assert result["value"] == 1.0
    assert result["details"]["skipped"][0]["row"] == 2


@pytest.mark.django_db
def test_attach_to_an_unknown_entry_exits_with_command_error(capsys, ledger_file) -> None:
    with pytest.raises(CommandError, match="formen"):
        call_command(
            "runcontrol", "late_payments", "--ledger", ledger_file, "--attach", "Kommunstyrelsen"
        )
    assert capsys.readouterr().out == ""


EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"


@pytest.mark.parametrize(
    "control", ["late_payments", "duplicate_payments", "missing_orgnr", "account_review"]
)
def test_each_ledger_control_runs_on_its_example_file(capsys, control) -> None:
    example = EXAMPLES / CONTROLS[control].examples[0]
    result = run_json(capsys, control, "--ledger", str(example))
    assert result["control"] == control and result["rows"] > 20


def test_text_output_names_the_control_and_speaks_swedish_numbers(capsys, ledger_file) -> None:
    call_command("runcontrol", "late_payments", "--ledger", ledger_file)
    out = capsys.readouterr().out
    assert out.startswith("Försent betalda fakturor (late_payments): Röd")
    assert "KS: 1 av 2 (50,0\u00a0%)" in out
    assert "0.5" not in out and "50.0%" not in out


def test_text_output_lists_fifty_units_and_says_how_many_more(capsys, tmp_path) -> None:
    lines = ["FAKTURANR;ANSVAR;FORFALLODATUM;BETALDATUM;BELOPP_SEK"]
    lines += [f"{n};E{n:03d};2018-01-31;2018-02-01;1 000,00" for n in range(120)]
    path = tmp_path / "enheter.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    call_command("runcontrol", "late_payments", "--ledger", str(path))
    out = capsys.readouterr().out
    assert "E049: 1 av 1 (100,0\u00a0%)" in out and "E050:" not in out
    assert "… och 70 enheter till (alla finns i --json)" in out
    assert "… och 70 fynd till (se --json)" in out


def test_header_row_option_reads_a_file_with_title_rows(capsys, tmp_path) -> None:
    path = tmp_path / "titlar.csv"
    path.write_bytes(("Rapport;;\n" + LEDGER).encode("cp1252"))
    found = run_json(capsys, "late_payments", "--ledger", str(path))
    given = run_json(capsys, "late_payments", "--ledger", str(path), "--header-row", "2")
    assert found["rows"] == given["rows"] == 4
    assert given["details"]["header_row"] == 2
