"""Start-up priority list and outage drill."""

import hashlib
import json
from datetime import datetime, timedelta
from graphlib import TopologicalSorter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.controls.continuity_common import records_sha256
from ik.engine.controls.outage_drill.control import outage_drill
from ik.engine.controls.startup_order.control import startup_order
from ik.engine.errors import InputError
from ik.engine.result import Verdict
from ik.engine.systems import Criticality, DrillEvent, DrillLog, System

SOC, BUS, OTH = Criticality.SOCIETY, Criticality.BUSINESS, Criticality.OTHER


def system(name, priority, *deps, crit=OTH, unit="IT", rto=None):
    return System(name, unit, crit, priority, tuple(deps), rto)


CHAIN = [
    system("E-post", 3, "DNS", crit=BUS, rto=4),
    system("Nätverk", 1, crit=SOC, rto=1),
    system("DNS", 2, "Nätverk", crit=SOC, rto=2),
]


def kinds(result):
    return [f.kind for f in result.findings]


def test_consistent_list_is_green_with_no_findings():
    result = startup_order(CHAIN)
    assert result.verdict is Verdict.GREEN
    assert result.value == 0 and result.findings == ()
    assert result.details["proposed_order"] == ["Nätverk", "DNS", "E-post"]
    assert result.rows == 3


def test_cycle_names_every_system_in_it_and_blocks_what_depends_on_it():
    systems = [
        system("A", 1, "C"),
        system("B", 2, "A"),
        system("C", 3, "B"),
        system("D", 4, "A"),
        system("Fri", 5),
    ]
    result = startup_order(systems)
    (cycle,) = [f for f in result.findings if f.kind == "cycle"]
    assert cycle.data["systems"] == ["A", "B", "C"]
    assert cycle.data["cycle"][0] == cycle.data["cycle"][-1]
    assert set(cycle.data["cycle"]) == {"A", "B", "C"}
    assert "A, B och C" in cycle.message
    assert result.verdict is Verdict.RED
    assert result.details["not_orderable"] == ["A", "B", "C", "D"]
    assert result.details["proposed_order"] == ["Fri"]


def test_separate_cycles_and_self_dependency_are_each_reported():
    systems = [
        system("A", 1, "B"),
        system("B", 1, "A"),
        system("C", 1, "D"),
        system("D", 1, "C"),
        system("Egen", 1, "Egen"),
    ]
    cycles = sorted(f.data["systems"] for f in startup_order(systems).findings)
    assert cycles == [["A", "B"], ["C", "D"], ["Egen"]]


def test_dependency_on_unknown_system_is_red():
    result = startup_order([system("E-post", 1, "Exchange")])
    assert kinds(result) == ["unknown_dependency"]
    assert result.findings[0].data == {"system": "E-post", "dependency": "Exchange"}
    assert result.verdict is Verdict.RED
    assert result.details["proposed_order"] == ["E-post"]


def test_priority_before_dependency_is_yellow_unless_the_system_is_samhallskritisk():
    minor = startup_order([system("Intranät", 1, "DNS"), system("DNS", 2, crit=SOC)])
    assert kinds(minor) == ["priority_before_dependency"]
    assert minor.findings[0].data["dependency_priority"] == 2
    assert minor.verdict is Verdict.YELLOW
    assert minor.value == 1
    vital = startup_order([system("Larm", 1, "DNS", crit=SOC), system("DNS", 2)])
    assert vital.verdict is Verdict.RED


def test_equal_priority_means_together_and_is_accepted():
    result = startup_order([system("A", 2, "B"), system("B", 2)])
    assert result.findings == ()
    assert result.details["proposed_order"] == ["B", "A"]


def test_proposed_order_breaks_ties_by_criticality_then_swedish_name():
    systems = [
        system("Ö", 1, crit=BUS),
        system("Å", 1, crit=BUS),
        system("Z", 1, crit=BUS),
        system("Vatten", 1, crit=SOC),
        system("Sist", 2, crit=SOC),
    ]
    order = startup_order(systems).details["proposed_order"]
    assert order == ["Vatten", "Z", "Å", "Ö", "Sist"]


def test_a_late_dependency_of_an_urgent_system_is_started_with_it():
    systems = [system("Växel", 9), system("Larm", 1, "Växel"), system("Annat", 2)]
    order = startup_order(systems).details["proposed_order"]
    assert order == ["Växel", "Larm", "Annat"]


