import dataclasses
import datetime as dt

from ik.reports.data import ActionRow, DeviationRow
from ik.reports.followup import build_followup
from ik.reports.plan import build_plan
from ik.reports.render_docx import render_docx
from ik.reports.render_pdf import render_pdf
from ik.reports.render_xlsx import render_xlsx
from ik.reports.tests.readback import cell_texts, docx_cells, flat, pdf_text, xlsx_cells
from ik.reports.tests.reference_data import followup_data, plan_data


def _with_deviation():
    data = followup_data()
    deviation = DeviationRow(
        "8 % betalades för sent.",
        "Väsentlig avvikelse",
        (ActionRow("Revidera rutinen", "Ekonomichef", dt.date(2018, 12, 31), "Planerad"),),
    )
    entries = (dataclasses.replace(data.entries[0], deviations=(deviation,)), *data.entries[1:])
    return dataclasses.replace(data, entries=entries)


def test_docx_pdf_and_xlsx_carry_the_same_table_cells():
    for document in (build_followup(_with_deviation()), build_plan(plan_data())):
        expected = cell_texts(document)
        assert docx_cells(render_docx(document)) == expected
        assert xlsx_cells(render_xlsx(document)) - {""} == expected - {""}
        text = flat(pdf_text(render_pdf(document)))
        assert [cell for cell in expected if flat(cell) not in text] == []
