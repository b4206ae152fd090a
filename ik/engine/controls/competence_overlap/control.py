"""IT-continuity and participation controls.

The five controls of a typical municipal IT-continuity plan, each returning a ControlResult:
`startup_order` and `outage_drill` (defined in `ik.engine.controls.startup_order`),
`competence_overlap`, `alarm_coverage` and `participation`. "Critical" means classed
samhällskritisk or verksamhetskritisk in the systems register.

Where a control takes a sample (`sample_size`), it draws it with `ik.engine.sampling` from
the critical systems' names and records the sample in details["sample"], so an auditor can
redraw it with the seed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ik.engine.assessment import assess
from ik.engine.controls.startup_order.control import (
    index_systems,
    name_list,
    outage_drill,
    plural,
    records_sha256,
    startup_order,
    unit_breakdown,
)
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.engine.sampling import Sample, draw_sample
from ik.engine.systems import (
    Competence,
    Participant,
    Role,
    System,
    name_key,
    normalise_header,
)
from ik.lib.swedish import sort_key

__all__ = [
    "AlertRule",
    "alarm_coverage",
    "competence_overlap",
    "outage_drill",
    "parse_alert_rules",
    "participation",
    "startup_order",
]


def _checked(
    systems: Sequence[System], sample_size: int | None, seed: int | None
) -> tuple[list[System], Sample | None]:
    """The critical systems to check: all of them, or a recorded sample of them."""
    critical = [s for s in systems if s.criticality.is_critical]
    if sample_size is None:
        return sorted(critical, key=lambda s: sort_key(s.name)), None
    sample = draw_sample([s.name for s in critical], sample_size, seed)
    by_name = {s.name: s for s in critical}
    return [by_name[name] for name in sample.items], sample


def _sample_parameters(sample_size: int | None, sample: Sample | None) -> dict[str, Any]:
    return {"sample_size": sample_size, "seed": None if sample is None else sample.seed}


def _scope(checked: Sequence[System], sample: Sample | None) -> str:
    if sample is None:
        return f"alla {plural(len(checked), 'kritiskt system', 'kritiska system')}"
    return (
        f"ett stickprov på {len(checked)} av {sample.population_size} kritiska system "
        f"(frö {sample.seed})"
    )


# --- competence overlap ----------------------------------------------------------------------


def competence_overlap(
    systems: Sequence[System],
    competence: Sequence[Competence],
    *,
    key_person_threshold: int = 3,
    sample_size: int | None = None,
    seed: int | None = None,
) -> ControlResult:
    """Check that every critical system has at least two people who can run it.

    Findings: `single_point_of_failure` for a checked critical system with nobody or only one
    person (primary or backup) registered, and `key_person` for someone who is the only
    backup for `key_person_threshold` or more critical systems. Key persons are looked for
    among all critical systems even when only a sample is checked, since that is a property
    of the whole register.

    Value: the share of checked systems with at least two people, target 100 %. Verdict: red
    for any single point of failure, yellow when only key persons are found, else green.
    """
    if key_person_threshold < 1:
        raise InputError(
            f"Gränsen för nyckelpersoner måste vara minst 1, inte {key_person_threshold}"
        )
    by_key = index_systems(systems)
    people, backups = _people(competence, by_key)
    checked, sample = _checked(systems, sample_size, seed)
    findings = [
        _spof_finding(s, people.get(s.name, [])) for s in checked if len(people.get(s.name, [])) < 2
    ]
    findings += _key_person_findings(systems, backups, key_person_threshold)
    spof = {f.data["system"] for f in findings if f.kind == "single_point_of_failure"}
    value = (len(checked) - len(spof)) / len(checked) if checked else None
    verdict = Verdict.RED if spof else Verdict.YELLOW if findings else Verdict.GREEN
    return ControlResult(
        control="competence_overlap",
        value=value,
        target=1.0,
        direction=Direction.AT_LEAST,
        verdict=verdict,
        summary=_competence_summary(checked, sample, len(spof), len(findings) - len(spof)),
        rows=len(competence),
        by_unit=unit_breakdown(checked, spof, with_share=True),
        findings=tuple(findings),
        parameters={
            "key_person_threshold": key_person_threshold,
            **_sample_parameters(sample_size, sample),
        },
        input_sha256=records_sha256(systems=systems, competence=competence),
        details={
            "sample": None if sample is None else sample.to_json(),
            "people": {s.name: people.get(s.name, []) for s in checked},
        },
        count_name="single_points_of_failure",
    )


def _people(
    competence: Sequence[Competence], by_key: Mapping[str, System]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Distinct people per system, and distinct backups per system."""
    people: dict[str, dict[str, str]] = {}
    backups: dict[str, dict[str, str]] = {}
    for entry in competence:
        system = by_key.get(name_key(entry.system))
        if system is None:
            raise InputError(
                f"Systemet {entry.system!r} i kompetenslistan finns inte i systemregistret",
                row=entry.row,
                column="system",
            )
        people.setdefault(system.name, {}).setdefault(name_key(entry.person), entry.person)
        if entry.role is Role.BACKUP:
            backups.setdefault(system.name, {}).setdefault(name_key(entry.person), entry.person)

    def flat(found: dict[str, dict[str, str]]) -> dict[str, list[str]]:
        return {k: sorted(v.values(), key=sort_key) for k, v in found.items()}

    return flat(people), flat(backups)


