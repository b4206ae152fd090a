import dataclasses
import datetime as dt
from decimal import Decimal

from ik.engine.result import Verdict
from ik.reports.data import (
    ActionRow,
    DeviationRow,
    Execution,
    OrganisationInfo,
    PersonInfo,
    ProposalSource,
)
from ik.reports.document import Heading, ItemList, Paragraph, Table
from ik.reports.followup import (
    appendix_table,
    background_text,
    build_followup,
    draft_summary,
    proposal_heading,
)
from ik.reports.tests.reference_data import (
    COLUMN_HEADERS,
    PLAN,
    followup_data,
    reference_cells,
)


def _texts(document):
    for block in document.blocks():
        if isinstance(block, Heading | Paragraph):
            yield block.text
        elif isinstance(block, ItemList):
            yield from block.labelled()


def test_background_cites_the_plan_decision_and_the_administration_in_genitive():
    assert background_text(followup_data()) == (
        "Kommunstyrelsen beslutade vid sitt sammanträde § 276/2017-12-06 om kommunstyrelsens "
        "förvaltnings internkontrollplan för 2018."
    )


def test_background_of_a_plan_not_yet_adopted_says_so():
    data = followup_data(plan=dataclasses.replace(PLAN, adopted=False, decided_on=None))
    assert "ännu inte fastställt" in background_text(data)


def test_proposal_heading_depends_on_who_proposes():
    assert proposal_heading(followup_data()) == "Kommunstyrelsens förvaltnings förslag till beslut"
    data = followup_data(proposal_source=ProposalSource.WORKING_COMMITTEE)
    assert proposal_heading(data) == "Arbetsutskottets förslag till kommunstyrelsen"
    assert "Arbetsutskottets förslag till kommunstyrelsen" in set(_texts(build_followup(data)))


def test_default_decision_approves_the_followup_and_is_numbered():
    texts = list(_texts(build_followup(followup_data())))
    assert (
        "1. Kommunstyrelsen godkänner uppföljning av internkontrollplanen per 31 augusti 2018."
        in texts
    )
    assert texts[texts.index("Beslutet skickas till:") + 1 :][:2] == ["Kommunstyrelsen", "Akten"]


def test_written_decisions_and_distribution_replace_the_defaults():
    data = followup_data(proposed_decisions=("Godkänns.", "Överlämnas."), distribution=("KS",))
    texts = list(_texts(build_followup(data)))
    assert texts[texts.index("1. Godkänns.") :][:2] == ["1. Godkänns.", "2. Överlämnas."]
    assert "Akten" not in texts


def test_appendix_rows_reproduce_the_reference_table_cell_by_cell():
    table = appendix_table(followup_data())
    assert [c.title for c in table.columns] == [*COLUMN_HEADERS, "Bedömning"]
    cells = [cell.text for row in table.rows for cell in row[:6]]
    assert cells == reference_cells()


def test_a_measured_control_gets_its_colour_from_value_and_target():
    table = appendix_table(followup_data())
    assessment = table.rows[0][6]
    assert (assessment.text, assessment.tone) == ("Röd", Verdict.RED)
    assert (table.rows[1][6].text, table.rows[1][6].tone) == ("Ej bedömd", None)


def test_a_recorded_assessment_wins_over_the_computed_one():
    data = followup_data()
    entries = (dataclasses.replace(data.entries[0], assessment=Verdict.YELLOW), *data.entries[1:])
    table = appendix_table(dataclasses.replace(data, entries=entries))
    assert (table.rows[0][6].text, table.rows[0][6].tone) == ("Gul", Verdict.YELLOW)


def test_an_entry_without_result_text_shows_its_status_or_reason():
    data = followup_data()
    entries = (
        dataclasses.replace(
            data.entries[0],
            result_text="",
            execution=Execution.NOT_DONE,
            not_done_reason="Systemet byttes.",
        ),
        dataclasses.replace(data.entries[1], result_text="", execution=Execution.NOT_STARTED),
        *data.entries[2:],
    )
    table = appendix_table(dataclasses.replace(data, entries=entries))
    assert table.rows[0][5].text == "Ej genomförd: Systemet byttes."
    assert table.rows[1][5].text == "Ej påbörjad"


def test_draft_summary_counts_status_deviations_and_measures():
    data = followup_data(summary="")
    deviation = DeviationRow(
        "Sena betalningar",
        "Väsentlig avvikelse",
        (ActionRow("Ny rutin", "Ekonomichef", dt.date(2018, 12, 31), "Planerad"),),
    )
    entries = (dataclasses.replace(data.entries[0], deviations=(deviation,)), *data.entries[1:])
    text = draft_summary(dataclasses.replace(data, entries=entries))
    assert "omfattar 5 kontrollmoment, varav 3 kommungemensamma." in text
    assert "3 kontrollmoment pågår och 2 har ännu inte påbörjats." in text
    assert "1 avvikelse har rapporterats: 1 väsentlig avvikelse. 1 åtgärd är beslutad." in text
    assert "Försent betalda fakturor: 8\u00a0% mot målet högst 5\u00a0% (röd)." in text


