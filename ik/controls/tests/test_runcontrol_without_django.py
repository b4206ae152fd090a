"""`manage.py runcontrol` on files alone runs without starting Django, with the same output."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.engine.controls.cli import run_without_django
from ik.engine.controls.registry import CONTROLS

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = str(ROOT / "ik" / "engine" / "examples" / CONTROLS["late_payments"].examples[0])
TITLED = "Rapport;;\nFAKTURANR;ANSVAR;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n" + "".join(
    f"{n};E{n % 60:02d};2018-01-31;2018-02-0{1 + n % 3};1 00{n % 10},50\n" for n in range(150)
)


def without_django(*args: str) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_without_django(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def titled(tmp_path: Path) -> str:
    path = tmp_path / "titlar.csv"
    path.write_bytes(TITLED.encode("cp1252"))
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ("late_payments", "--json"),
        ("late_payments",),
        ("late_payments", "--period", "2018-01-01:2018-12-31", "--target", "10"),
        ("duplicate_payments", "--json"),
        ("missing_orgnr",),
        ("account_review", "--accounts", "71", "--json"),
    ],
)
def test_files_only_run_prints_what_the_django_command_prints(capsys, args) -> None:
    control, *options = args
    call_command("runcontrol", control, "--ledger", EXAMPLE, *options)
    expected = capsys.readouterr().out
    assert without_django(control, "--ledger", EXAMPLE, *options) == (0, expected, "")


@pytest.mark.parametrize("options", [(), ("--json",), ("--header-row", "2", "--json")])
def test_title_rows_and_long_lists_read_the_same_without_django(capsys, titled, options) -> None:
    call_command("runcontrol", "late_payments", "--ledger", titled, *options)
    expected = capsys.readouterr().out
    assert without_django("late_payments", "--ledger", titled, *options) == (0, expected, "")
    assert "Rubrikraden är rad 2" in expected or '"header_row": 2' in expected


def test_a_bad_file_is_refused_with_the_django_command_s_message(tmp_path) -> None:
    path = tmp_path / "tom.csv"
    path.write_text("", "utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("runcontrol", "late_payments", "--ledger", str(path))
    code, out, err = without_django("late_payments", "--ledger", str(path))
    assert (code, out) == (1, "")
    assert err == f"CommandError: {refused.value}\n"
    assert "tom.csv" in err


@pytest.mark.parametrize(
    "args",
    [
        ("late_payments", "--ledger", EXAMPLE, "--attach", "KS/2018/2018-08-31/Fakturor"),
        ("contract_compliance", "--ledger", EXAMPLE, "--organisation", "mjolby"),
        ("late_payments", "--ledger", EXAMPLE, "--verbosity", "2"),
        ("late_payments", "--ledger", EXAMPLE, "--traceback"),
        ("late_payments", "--help"),
        ("late_payments",),
        ("no_such_control", "--ledger", EXAMPLE),
        ("late_payments", "--ledger", EXAMPLE, "--header-row", "två"),
    ],
)
def test_database_options_help_and_mistakes_go_to_the_django_command(args) -> None:
    assert without_django(*args) == (None, "", "")


def test_manage_py_runs_a_control_on_a_file_without_starting_django() -> None:
    # Settings that cannot be imported: the run only succeeds if Django is never started.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ik.no_such_settings"}
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "manage.py", "runcontrol", "late_payments", "--ledger", EXAMPLE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Försent betalda fakturor (late_payments):")


def test_a_run_on_a_csv_file_loads_no_office_library() -> None:
    # openpyxl and python-docx cost about 0.75 s to import; a control on a CSV ledger needs
    # neither, and at a million rows that was a fifth of the run (benchmarks/ledger.py).
    script = (
        "import sys\n"
        "from ik.engine.controls.cli import run_without_django\n"
        f"code = run_without_django(['late_payments', '--ledger', {EXAMPLE!r}], "
        "open('/dev/null', 'w'), sys.stderr)\n"
        "print(code, sorted(m for m in ('openpyxl', 'docx') if m in sys.modules))\n"
    )
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "0 []"), done.stderr