def _spof_finding(system: System, people: list[str]) -> Finding:
    if people:
        message = (
            f"Bara {people[0]} kan hantera {system.name} ({system.criticality.value}); "
            "ingen annan kan ta över."
        )
    else:
        message = (
            f"Ingen person är registrerad som kunnig i {system.name} ({system.criticality.value})."
        )
    data = {"system": system.name, "people": people, "criticality": system.criticality.value}
    return Finding("single_point_of_failure", message, system.row, data)


def _key_person_findings(
    systems: Sequence[System], backups: Mapping[str, list[str]], threshold: int
) -> list[Finding]:
    sole: dict[str, list[str]] = {}
    for system in systems:
        names = backups.get(system.name, [])
        if system.criticality.is_critical and len(names) == 1:
            sole.setdefault(names[0], []).append(system.name)
    out = []
    for person in sorted(sole, key=sort_key):
        covered = sorted(sole[person], key=sort_key)
        if len(covered) >= threshold:
            message = (
                f"{person} är enda backup för {len(covered)} kritiska system: "
                f"{name_list(covered, limit=len(covered))}."
            )
            out.append(Finding("key_person", message, None, {"person": person, "systems": covered}))
    return out


def _competence_summary(
    checked: Sequence[System], sample: Sample | None, spof: int, key: int
) -> str:
    head = f"Kompetensöverlapp kontrollerat för {_scope(checked, sample)}"
    if not spof and not key:
        return f"{head}: alla har minst två personer som kan hantera dem."
    return (
        f"{head}: {spof} har färre än två kunniga personer och "
        f"{plural(key, 'person', 'personer')} är enda backup för många system."
    )


# --- alarm coverage --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertRule:
    """One alerting rule from a Prometheus rules file."""

    name: str
    system: str
    group: str


def parse_alert_rules(text: str) -> tuple[AlertRule, ...]:
    """Read a Prometheus alert-rules file (groups -> rules -> alert, labels.system).

    Recording rules (`record:`) are skipped; a rule's `system` label is optional.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise InputError(f"Larmregelfilen är inte giltig YAML: {exc}", row=row) from exc
    groups = document.get("groups") if isinstance(document, dict) else None
    if not isinstance(groups, list):
        raise InputError("Larmregelfilen saknar listan 'groups' (Prometheus-format)")
    rules: list[AlertRule] = []
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("rules", []), list):
            raise InputError(f"Gruppen {group!r} i larmregelfilen har ingen lista 'rules'")
        for rule in group.get("rules", []):
            if not isinstance(rule, dict) or "alert" not in rule:
                continue
            labels = rule.get("labels") or {}
            system = str(labels.get("system", "")) if isinstance(labels, dict) else ""
            rules.append(AlertRule(str(rule["alert"]), system, str(group.get("name", ""))))
    return tuple(rules)


_UPPER, _LOWER = "A-ZÅÄÖÉÜ", "a-zåäöéü"
_TOKEN = re.compile(
    rf"[{_UPPER}]+(?=[{_UPPER}][{_LOWER}])|[{_UPPER}]?[{_LOWER}]+|[{_UPPER}]+|[0-9]+"
)


def _tokens(text: str) -> list[str]:
    """`RaindanceDown` -> ['raindance', 'down']; `DNS/katalogtjänst (AD)` -> 3 tokens."""
    return [normalise_header(t) for t in _TOKEN.findall(text)]


def rule_matches(rule: AlertRule, system: System) -> bool:
    """A rule covers a system through its `system` label, or when the rule's name contains
    the system's name as whole words (`RaindanceDown` covers Raindance, not `Rain`)."""
    if rule.system and name_key(rule.system) == name_key(system.name):
        return True
    wanted = "".join(_tokens(system.name))
    words = _tokens(rule.name)
    if not wanted:
        return False
    for first in range(len(words)):
        joined = ""
        for word in words[first:]:
            joined += word
            if joined == wanted:
                return True
            if len(joined) >= len(wanted):
                break
    return False


