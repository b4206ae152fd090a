"""Competence overlap: every critical system has at least two people who can run it.

"Critical" means classed samhällskritisk or verksamhetskritisk in the systems register.
Where the control takes a sample it is drawn with `ik.engine.sampling` and recorded in
details["sample"], so an auditor can redraw it with the seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ik.engine.controls.continuity_common import (
    checked_systems,
    index_systems,
    name_list,
    plural,
    records_sha256,
    sample_parameters,
    scope_text,
    unit_breakdown,
)
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, Direction, Finding, Verdict
from ik.engine.sampling import Sample
from ik.engine.systems import (
    Competence,
    Role,
    System,
    name_key,
)
from ik.lib.swedish import sort_key

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
    checked, sample = checked_systems(systems, sample_size, seed)
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
            **sample_parameters(sample_size, sample),
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
    head = f"Kompetensöverlapp kontrollerat för {scope_text(checked, sample)}"
    if not spof and not key:
        return f"{head}: alla har minst två personer som kan hantera dem."
    return (
        f"{head}: {spof} har färre än två kunniga personer och "
        f"{plural(key, 'person', 'personer')} är enda backup för många system."
    )
