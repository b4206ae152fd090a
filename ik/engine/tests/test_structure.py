import io

import pytest
from openpyxl import Workbook

from ik.engine.errors import InputError
from ik.engine.structure import read_committees, read_people, read_unit_tree


def csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_committees_are_read_with_loose_headers_and_the_board_flag():
    rows = read_committees(
        csv(
            "Namn;Kortnamn;Kod;KS;Förvaltningens namn;Ordning\n"
            "Kommunstyrelsen;KS;ks;ja;Kommunstyrelsens förvaltning;1\n"
            "Miljö- och byggnämnden;MBN;;nej;Miljöförvaltningen;\n"
        )
    )
    assert [r.name for r in rows] == ["Kommunstyrelsen", "Miljö- och byggnämnden"]
    assert rows[0].is_executive_board and not rows[1].is_executive_board
    assert rows[1].administration_name == "Miljöförvaltningen"
    assert rows[0].position == 1 and rows[1].position is None


def test_a_repeated_committee_is_refused_with_its_row_and_column():
    with pytest.raises(InputError) as caught:
        read_committees(csv("namn;kod\nSocialnämnden;sn\nsocialnämnden;sn2\n"))
    assert caught.value.row == 3
    assert caught.value.column == "namn"
    assert "finns redan på rad 2" in str(caught.value)


def test_two_executive_boards_and_a_bad_order_are_both_listed():
    with pytest.raises(InputError) as caught:
        read_committees(csv("namn;ks;ordning\nA;ja;1\nB;ja;2\nC;nej;första\n"))
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "ks"), (4, "ordning")]
    assert "2 fel" in str(caught.value)


def test_a_missing_name_column_is_named():
    with pytest.raises(InputError, match="Kolumnen 'namn' saknas"):
        read_committees(csv("nämnden;kod\n"))


def test_units_get_a_kind_from_their_place_in_the_tree():
    rows = read_unit_tree(
        csv(
            "nämnd;enhet;ingår i;typ\n"
            "ks;Kommunstyrelsens förvaltning;;\n"
            "ks;Ekonomiska avdelningen;Kommunstyrelsens förvaltning;\n"
            "ks;Lönegruppen;Ekonomiska avdelningen;Enhet\n"
        )
    )
    assert [r.kind for r in rows] == ["forvaltning", "avdelning", "enhet"]
    assert rows[2].parent == "Ekonomiska avdelningen"


def test_an_unknown_unit_kind_is_refused():
    with pytest.raises(InputError) as caught:
        read_unit_tree(csv("namnd;enhet;typ\nks;IT;sektion\n"))
    assert (caught.value.row, caught.value.column) == (2, "typ")


def test_people_are_read_from_a_workbook_and_a_bad_address_is_refused():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Namn", "Titel", "Telefon", "E-post", "Enhet"])
    sheet.append(["Karin Berg", "Lönechef", "0142-851 00", "Karin@Kommun.se", "Lönegruppen"])
    sheet.append(["Per Ek", "", "", "per-at-kommun", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InputError) as caught:
        read_people(buffer.getvalue())
    assert (caught.value.row, caught.value.column) == (3, "epost")
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    (person,) = read_people(buffer.getvalue())
    assert person.email == "karin@kommun.se"
    assert person.unit == "Lönegruppen"
