"""Alarm coverage: every critical system has an alarm, a recipient and an alert rule.

"Critical" means classed samhällskritisk or verksamhetskritisk in the systems register.
Where the control takes a sample it is drawn with `ik.engine.sampling` and recorded in
details["sample"], so an auditor can redraw it with the seed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ik.engine.controls.continuity_common import (
    checked_systems,
    index_systems,
    records_sha256,
    sample_parameters,
    scope_text,
    unit_breakdown,
)
from ik.engine.errors import InputError
from ik.engine.headers import normalise_header
from ik.engine.result import ControlResult, Direction, Finding, Verdict
from ik.engine.sampling import Sample
from ik.engine.systems import (
    System,
    name_key,
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
    import yaml  # only this control reads YAML; the import is kept off Django's start-up

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
    checked, sample = checked_systems(systems, sample_size, seed)
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
        parameters={"alert_rules": rules is not None, **sample_parameters(sample_size, sample)},
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
    head = f"Larmbevakning ({what}) kontrollerad för {scope_text(checked, sample)}"
    if not flagged:
        return f"{head}: inga brister."
    return f"{head}: {flagged} av {len(checked)} har brister."
