"""Benchmark: the procurement controls against `late_payments` on the same large ledger.

Generates (once) a Raindance-style ledger under benchmarks/data/ whose suppliers keep one
valid organisation number each, as real ledgers do, with two posting lines per invoice, and
a contract register of 5,000 rows (some suppliers with a renewed contract, some expired).
Then times, each end to end in its own process (best of --repeat):

  late_payments        `runcontrol late_payments --ledger F --json` (the baseline)
  contract_compliance  `runcontrol contract_compliance --ledger F --contracts C --json`
  direct_procurement   `runcontrol direct_procurement --ledger F --contracts C --json`

and prints the ratio of each procurement control to the baseline measured in the same run.
Aim (issue 18): within 2× the baseline.

Usage: uv run python benchmarks/procurement.py --rows 1000000 [--rows 10000000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger import DATA, measure, warm_up  # noqa: E402

SUPPLIERS = 20_000
CONTRACTS = 5_000

GENERATE = r"""
COPY (
    WITH b AS (
        SELECT i, CAST(hash(i // 2) % 1000000007 AS BIGINT) AS h,
               CAST(hash(i * 7 + 3) % 1000000009 AS BIGINT) AS h2
        FROM range({rows}) t(i)
    ), c AS (
        SELECT i, h, h2, DATE '2017-01-01' + CAST(h % 730 AS INTEGER) AS fd,
               CAST(h2 % 100 AS INTEGER) AS r, CAST(h % {suppliers} AS INTEGER) AS s
        FROM b
    )
    SELECT CAST(1000000 + i // 2 AS VARCHAR) AS FAKTURANR, sup.name AS LEVERANTOR,
           sup.orgnr AS ORGNR, CAST(1000 + (h2 // 7) % 200 AS VARCHAR) AS ANSVAR,
           strftime(fd, '%Y-%m-%d') AS FAKTURADATUM,
           strftime(fd + 30, '%Y-%m-%d') AS FORFALLODATUM,
           CASE WHEN r < 3 THEN ''
                ELSE strftime(fd + 30 + CAST(CASE WHEN r < 11 THEN 1 + h2 % 40
                                                  ELSE -(h2 % 20) END AS INTEGER), '%Y-%m-%d')
           END AS BETALDATUM,
           replace(replace(format('{{:,.2f}}', (CASE WHEN r = 99 THEN -1 ELSE 1 END)
                                  * CAST(h2 % 2000000 AS DOUBLE) / 100), ',', ' '), '.', ',')
               AS BELOPP_SEK
    FROM c JOIN sup ON sup.s = c.s ORDER BY i
) TO '{target}' (DELIMITER ';', HEADER true, QUOTE '"')
"""


def _orgnr(rnd: random.Random) -> str:
    """A valid organisation number (third digit 2 or more, Luhn check digit)."""
    nine = f"55{rnd.randint(2, 9)}{rnd.randint(0, 999999):06d}"
    total = 0
    for position, char in enumerate(nine):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return f"{nine[:6]}-{nine[6:]}{(10 - total % 10) % 10}"


def _suppliers() -> list[tuple[int, str, str]]:
    rnd = random.Random(18)
    prefixes = ["Åkesson Bygg", "Ängby Städ", "Östgöta Trafik", "Nordic Office", "Måleri Öst"]
    return [(s, f"{prefixes[s % 5]} {s} AB", _orgnr(rnd)) for s in range(SUPPLIERS)]


def generate(rows: int) -> tuple[Path, Path]:
    """The ledger and the register, made once and reused (same rows every time)."""
    ledger = DATA / f"procurement_{rows}.csv"
    register = DATA / f"avtalsregister_{CONTRACTS}.csv"
    suppliers = _suppliers()
    if not register.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        rnd = random.Random(2018)
        lines = ["leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;ramavtal"]
        for n in range(CONTRACTS):
            s, name, orgnr = suppliers[n % 4_000 if n >= 4_000 else n]
            start = 2016 + (n >= 4_000)
            end = f"{start + 2}-{rnd.randint(1, 12):02d}-28" if rnd.random() < 0.8 else ""
            category = ["IT", "Bygg", "Städ", "Resor", "Kontor"][s % 5]
            lines.append(f"{name};{orgnr};AV-{n};Avtal {n};{category};{start}-01-01;{end};nej")
        register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not ledger.exists():
        import duckdb

        DATA.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE sup (s INTEGER, name VARCHAR, orgnr VARCHAR)")
        con.executemany("INSERT INTO sup VALUES (?, ?, ?)", suppliers)
        partial = ledger.with_suffix(".tmp")
        con.execute(GENERATE.format(rows=rows, suppliers=SUPPLIERS, target=partial))
        partial.rename(ledger)
    return ledger, register


def run(rows: int, repeat: int) -> dict[str, object]:
    ledger, register = generate(rows)
    base = ["uv", "run", "python", "manage.py", "runcontrol"]
    commands = {
        "late_payments": [*base, "late_payments", "--ledger", str(ledger), "--json"],
        "contract_compliance": [
            *base,
            "contract_compliance",
            "--ledger",
            str(ledger),
            "--contracts",
            str(register),
            "--json",
        ],
        "direct_procurement": [
            *base,
            "direct_procurement",
            "--ledger",
            str(ledger),
            "--contracts",
            str(register),
            "--json",
        ],
    }
    figures: dict[str, object] = {
        "rows": rows,
        "file_mib": round(ledger.stat().st_size / 2**20, 1),
        "contracts": CONTRACTS,
    }
    seconds: dict[str, float] = {}
    for label, command in commands.items():
        best = (float("inf"), 0.0, "")
        for _ in range(repeat):
            best = min(best, measure(command))
        seconds[label] = best[0]
        result = json.loads(best[2])
        figures[label] = {
            "seconds": round(best[0], 2),
            "peak_mib": round(best[1]),
            "value": result["value"],
        }
    for label in ("contract_compliance", "direct_procurement"):
        figures[f"{label}_ratio"] = round(seconds[label] / seconds["late_payments"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="default 1000000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command; best is kept")
    args = parser.parse_args()
    warm_up()
    for rows in args.rows or [1_000_000]:
        print(json.dumps(run(rows, args.repeat), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
