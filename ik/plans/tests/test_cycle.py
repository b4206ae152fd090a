"""Lateness in the yearly cycle, computed for a given day without a database."""

from datetime import date

import ik.plans.cycle as cycle
from ik.plans.cycle import FOLLOWUP, PLAN, CommitteeState, Deadline, late_committees

PLAN_DUE = Deadline(kind=PLAN, due_on=date(2017, 12, 15))
AUGUST = Deadline(kind=FOLLOWUP, due_on=date(2018, 9, 20), cutoff=date(2018, 8, 31))


def reasons(states, deadlines, today):
    return [
        (x.committee, x.reason)
        for x in late_committees(states=states, deadlines=deadlines, today=today)
    ]


def test_nothing_is_late_on_the_due_date_itself():
    states = [CommitteeState(name="SN"), CommitteeState(name="KS", has_plan=True)]
    assert reasons(states, [PLAN_DUE, AUGUST], date(2017, 12, 15)) == []


def test_a_missing_or_unadopted_plan_is_late_the_day_after():
    states = [CommitteeState(name="SN"), CommitteeState(name="KS", has_plan=True)]
    assert reasons(states, [PLAN_DUE], date(2017, 12, 16)) == [
        ("SN", "Plan saknas."),
        ("KS", "Planen är inte fastställd."),
    ]


def test_a_plan_adopted_after_its_date_stays_late_and_one_on_time_is_not():
    states = [
        CommitteeState(name="KFN", has_plan=True, plan_adopted_on=date(2017, 12, 17)),
        CommitteeState(name="KS", has_plan=True, plan_adopted_on=date(2017, 12, 13)),
    ]
    assert reasons(states, [PLAN_DUE], date(2017, 12, 1)) == [
        ("KFN", "Planen fastställdes för sent (2017-12-17).")
    ]


def test_followups_missing_or_unreported_after_their_date_are_late():
    states = [
        CommitteeState(name="SBN", has_plan=True),
        CommitteeState(name="SN", has_plan=True, followups={date(2018, 8, 31): False}),
        CommitteeState(name="KS", has_plan=True, followups={date(2018, 8, 31): True}),
    ]
    assert reasons(states, [AUGUST], date(2018, 9, 21)) == [
        ("SBN", "Uppföljningen saknas."),
        ("SN", "Uppföljningen är inte rapporterad."),
    ]
    assert reasons(states, [AUGUST], date(2018, 9, 20)) == []


def test_results_follow_the_order_of_the_deadlines_and_carry_the_cutoff():
    states = [CommitteeState(name="SN")]
    late = late_committees(states=states, deadlines=[AUGUST, PLAN_DUE], today=date(2019, 1, 1))
    assert [(x.kind, x.cutoff, x.due_on) for x in late] == [
        (PLAN, None, date(2017, 12, 15)),
        (FOLLOWUP, date(2018, 8, 31), date(2018, 9, 20)),
    ]


def test_the_module_does_not_import_django():
    with open(cycle.__file__, encoding="utf-8") as f:
        source = f.read()
    assert "django" not in source
