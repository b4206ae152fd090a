"""A measured control point's values are followed across follow-ups and years."""

from datetime import date
from decimal import Decimal

from ik.followups.models import FollowUpEntry
from ik.followups.services import entries_for_new_point, entry_record, followup_create
from ik.plans.models import CommonControlPoint, ControlPoint, Plan
from ik.plans.services import common_create, plan_create, plan_create_next_year
from ik.reports.trend_queries import committee_trends, point_trend
from ik.test import TEST_SETUP, BaseTestCase, mark_adopted


def record(plan: Plan, cutoff: date, point: ControlPoint, value: str | None) -> FollowUpEntry:
    followup = plan.followups.filter(cutoff=cutoff).first() or followup_create(
        plan=plan, cutoff=cutoff, by=TEST_SETUP
    )
    entry = followup.entries.get(control_point=point)
    if value is None:
        return entry
    return entry_record(
        entry=entry,
        by=TEST_SETUP,
        execution_status="done",
        result_text="Mätt.",
        measured_value=Decimal(value),
    )


def next_year(plan: Plan) -> Plan:
    """Next year's plan, made as the committee makes it: from this year's adopted plan."""
    return plan_create_next_year(
        plan=mark_adopted(plan), by=TEST_SETUP, repeated_point_ids=[], carry_over=lambda **_: None
    )


LATE_PAYMENTS = {
    "process": "Försent betalda fakturor",
    "method": "Helkontroll",
    "owner_text": "Ekonomichef",
    "frequency": "2 gånger per år",
    "measure_unit": "%",
    "target": Decimal(5),
}


def late_payments_common(organisation, year: int, question: str) -> CommonControlPoint:
    """A measured common point decided for `year` and put into that year's plans."""
    return common_create(
        organisation=organisation,
        by=TEST_SETUP,
        on_added=entries_for_new_point,
        year=year,
        question=question,
        **LATE_PAYMENTS,
    )


def values(trend) -> list[tuple[date, Decimal | None, str]]:
    return [(p.cutoff, p.value, str(p.verdict or "")) for p in trend.points]


class OwnPointTrendTests(BaseTestCase):
    def test_a_point_copied_into_next_year_continues_its_line_with_each_year_s_target(self):
        record(self.plan, date(2018, 8, 31), self.point, "8")
        record(self.plan, date(2018, 12, 31), self.point, "4.5")
        plan_2019 = next_year(self.plan)
        point_2019 = plan_2019.control_points.get(previous=self.point)
        point_2019.target = Decimal(4)
        point_2019.save()
        record(plan_2019, date(2019, 8, 31), point_2019, "3")
        trend = point_trend(point_2019)
        assert values(trend) == [
            (date(2018, 8, 31), Decimal(8), "red"),
            (date(2018, 12, 31), Decimal("4.5"), "green"),
            (date(2019, 8, 31), Decimal(3), "green"),
        ]
        assert [p.target for p in trend.points] == [Decimal(5), Decimal(5), Decimal(4)]
        assert trend.is_drawn and trend.span == "2018–2019"
        # The older year's point belongs to the same line.
        assert values(point_trend(self.point)) == values(trend)

    def test_a_report_as_at_a_cut_off_shows_nothing_measured_later(self):
        record(self.plan, date(2018, 8, 31), self.point, "8")
        record(self.plan, date(2018, 12, 31), self.point, "6")
        trend = point_trend(self.point, until=date(2018, 8, 31))
        assert values(trend) == [(date(2018, 8, 31), Decimal(8), "red")]
        assert not trend.is_drawn  # one value is not a development

    def test_a_follow_up_without_a_value_is_a_gap_not_a_zero(self):
        record(self.plan, date(2018, 8, 31), self.point, None)
        record(self.plan, date(2018, 12, 31), self.point, "6")
        trend = point_trend(self.point)
        assert [p.value for p in trend.points] == [None, Decimal(6)]
        assert trend.rows()[0].value == "–"
        assert "31 aug 2018: inget mätvärde (mål 5\u00a0%)" in trend.chart("t").desc

    def test_points_of_other_committees_and_other_questions_stay_out(self):
        record(self.plan, date(2018, 8, 31), self.point, "8")
        sn_point = self.sn_plan.control_points.get()
        record(self.sn_plan, date(2018, 8, 31), sn_point, "1")
        trends = committee_trends(self.ks, [self.point, self.other_point])
        assert values(trends[self.point.pk]) == [(date(2018, 8, 31), Decimal(8), "red")]
        assert [p.value for p in trends[self.other_point.pk].points] == [None]


class CommonPointTrendTests(BaseTestCase):
    def test_a_common_point_decided_again_next_year_continues_by_process_and_question(self):
        common_2018 = late_payments_common(self.org, 2018, "Betalas fakturor i tid?")
        common_2019 = CommonControlPoint.objects.create(
            organisation=self.org, year=2019, question="BETALAS fakturor i tid? ", **LATE_PAYMENTS
        )
        ks_2018 = self.plan.control_points.get(common=common_2018)
        record(self.plan, date(2018, 8, 31), ks_2018, "7")
        plan_2019 = plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        ks_2019 = plan_2019.control_points.get(common=common_2019)
        record(plan_2019, date(2019, 8, 31), ks_2019, "4")
        sn_2018 = self.sn_plan.control_points.get(common=common_2018)
        record(self.sn_plan, date(2018, 8, 31), sn_2018, "9")
        assert values(point_trend(ks_2019)) == [
            (date(2018, 8, 31), Decimal(7), "red"),
            (date(2019, 8, 31), Decimal(4), "green"),
        ]
