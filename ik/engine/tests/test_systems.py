"""Reading and writing the registers behind the IT-continuity controls."""

from datetime import datetime
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ik.engine.errors import InputError
from ik.engine.systems import (
    Competence,
    Criticality,
    Role,
    System,
    competence_to_csv,
    competence_to_xlsx,
    read_competence,
    read_drill_log,
    read_participants,
    read_systems,
    read_units,
    systems_to_csv,
    systems_to_xlsx,
)

HEADER = "system;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmottagare"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_systems_register_reads_every_documented_column():
    data = csv_bytes(
        HEADER + ";agare;larmmetod",
        "Nätverk;samhällskritisk;1;;2;ja;IT-jour;IT-enheten;SNMP",
        'E-post;verksamhetskritisk;3;"Nätverk, DNS";0,5;nej;;IT-enheten;',
        "DNS;övrig;2;nätverk;;x;Jour;;",
    )
    net, mail, dns = read_systems(data)
    assert net == System(
        "Nätverk", "IT-enheten", Criticality.SOCIETY, 1, (), 2.0, True, "SNMP", "IT-jour"
    )
    assert mail.depends_on == ("Nätverk", "DNS")
    assert mail.rto_hours == 0.5 and mail.has_alarm is False
    # A reference in another case is rewritten to the register's own spelling.
    assert dns.depends_on == ("Nätverk",)
    assert dns.rto_hours is None and dns.criticality is Criticality.OTHER
    assert (net.row, mail.row, dns.row) == (2, 3, 4)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_systems_register_accepts_semicolon_comma_and_tab(delimiter):
    header = HEADER.replace(";", delimiter)
    row = delimiter.join(["E-post", "övrig", "2", '"A, B"', "4", "ja", "Jour"])
    (system,) = read_systems(csv_bytes(header, row))
    assert system.depends_on == ("A", "B")
    assert system.priority == 2


def test_swedish_headers_match_loosely():
    data = csv_bytes(
        "System;Kritikalitet;Prioritet;Beror på;RTO (timmar);Larm;Larmmottagare;Ägare",
        "Lön;Verksamhetskritisk;4;;24;JA;Servicedesk;Personalavdelningen",
    )
    (system,) = read_systems(data)
    assert system.owner_unit == "Personalavdelningen"
    assert system.rto_hours == 24.0


def test_windows_1252_and_utf8_with_bom_read_the_same():
    lines = (HEADER, "Växel;samhällskritisk;1;;1;ja;Jour")
    plain = read_systems(csv_bytes(*lines, encoding="cp1252"))
    bom = read_systems(b"\xef\xbb\xbf" + csv_bytes(*lines))
    assert plain == bom
    assert plain[0].name == "Växel"


def test_xlsx_register_is_read_from_the_first_sheet():
    data = xlsx_bytes(
        [
            [
                "system",
                "kritikalitet",
                "prioritet",
                "beror_pa",
                "rto_timmar",
                "larm",
                "larmmottagare",
            ],
            ["Nätverk", "samhällskritisk", 1, None, 2.5, True, "Jour"],
            ["E-post", "övrig", 2.0, "Nätverk", None, False, None],
        ]
    )
    net, mail = read_systems(data)
    assert net.priority == 1 and net.rto_hours == 2.5 and net.has_alarm
    assert mail.priority == 2 and mail.depends_on == ("Nätverk",) and not mail.has_alarm


def test_duplicate_system_names_are_refused_with_both_rows():
    data = csv_bytes(HEADER, "DNS;övrig;1;;;nej;", "dns;övrig;2;;;nej;")
    with pytest.raises(InputError) as caught:
        read_systems(data)
    assert caught.value.row == 3
    assert "rad 2" in caught.value.message and "'dns'" in caught.value.message


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        ("DNS;övrig;hög;;;nej;", "prioritet", "hög"),
        ("DNS;övrig;0;;;nej;", "prioritet", "0"),
        ("DNS;superviktig;1;;;nej;", "kritikalitet", "superviktig"),
        ("DNS;övrig;1;;fyra;nej;", "rto_timmar", "fyra"),
        ("DNS;övrig;1;;;kanske;", "larm", "kanske"),
    ],
)
def test_bad_register_values_name_row_column_and_value(row, column, value):
    with pytest.raises(InputError) as caught:
        read_systems(csv_bytes(HEADER, "Nätverk;övrig;1;;;nej;", row))
    assert (caught.value.row, caught.value.column) == (3, column)
    assert repr(value) in caught.value.message


def test_every_bad_row_is_listed_not_only_the_first():
    data = csv_bytes(HEADER, "A;övrig;x;;;nej;", "B;okänd;1;;;nej;")
    with pytest.raises(InputError) as caught:
        read_systems(data)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "prioritet"),
        (3, "kritikalitet"),
    ]
    assert caught.value.message.startswith("2 fel")


def test_missing_column_is_named():
    with pytest.raises(InputError, match="'prioritet' saknas"):
        read_systems(csv_bytes("system;kritikalitet", "A;övrig"))


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        read_systems(tmp_path / "finns_inte.csv")


SYSTEMS = (
    System("Nätverk", "IT", Criticality.SOCIETY, 1),
    System("E-post", "IT", Criticality.BUSINESS, 2, ("Nätverk",)),
)