def alarm_coverage(
    systems: Sequence[System],
    alert_rules_yaml: str | None = None,
    *,
    sample_size: int | None = None,
    seed: int | None = None,
) -> ControlResult:
    """Check that critical systems have an alarm, a recipient and (optionally) an alert rule.

    Findings: `no_alarm` (the register says the system has no alarm), `no_recipient` (nobody
    receives the alarm) and, when the text of a Prometheus alert-rules file is given,
    `no_alert_rule` (no rule for the system, see `rule_matches`).

    Value: the share of checked systems without findings, target 100 %. Verdict: red for a
    missing alarm or recipient, yellow when only alert rules are missing (the register and
    the monitoring configuration disagree), else green.
    """
    rules = None if alert_rules_yaml is None else parse_alert_rules(alert_rules_yaml)
    index_systems(systems)
    checked, sample = _checked(systems, sample_size, seed)
    findings: list[Finding] = []
    matched: dict[str, list[str]] = {}
    for system in checked:
        findings += _alarm_findings(system)
        if rules is not None:
            matched[system.name] = [r.name for r in rules if rule_matches(r, system)]
            if not matched[system.name]:
                findings.append(_no_rule_finding(system))
    flagged = {f.data["system"] for f in findings}
    value = (len(checked) - len(flagged)) / len(checked) if checked else None
    serious = any(f.kind != "no_alert_rule" for f in findings)
    return ControlResult(
        control="alarm_coverage",
        value=value,
        target=1.0,
        direction=Direction.AT_LEAST,
        verdict=Verdict.RED if serious else Verdict.YELLOW if findings else Verdict.GREEN,
        summary=_alarm_summary(checked, sample, len(flagged), rules is not None),
        rows=len(systems),
        by_unit=unit_breakdown(checked, flagged, with_share=True),
        findings=tuple(findings),
        parameters={"alert_rules": rules is not None, **_sample_parameters(sample_size, sample)},
        input_sha256=records_sha256(systems=systems, alert_rules=rules or ()),
        details={"sample": None if sample is None else sample.to_json(), "alert_rules": matched},
        count_name="systems_with_findings",
    )


def _alarm_findings(system: System) -> list[Finding]:
    data = {"system": system.name, "criticality": system.criticality.value}
    out = []
    if not system.has_alarm:
        message = f"{system.name} ({system.criticality.value}) har inget larm."
        out.append(Finding("no_alarm", message, system.row, data))
    if not system.alarm_recipient:
        message = f"{system.name} ({system.criticality.value}) har ingen larmmottagare."
        out.append(Finding("no_recipient", message, system.row, data))
    return out


def _no_rule_finding(system: System) -> Finding:
    message = (
        f"Ingen regel i larmregelfilen gäller {system.name}: varken etiketten system "
        "eller regelns namn pekar ut systemet."
    )
    return Finding(
        "no_alert_rule",
        message,
        system.row,
        {"system": system.name, "criticality": system.criticality.value},
    )


def _alarm_summary(
    checked: Sequence[System], sample: Sample | None, flagged: int, with_rules: bool
) -> str:
    what = "larm, mottagare och larmregel" if with_rules else "larm och mottagare"
    head = f"Larmbevakning ({what}) kontrollerad för {_scope(checked, sample)}"
    if not flagged:
        return f"{head}: inga brister."
    return f"{head}: {flagged} av {len(checked)} har brister."


# --- participation ---------------------------------------------------------------------------


def participation(
    units: Sequence[str],
    participants: Sequence[Participant],
    *,
    warning_limit: float | None = None,
) -> ControlResult:
    """Check that every unit took part in an activity (e.g. the new energy plan).

    Units are compared with case and spacing ignored. Findings: `missing_participant` per unit
    with nobody on the attendance list. Value: the share of units taking part, target 100 %;
    red when any unit is missing, unless `warning_limit` gives a yellow band (e.g. 0.9).
    Participants from units outside the set are listed in details["other_units"].
    """
    wanted: dict[str, str] = {}
    for unit in units:
        wanted.setdefault(name_key(unit), unit)
    if not wanted:
        raise InputError("Listan över enheter som ska delta är tom")
    attending: dict[str, list[Participant]] = {}
    for person in participants:
        attending.setdefault(name_key(person.unit), []).append(person)
    ordered = sorted(wanted.items(), key=lambda kv: sort_key(kv[1]))
    missing = [unit for key, unit in ordered if key not in attending]
    value = (len(wanted) - len(missing)) / len(wanted)
    others = sorted(
        {p.unit for k, ps in attending.items() if k not in wanted for p in ps}, key=sort_key
    )
    return ControlResult(
        control="participation",
        value=value,
        target=1.0,
        direction=Direction.AT_LEAST,
        verdict=assess(value, 1.0, Direction.AT_LEAST, warning_limit),
        summary=_participation_summary(len(wanted), missing),
        rows=len(participants),
        by_unit=tuple(_unit_attendance(unit, attending.get(key, [])) for key, unit in ordered),
        findings=tuple(
            Finding("missing_participant", f"{unit} saknas bland deltagarna.", None, {"unit": unit})
            for unit in missing
        ),
        parameters={"warning_limit": warning_limit},
        input_sha256=records_sha256(units=list(wanted.values()), participants=participants),
        details={"other_units": others, "participants": len(participants)},
        count_name="taking_part",
    )


def _unit_attendance(unit: str, people: list[Participant]) -> UnitBreakdown:
    names = sorted({p.name for p in people if p.name}, key=sort_key)
    return UnitBreakdown(
        unit,
        1,
        1 if people else 0,
        1.0 if people else 0.0,
        {"participants": len(people), "names": names},
    )


def _participation_summary(total: int, missing: Sequence[str]) -> str:
    if not missing:
        return f"Alla {total} enheter finns bland deltagarna."
    return f"{total - len(missing)} av {total} enheter deltar; {name_list(list(missing))} saknas."