def test_draft_summary_uses_decimal_comma_and_says_when_nothing_deviates():
    data = followup_data(summary="")
    entries = (
        dataclasses.replace(data.entries[0], measured_value=Decimal("4.5")),
        *data.entries[1:],
    )
    text = draft_summary(dataclasses.replace(data, entries=entries))
    assert "4,5\u00a0% mot målet högst 5\u00a0% (grön)" in text
    assert "Inga avvikelser har rapporterats." in text


def test_summary_text_when_set_is_used_verbatim_otherwise_the_draft():
    data = followup_data(summary="Egen text.\n\nAndra stycket.")
    texts = list(_texts(build_followup(data)))
    assert "Egen text." in texts and "Andra stycket." in texts
    data = followup_data(summary="")
    assert draft_summary(data) in list(_texts(build_followup(data)))


def test_deviations_and_actions_follow_the_appendix_table():
    data = followup_data()
    deviation = DeviationRow(
        "Sena betalningar",
        "Väsentlig avvikelse",
        (ActionRow("Ny rutin", "Ekonomichef", dt.date(2018, 12, 31), "Planerad"),),
    )
    entries = (dataclasses.replace(data.entries[0], deviations=(deviation,)), *data.entries[1:])
    document = build_followup(dataclasses.replace(data, entries=entries))
    table = document.tables()[-1]
    assert [c.title for c in table.columns] == [
        "Kontrollmoment",
        "Avvikelse",
        "Allvarlighetsgrad",
        "Åtgärd",
        "Ansvarig",
        "Klart senast",
        "Status",
    ]
    assert [c.text for c in table.rows[0]] == [
        "1. Försent betalda fakturor (kommungemensamt)",
        "Sena betalningar",
        "Väsentlig avvikelse",
        "Ny rutin",
        "Ekonomichef",
        "2018-12-31",
        "Planerad",
    ]


def test_without_deviations_the_document_says_none_were_reported():
    texts = list(_texts(build_followup(followup_data())))
    assert "Inga avvikelser har rapporterats per 31 augusti 2018." in texts


def test_contact_block_lists_fax_only_when_set_and_never_prints_none():
    document = build_followup(followup_data())
    labels = [c.label for c in document.contact]
    assert labels == [
        "Postadress",
        "Besöksadress",
        "Telefon",
        "Telefax",
        "Internetadress",
        "e-postadress",
        "Bankgironummer",
    ]
    assert document.contact[0].value == "Mjölby kommun\nKommunstyrelsens förvaltning\n595 80 MJÖLBY"
    bare = followup_data(organisation=OrganisationInfo(name="Liten kommun"))
    contact = build_followup(bare).contact
    assert "Telefax" not in [c.label for c in contact]
    assert all("None" not in c.value for c in contact)


def test_postal_address_that_names_the_organisation_is_not_repeated():
    org = OrganisationInfo(
        name="Mjölby kommun",
        postal_address="Mjölby kommun\nKommunstyrelsens förvaltning\n595 80 MJÖLBY",
    )
    contact = build_followup(followup_data(organisation=org)).contact
    assert contact[0].value == "Mjölby kommun\nKommunstyrelsens förvaltning\n595 80 MJÖLBY"


def test_case_officer_and_signatory_are_named_with_phone_and_title():
    texts = list(_texts(build_followup(followup_data())))
    assert "Carina Brofeldt\nBitr Kommundirektör" in texts
    assert "Carina Brofeldt\nTfn 0142-851 56" in texts
    data = followup_data(case_officer=PersonInfo("Ann Berg"), signatory=None)
    texts = list(_texts(build_followup(data)))
    assert "Ann Berg" in texts and not any("Tfn" in t for t in texts)


def test_appendix_is_a_landscape_section_titled_with_short_name_and_cutoff():
    document = build_followup(followup_data())
    letter, appendix = document.sections
    assert not letter.landscape and appendix.landscape
    assert Heading("Uppföljning av internkontrollplan för KS-förvaltning per 31 aug 2018", 1) in (
        appendix.blocks
    )
    assert isinstance(appendix.blocks[2], Table)


def test_entries_are_listed_by_position_whatever_the_input_order():
    data = followup_data()
    shuffled = dataclasses.replace(data, entries=tuple(reversed(data.entries)))
    first_column = [row[0].text for row in build_followup(shuffled).tables()[0].rows]
    assert [label.split(".")[0] for label in first_column] == ["1", "2", "3", "4", "5"]