def test_competence_list_resolves_names_and_roles():
    data = csv_bytes("system;person;roll", "nätverk;Anna;Primär", "E-post;Björn;backup")
    first, second = read_competence(data, SYSTEMS)
    assert first == Competence("Nätverk", "Anna", Role.PRIMARY)
    assert second.role is Role.BACKUP


def test_competence_list_refuses_unknown_system_and_role():
    with pytest.raises(InputError) as caught:
        read_competence(csv_bytes("system;person;roll", "Växel;Anna;primär"), SYSTEMS)
    assert (caught.value.row, caught.value.column) == (2, "system")
    assert "'Växel'" in caught.value.message
    with pytest.raises(InputError) as caught:
        read_competence(csv_bytes("system;person;roll", "E-post;Anna;chef"), SYSTEMS)
    assert caught.value.column == "roll" and "'chef'" in caught.value.message


def test_drill_log_takes_start_row_and_times():
    data = csv_bytes("system;uppe", "Start;2018-10-16 06:00", "Nätverk;2018-10-16T06:20:00")
    log = read_drill_log(data, SYSTEMS)
    assert log.start == datetime(2018, 10, 16, 6, 0)
    assert [(e.system, e.up_at, e.row) for e in log.events] == [
        ("Nätverk", datetime(2018, 10, 16, 6, 20), 3)
    ]


def test_drill_log_refuses_bad_time_unknown_system_and_repeats():
    with pytest.raises(InputError) as caught:
        read_drill_log(csv_bytes("system;uppe", "Nätverk;kvart över sex"), SYSTEMS)
    assert (caught.value.row, caught.value.column) == (2, "uppe")
    assert "'kvart över sex'" in caught.value.message
    with pytest.raises(InputError, match="finns inte i systemregistret"):
        read_drill_log(csv_bytes("system;uppe", "Växel;2018-10-16 06:00"), SYSTEMS)
    with pytest.raises(InputError, match="finns redan på rad 2"):
        read_drill_log(
            csv_bytes("system;uppe", "Nätverk;2018-10-16 06:00", "Nätverk;2018-10-16 07:00")
        )


def test_drill_log_refuses_mixed_time_zones():
    data = csv_bytes("system;uppe", "Nätverk;2018-10-16 06:00+02:00", "E-post;2018-10-16 06:10")
    with pytest.raises(InputError, match="tidszon") as caught:
        read_drill_log(data, SYSTEMS)
    assert caught.value.row == 3


def test_units_and_participants():
    assert read_units(csv_bytes("Förvaltning", "KS", "Social")) == ("KS", "Social")
    with pytest.raises(InputError, match="finns redan på rad 2"):
        read_units(csv_bytes("enhet", "KS", "ks"))
    people = read_participants(csv_bytes("enhet;namn", "KS;Anna", "Social;"))
    assert [(p.unit, p.name, p.row) for p in people] == [("KS", "Anna", 2), ("Social", "", 3)]


names = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_characters=',;"\r\n\t\x00',
        exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
    ),
    min_size=1,
    max_size=12,
)
systems_strategy = st.lists(
    st.builds(
        System,
        name=names,
        owner_unit=st.sampled_from(["", "IT-enheten", "Räddningstjänsten"]),
        criticality=st.sampled_from(list(Criticality)),
        priority=st.integers(1, 99),
        depends_on=st.lists(names, max_size=3, unique_by=str.casefold).map(tuple),
        rto_hours=st.none() | st.sampled_from([0.5, 1.0, 2.25, 24.0, 72.0]),
        has_alarm=st.booleans(),
        alarm_method=st.sampled_from(["", "Prometheus"]),
        alarm_recipient=st.sampled_from(["", "IT-jour", "Larmcentralen"]),
    ),
    max_size=6,
    unique_by=lambda s: s.name.casefold(),
)


def _canonical(systems):
    # Names are compared case-insensitively; the reader rewrites references to the register.
    return read_systems(systems_to_csv(systems))


@settings(max_examples=60, deadline=None)
@given(systems_strategy)
def test_systems_register_survives_a_csv_round_trip(systems):
    systems = [s for s in systems if " ".join(s.name.split()) == s.name]
    if not systems:
        return
    once = _canonical(systems)
    assert read_systems(systems_to_csv(once)) == once
    assert [s.name for s in once] == [s.name for s in systems]
    assert [(s.priority, s.rto_hours, s.has_alarm) for s in once] == [
        (s.priority, s.rto_hours, s.has_alarm) for s in systems
    ]


def test_systems_register_survives_an_xlsx_round_trip():
    systems = read_systems("ik/engine/examples/exempel_system.csv")
    assert read_systems(systems_to_xlsx(systems)) == systems
    assert read_systems(systems_to_csv(systems)) == systems


def test_competence_list_survives_csv_and_xlsx_round_trips():
    entries = (
        Competence("Nätverk", "Anna Öst", Role.PRIMARY),
        Competence("E-post", "Björn", Role.BACKUP),
    )
    assert read_competence(competence_to_csv(entries), SYSTEMS) == entries
    assert read_competence(competence_to_xlsx(entries), SYSTEMS) == entries


def test_unquoted_list_in_a_comma_separated_file_is_refused_not_truncated():
    header = HEADER.replace(";", ",")
    with pytest.raises(InputError, match="fler fält") as caught:
        read_systems(csv_bytes(header, "E-post,övrig,2,Nätverk,DNS,4,ja,Jour"))
    assert caught.value.row == 2
