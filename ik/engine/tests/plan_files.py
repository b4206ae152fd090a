"""Plan files made the way municipalities make them, built in the tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from openpyxl import Workbook

HEADER = (
    "Nr",
    "Process/rutin",
    "Kontrollmoment",
    "Syfte med granskningen",
    "Omfattning/ avgränsning",
    "Kontrollmetod",
    "Kontrollansvarig",
    "Enhet",
    "Tidpunkt/ frekvens",
)
ROWS = (
    ("Direktåtgärder",),
    ("Å1", "Delegation", "Inför rutin för delegationsbeslut", "", "", "", "Miljöchef", "Miljö", ""),
    ("Nämndens granskningar",),
    (
        "V1",
        "Tillsyn",
        "Följs tillsynsplanen?",
        "Säkra att tillsyn görs",
        "Livsmedel 2019",
        "Stickprov 10 ärenden",
        "Enhetschef",
        "Livsmedel",
        "2 gånger per år",
    ),
    ("V2", "", "Tas avgifter ut enligt taxan?", "", "", "Genomgång", "Enhetschef", "", "Årligen"),
)


def municipal_xlsx(rows: Sequence[Sequence[str]] = ROWS, header: Sequence[str] = HEADER) -> bytes:
    """Title rows, a merged title, a header cell merged over two columns, merged process."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Försättsblad"
    sheet["A1"] = "Miljönämnden"
    plan = book.create_sheet("IK-plan 2019")
    plan["A1"] = "Internkontrollplan 2019 för Miljönämnden"
    plan.merge_cells("A1:I1")
    plan["A2"] = "Antagen av nämnden 2019-01-22 § 5"
    plan.append([])
    plan.append(list(header))
    for row in rows:
        plan.append(list(row))
    # The last header is merged over two columns, with nothing under the second.
    plan.merge_cells(start_row=4, start_column=len(header), end_row=4, end_column=len(header) + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def municipal_csv(encoding: str = "cp1252") -> bytes:
    lines = ["Internkontrollplan 2019;;;", ";;;", "Nr;Process;Kontrollmoment;Ansvarig;Frekvens"]
    lines += ["V1;Inköp;Följs avtalen?;Inköpschef;Årligen", "V2;;Attesteras fakturor?;Ekonom;"]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def municipal_docx() -> bytes:
    """A letter-style document: a layout table first, then the plan's table."""
    document = docx.Document()
    document.add_heading("Internkontrollplan 2019", level=1)
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "Miljönämnden"
    layout.cell(0, 1).text = "Dnr MN 2018/77"
    document.add_paragraph("Nämnden fastställer planen enligt nedan.")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells,
        ("Process", "Risk", "Kontrollmoment", "Kontrollansvarig", "Tidpunkt/frekvens"),
        strict=True,
    ):
        cell.text = text
    for values in (
        ("Ekonomi", "Fel belopp", "Stämmer utbetalningarna?", "Controller", "Kvartalsvis"),
        ("", "Jäv", "Finns jävsdeklarationer?", "Nämndsekreterare", "Årligen"),
    ):
        row = table.add_row().cells
        for cell, text in zip(row, values, strict=True):
            cell.text = text
    # The process cell merged down over both rows, as Word plans often have it.
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 0).text = "Ekonomi"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
