"""Competence overlap, alarm coverage and participation, and the example registers."""

from pathlib import Path

import pytest

from ik.engine.controls.alarm_coverage.control import (
    AlertRule,
    alarm_coverage,
    parse_alert_rules,
    rule_matches,
)
from ik.engine.controls.competence_overlap.control import competence_overlap
from ik.engine.controls.outage_drill.control import outage_drill
from ik.engine.controls.participation.control import participation
from ik.engine.controls.startup_order.control import startup_order
from ik.engine.errors import InputError
from ik.engine.result import Verdict
from ik.engine.sampling import Sample, redraw
from ik.engine.systems import (
    Competence,
    Criticality,
    Participant,
    Role,
    System,
    read_competence,
    read_drill_log,
    read_participants,
    read_systems,
    read_units,
)

SOC, BUS, OTH = Criticality.SOCIETY, Criticality.BUSINESS, Criticality.OTHER
P, B = Role.PRIMARY, Role.BACKUP


def system(name, crit=SOC, *, alarm=True, recipient="IT-jour", unit="IT"):
    return System(name, unit, crit, 1, (), None, alarm, "Prometheus", recipient)


SYSTEMS = [system("Larm"), system("Vård", BUS), system("Bibliotek", OTH)]


def kinds(result):
    return [f.kind for f in result.findings]


# --- competence overlap --------------------------------------------------------------------


def test_two_people_per_critical_system_is_green():
    competence = [
        Competence("Larm", "Anna", P),
        Competence("Larm", "Björn", B),
        Competence("Vård", "Cilla", P),
        Competence("Vård", "Anna", B),
    ]
    result = competence_overlap(SYSTEMS, competence)
    assert result.verdict is Verdict.GREEN and result.value == 1.0
    assert result.details["people"] == {"Larm": ["Anna", "Björn"], "Vård": ["Anna", "Cilla"]}


def test_one_person_or_nobody_is_a_single_point_of_failure():
    # The same person twice, in two roles, is still one person.
    competence = [Competence("Larm", "Anna", P), Competence("Larm", "anna", B)]
    result = competence_overlap(SYSTEMS, competence)
    found = {f.data["system"]: f.data["people"] for f in result.findings}
    assert found == {"Larm": ["Anna"], "Vård": []}
    assert kinds(result) == ["single_point_of_failure"] * 2
    assert result.value == 0.0 and result.verdict is Verdict.RED
    assert "Bibliotek" not in result.details["people"]


def test_sole_backup_for_many_critical_systems_is_a_key_person():
    systems = [system(f"S{i}") for i in range(4)]
    competence = [
        c
        for i in range(4)
        for c in (Competence(f"S{i}", f"P{i}", P), Competence(f"S{i}", "Dana", B))
    ]
    result = competence_overlap(systems, competence, key_person_threshold=4)
    assert kinds(result) == ["key_person"]
    assert result.findings[0].data == {"person": "Dana", "systems": ["S0", "S1", "S2", "S3"]}
    assert result.verdict is Verdict.YELLOW and result.value == 1.0
    relaxed = competence_overlap(systems, competence, key_person_threshold=5)
    assert relaxed.verdict is Verdict.GREEN


def test_competence_sample_checks_only_the_drawn_systems_and_can_be_redrawn():
    systems = [system(f"System {i}") for i in range(10)]
    result = competence_overlap(systems, [], sample_size=2, seed=2018)
    sample = result.details["sample"]
    assert sample["n"] == 2 and sample["population_size"] == 10
    assert [f.data["system"] for f in result.findings] == sample["items"]
    assert result.parameters == {"key_person_threshold": 3, "sample_size": 2, "seed": 2018}
    again = competence_overlap(systems, [], sample_size=2, seed=2018)
    assert again.details["sample"] == sample


def test_competence_for_unknown_system_is_refused():
    with pytest.raises(InputError, match="'Växel'") as caught:
        competence_overlap(SYSTEMS, [Competence("Växel", "Anna", P, row=7)])
    assert caught.value.row == 7


# --- alarm coverage ------------------------------------------------------------------------

RULES = """
groups:
  - name: system
    rules:
      - alert: LarmNere
        expr: up == 0
        labels: {system: larm}
      - alert: VardSystemDown
        expr: up == 0
      - record: job:up:sum
        expr: sum(up)
"""


def test_missing_alarm_and_recipient_are_red_for_critical_systems_only():
    systems = [
        system("Larm", alarm=False),
        system("Vård", BUS, recipient=""),
        system("Bibliotek", OTH, alarm=False, recipient=""),
    ]
    result = alarm_coverage(systems)
    assert [(f.kind, f.data["system"]) for f in result.findings] == [
        ("no_alarm", "Larm"),
        ("no_recipient", "Vård"),
    ]
    assert result.verdict is Verdict.RED and result.value == 0.0