def test_breakdown_counts_systems_with_problems_per_owning_unit():
    systems = [
        system("A", 1, "B", unit="Räddningstjänsten"),
        system("B", 2, unit="IT"),
        system("C", 1, unit="IT"),
    ]
    by_unit = {u.unit: (u.n, u.count) for u in startup_order(systems).by_unit}
    assert by_unit == {"IT": (2, 0), "Räddningstjänsten": (1, 1)}


def test_fingerprint_ignores_row_order_but_not_content():
    first = startup_order(CHAIN).input_sha256
    assert startup_order(list(reversed(CHAIN))).input_sha256 == first
    changed = [*CHAIN[:2], system("DNS", 3, "Nätverk", crit=SOC, rto=2)]
    assert startup_order(changed).input_sha256 != first


@st.composite
def graphs(draw, acyclic):
    n = draw(st.integers(1, 25))
    systems = []
    for i in range(n):
        pool = list(range(i)) if acyclic else list(range(n))
        deps = draw(st.lists(st.sampled_from(pool), max_size=4, unique=True)) if pool else []
        crit = draw(st.sampled_from(list(Criticality)))
        systems.append(
            system(f"S{i}", draw(st.integers(1, 5)), *(f"S{d}" for d in deps), crit=crit)
        )
    return draw(st.permutations(systems))


@settings(max_examples=80, deadline=None)
@given(graphs(acyclic=True))
def test_proposed_order_of_an_acyclic_register_is_a_valid_start_up_order(systems):
    result = startup_order(systems)
    order = result.details["proposed_order"]
    assert sorted(order) == sorted(s.name for s in systems)
    position = {name: i for i, name in enumerate(order)}
    for s in systems:
        assert all(position[d] < position[s.name] for d in s.depends_on)
    assert "cycle" not in kinds(result)
    violations = sum(
        1
        for s in systems
        for d in s.depends_on
        if s.priority < next(o.priority for o in systems if o.name == d)
    )
    assert result.value == violations


@settings(max_examples=80, deadline=None)
@given(graphs(acyclic=False))
def test_cycles_are_found_exactly_when_graphlib_finds_one(systems):
    result = startup_order(systems)
    sorter = TopologicalSorter({s.name: s.depends_on for s in systems})
    try:
        tuple(sorter.static_order())
        has_cycle = False
    except Exception:
        has_cycle = True
    assert ("cycle" in kinds(result)) == has_cycle
    listed = result.details["proposed_order"] + result.details["not_orderable"]
    assert sorted(listed) == sorted(s.name for s in systems)
    deps = {s.name: set(s.depends_on) for s in systems}
    for finding in result.findings:
        if finding.kind == "cycle":
            path = finding.data["cycle"]
            assert all(b in deps[a] for a, b in zip(path, path[1:], strict=False))


# --- outage drill -------------------------------------------------------------------------

START = datetime(2018, 10, 16, 6, 0)


def at(minutes):
    return START + timedelta(minutes=minutes)


def events(**minutes):
    return [DrillEvent(name.replace("_", "-"), at(m)) for name, m in minutes.items()]


def drill(systems, log, start=START):
    return outage_drill(systems, log, start)


def test_drill_in_order_and_within_rto_is_green():
    log = [DrillEvent("Nätverk", at(30)), DrillEvent("DNS", at(60)), DrillEvent("E-post", at(120))]
    result = drill(CHAIN, log)
    assert result.verdict is Verdict.GREEN and result.findings == ()
    assert result.details["actual_order"] == ["Nätverk", "DNS", "E-post"]
    assert result.details["recovery_hours"]["E-post"] == 2.0
    assert result.parameters["start_source"] == "parameter"


def test_system_up_before_its_dependency_is_an_order_violation():
    log = [DrillEvent("Nätverk", at(10)), DrillEvent("E-post", at(20)), DrillEvent("DNS", at(30))]
    result = drill(CHAIN, log)
    violations = [f for f in result.findings if f.kind == "order_violation"]
    assert [(f.data["system"], f.data["dependency"]) for f in violations] == [("E-post", "DNS")]
    assert result.verdict is Verdict.RED


def test_dependency_that_never_came_up_is_reported_twice_over():
    log = [DrillEvent("Nätverk", at(10)), DrillEvent("E-post", at(20))]
    result = drill(CHAIN, log)
    assert sorted(kinds(result)) == ["not_recovered", "order_violation"]
    assert result.findings[0].data["dependency_up_at"] is None


def test_recovery_time_over_target_is_rto_exceeded():
    log = [DrillEvent("Nätverk", at(61)), DrillEvent("DNS", at(90)), DrillEvent("E-post", at(100))]
    result = drill(CHAIN, log)
    assert kinds(result) == ["rto_exceeded"]
    assert result.findings[0].data == {
        "system": "Nätverk",
        "hours": round(61 / 60, 4),
        "rto_hours": 1,
    }
    assert "1,02 timmar" in result.findings[0].message


