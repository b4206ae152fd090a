import pytest

from ik.engine.result import Verdict
from ik.reports.document import Cell, Column, ItemList, ListKind, Table


def test_a_coloured_cell_must_also_say_its_assessment_in_words():
    with pytest.raises(ValueError):
        Cell("", Verdict.RED)
    assert Cell("Röd", Verdict.RED).tone is Verdict.RED


def test_every_table_row_has_one_cell_per_column():
    with pytest.raises(ValueError):
        Table("T", (Column("A"), Column("B")), ((Cell("1"),),))


def test_numbered_lists_print_their_numbers_as_text():
    items = ItemList(("Först", "Sedan"), ListKind.NUMBERED)
    assert items.labelled() == ["1. Först", "2. Sedan"]