def test_alert_rule_found_by_label_or_by_rule_name_else_yellow():
    systems = [system("Larm"), system("Vård system", BUS), system("Växel")]
    result = alarm_coverage(systems, RULES)
    assert [(f.kind, f.data["system"]) for f in result.findings] == [("no_alert_rule", "Växel")]
    assert result.details["alert_rules"] == {
        "Larm": ["LarmNere"],
        "Vård system": ["VardSystemDown"],
        "Växel": [],
    }
    assert result.verdict is Verdict.YELLOW
    assert result.value == pytest.approx(2 / 3)


def test_rule_name_must_contain_the_whole_system_name_as_words():
    ad = system("AD")
    assert rule_matches(AlertRule("ADDomainControllerDown", "", "g"), ad)
    assert not rule_matches(AlertRule("LoadHigh", "", "g"), ad)
    assert not rule_matches(AlertRule("RainDown", "", "g"), system("Raindance"))


def test_recording_rules_are_skipped_and_bad_yaml_refused():
    assert [r.name for r in parse_alert_rules(RULES)] == ["LarmNere", "VardSystemDown"]
    with pytest.raises(InputError, match="groups"):
        parse_alert_rules("rules: []")
    with pytest.raises(InputError, match="YAML") as caught:
        parse_alert_rules("groups:\n  - name: [oavslutad\n")
    assert caught.value.row is not None


def test_alarm_sample_checks_n_critical_systems():
    systems = [system(f"S{i}", alarm=False) for i in range(6)] + [system("Ö", OTH)]
    result = alarm_coverage(systems, sample_size=2, seed=5)
    assert len(result.findings) == 2
    assert {f.data["system"] for f in result.findings} == set(result.details["sample"]["items"])
    assert "Ö" not in result.details["sample"]["items"]


# --- participation -------------------------------------------------------------------------


def test_every_unit_present_is_green():
    people = [Participant("KS", "Anna"), Participant("socialförvaltningen ", "Björn")]
    result = participation(["KS", "Socialförvaltningen"], people)
    assert result.verdict is Verdict.GREEN and result.value == 1.0


def test_missing_unit_is_a_finding_and_lowers_the_share():
    people = [Participant("KS", "Anna"), Participant("KS", "Björn"), Participant("Bolaget")]
    result = participation(["KS", "Social", "Kultur"], people)
    assert [f.data["unit"] for f in result.findings] == ["Kultur", "Social"]
    assert result.value == pytest.approx(1 / 3)
    assert result.verdict is Verdict.RED
    ks = next(u for u in result.by_unit if u.unit == "KS")
    assert ks.extra == {"participants": 2, "names": ["Anna", "Björn"]}
    assert result.details["other_units"] == ["Bolaget"]


def test_warning_limit_gives_a_yellow_band():
    units = [f"Förvaltning {i}" for i in range(10)]
    people = [Participant(u) for u in units[:9]]
    assert participation(units, people, warning_limit=0.9).verdict is Verdict.YELLOW


def test_empty_unit_list_is_refused():
    with pytest.raises(InputError):
        participation([], [])


# --- the example registers shipped for the demo ---------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def example_systems():
    return read_systems(EXAMPLES / "exempel_system.csv")


def test_example_register_has_priority_violations_to_show(example_systems):
    result = startup_order(example_systems)
    assert len(example_systems) >= 15
    assert set(kinds(result)) == {"priority_before_dependency"}
    assert result.verdict is Verdict.YELLOW


def test_example_drill_has_exactly_one_rto_exceedance(example_systems):
    log = read_drill_log(EXAMPLES / "exempel_uppstartsovning.csv", example_systems)
    assert kinds(outage_drill(example_systems, log)) == ["rto_exceeded"]


def test_example_competence_list_has_one_single_point_of_failure(example_systems):
    competence = read_competence(EXAMPLES / "exempel_kompetens.csv", example_systems)
    assert kinds(competence_overlap(example_systems, competence)) == ["single_point_of_failure"]


def test_example_alert_rules_miss_one_critical_system(example_systems):
    text = (EXAMPLES / "exempel_larmregler.yml").read_text(encoding="utf-8")
    result = alarm_coverage(example_systems, text)
    assert kinds(result) == ["no_alert_rule"]


def test_example_energy_plan_attendance_misses_one_unit():
    result = participation(
        read_units(EXAMPLES / "exempel_forvaltningar.csv"),
        read_participants(EXAMPLES / "exempel_energiplan_deltagare.csv"),
    )
    assert kinds(result) == ["missing_participant"]


def test_example_sample_can_be_redrawn_from_the_register(example_systems):
    result = competence_overlap(example_systems, [], sample_size=2, seed=2018)
    sample = Sample(
        **{**result.details["sample"], "items": tuple(result.details["sample"]["items"])}
    )
    critical = [s.name for s in example_systems if s.criticality.is_critical]
    assert redraw(sample, critical) == sample