def test_start_comes_from_log_then_from_earliest_time():
    log = [DrillEvent("Nätverk", at(61)), DrillEvent("DNS", at(90)), DrillEvent("E-post", at(100))]
    from_log = outage_drill(CHAIN, DrillLog(tuple(log), START))
    assert from_log.parameters["start_source"] == "logg"
    assert kinds(from_log) == ["rto_exceeded"]
    earliest = outage_drill(CHAIN, log)
    assert earliest.parameters["start_source"] == "tidigaste"
    assert earliest.details["recovery_hours"]["Nätverk"] == 0.0
    assert earliest.findings == ()


def test_less_urgent_system_up_first_is_a_priority_violation_unless_needed():
    systems = [system("Larm", 1, crit=SOC), system("Webb", 3), system("Växel", 5)]
    systems.append(system("Radio", 2, "Växel", crit=SOC))
    log = [
        DrillEvent("Webb", at(5)),
        DrillEvent("Växel", at(6)),
        DrillEvent("Larm", at(10)),
        DrillEvent("Radio", at(12)),
    ]
    result = drill(systems, log)
    found = {f.data["system"]: f.data["still_down"] for f in result.findings}
    # Växel is needed by Radio, so it may come first; it still preceded Larm.
    assert found == {"Webb": ["Larm", "Radio"], "Växel": ["Larm"]}
    assert result.verdict is Verdict.YELLOW


def test_unrecovered_system_classed_ovrig_alone_is_yellow_critical_is_red():
    systems = [system("Nätverk", 1, crit=SOC), system("Bibliotek", 2)]
    yellow = drill(systems, [DrillEvent("Nätverk", at(5))])
    assert kinds(yellow) == ["not_recovered"] and yellow.verdict is Verdict.YELLOW
    red = drill(systems, [DrillEvent("Bibliotek", at(5))])
    assert red.verdict is Verdict.RED


def test_drill_refuses_unknown_system_repeats_and_times_before_start():
    with pytest.raises(InputError, match="finns inte i systemregistret"):
        drill(CHAIN, [DrillEvent("Växel", at(1))])
    with pytest.raises(InputError, match="två gånger"):
        drill(CHAIN, [DrillEvent("DNS", at(1)), DrillEvent("dns", at(2))])
    with pytest.raises(InputError, match="före driftstoppets start") as caught:
        drill(CHAIN, [DrillEvent("DNS", at(-5), row=4)])
    assert caught.value.row == 4
    with pytest.raises(InputError, match="tom"):
        outage_drill(CHAIN, [])


def documented_fingerprint(systems):
    """The canonical form as the docstring of records_sha256 describes it."""
    records = sorted(
        json.dumps(
            {
                "name": s.name,
                "owner_unit": s.owner_unit,
                "criticality": s.criticality.value,
                "priority": s.priority,
                "depends_on": list(s.depends_on),
                "rto_hours": s.rto_hours,
                "has_alarm": s.has_alarm,
                "alarm_method": s.alarm_method,
                "alarm_recipient": s.alarm_recipient,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        for s in systems
    )
    return hashlib.sha256("\n".join(["systems", *records]).encode()).hexdigest()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.builds(
            System,
            name=st.text(max_size=8),
            owner_unit=st.text(max_size=4),
            criticality=st.sampled_from(list(Criticality)),
            priority=st.integers(1, 10**6),
            depends_on=st.lists(st.text(max_size=5), max_size=3).map(tuple),
            rto_hours=st.none() | st.floats(0, 1e6),
            has_alarm=st.booleans(),
            alarm_method=st.text(max_size=4),
            alarm_recipient=st.text(max_size=4),
        ),
        max_size=5,
    )
)
def test_register_fingerprint_follows_the_documented_canonical_form(systems):
    assert records_sha256(systems=systems) == documented_fingerprint(systems)


def test_drill_summary_counts_systems_not_findings():
    log = [DrillEvent("Nätverk", at(10)), DrillEvent("E-post", at(20)), DrillEvent("DNS", at(30))]
    systems = [*CHAIN[1:], system("E-post", 3, "DNS", "Nätverk", "Fil"), system("Fil", 1)]
    log.append(DrillEvent("Fil", at(40)))
    result = drill(systems, log)
    assert [f.kind for f in result.findings].count("order_violation") == 2
    assert "1 var uppe före något de beror på" in result.summary
