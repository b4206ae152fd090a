"""Changes to the risk analysis: validation, flags, the trail, and copying to next year."""

from django.core.exceptions import ValidationError

from ik.followups.services import deviating_point_ids, entries_for_new_point
from ik.org.models import AuditEvent
from ik.plans.models import ControlPoint
from ik.plans.services import control_point_create, plan_create, plan_create_next_year
from ik.risks import services
from ik.risks.matrix import Tone
from ik.risks.models import DEFAULT_CATEGORIES, Handling, Risk, RiskCategory, RiskScale
from ik.risks.services import risks_copy
from ik.test import TEST_SETUP, BaseTestCase, mark_adopted


class ScaleTests(BaseTestCase):
    def test_the_first_use_creates_the_default_scale_and_categories(self):
        scale = services.scale_for(self.org)
        assert (scale.size, scale.yellow_from, scale.red_from) == (4, 5, 9)
        names = [c.name for c in services.categories_for(self.org)]
        # The fixture's own category stays; the defaults are added around it.
        assert set(DEFAULT_CATEGORIES) <= set(names)
        assert services.scale_for(self.org).pk == scale.pk
        assert RiskScale.objects.filter(organisation=self.org).count() == 1

    def test_reading_the_scale_creates_nothing(self):
        assert services.scale_of(self.org).size == 4
        assert not RiskScale.objects.filter(organisation=self.org).exists()

    def test_a_five_by_five_scale_changes_the_colours_and_is_recorded(self):
        five = {
            "size": 5,
            "yellow_from": 5,
            "red_from": 10,
            "likelihood_labels": ["a", "b", "c", "d", "e"],
            "impact_labels": ["A", "B", "C", "D", "E"],
        }
        services.scale_update(organisation=self.org, by=self.controller, **five)
        risk = Risk.objects.get(pk=self.risk.pk)
        assert risk.scale.size == 5 and risk.tone is Tone.YELLOW  # 3 × 3 = 9 < 10
        assert AuditEvent.objects.filter(action="risk_scale_update").exists()

    def test_bands_and_labels_are_checked(self):
        with self.assertRaisesMessage(ValidationError, "högre riskvärde än gult"):
            services.scale_update(organisation=self.org, by=TEST_SETUP, yellow_from=9, red_from=5)
        with self.assertRaisesMessage(ValidationError, "Ge varje nivå en benämning"):
            services.scale_update(organisation=self.org, by=TEST_SETUP, size=5)

    def test_the_scale_cannot_shrink_below_a_risk_that_uses_level_five(self):
        services.scale_update(
            organisation=self.org,
            by=TEST_SETUP,
            size=5,
            likelihood_labels=list("abcde"),
            impact_labels=list("ABCDE"),
        )
        services.risk_create(
            plan=self.plan, by=TEST_SETUP, description="Stor", likelihood=5, impact=1
        )
        with self.assertRaisesMessage(ValidationError, "1 risker har sannolikhet"):
            services.scale_update(organisation=self.org, by=TEST_SETUP, size=4)

    def test_a_used_category_stays_and_an_unused_one_goes(self):
        with self.assertRaisesMessage(ValidationError, "används av 1 risker"):
            services.category_delete(category=self.category, by=TEST_SETUP)
        extra = services.category_create(organisation=self.org, by=TEST_SETUP, name="Miljö")
        with self.assertRaisesMessage(ValidationError, "finns redan"):
            services.category_create(organisation=self.org, by=TEST_SETUP, name="miljö")
        services.category_delete(category=extra, by=TEST_SETUP)
        assert not RiskCategory.objects.filter(pk=extra.pk).exists()


class RiskTests(BaseTestCase):
    def test_create_scores_links_and_records_the_risk(self):
        risk = services.risk_create(
            plan=self.plan,
            by=self.secretary,
            description="Felaktiga utbetalningar",
            category=self.category,
            likelihood=4,
            impact=4,
            handling=Handling.CONTROL,
            control_points=[self.point],
        )
        assert (risk.score, risk.tone) == (16, Tone.RED)
        assert not risk.is_flagged
        event = AuditEvent.objects.get(action="risk_create", object_id=str(risk.public_id))
        assert event.changes["control_points"] == ["1"]
        assert event.actor == self.secretary

    def test_a_red_risk_without_control_or_action_is_flagged_until_handled(self):
        risk = services.risk_create(
            plan=self.plan, by=TEST_SETUP, description="X", likelihood=3, impact=4
        )
        assert risk.is_flagged
        services.risk_update(
            risk=risk, by=TEST_SETUP, handling=Handling.DIRECT_ACTION, action_text="Ny rutin"
        )
        assert not Risk.objects.get(pk=risk.pk).is_flagged
        services.risk_update(risk=risk, by=TEST_SETUP, handling=Handling.ACCEPT, action_text="")
        assert Risk.objects.get(pk=risk.pk).is_flagged
        services.risk_update(risk=risk, by=TEST_SETUP, control_points=[self.other_point])
        assert not Risk.objects.get(pk=risk.pk).is_flagged

    def test_a_yellow_risk_is_never_flagged(self):
        risk = services.risk_create(
            plan=self.plan, by=TEST_SETUP, description="Y", likelihood=2, impact=4
        )
        assert risk.tone is Tone.YELLOW and not risk.is_flagged

    def test_levels_outside_the_scale_and_missing_actions_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.risk_create(
                plan=self.plan,
                by=TEST_SETUP,
                description="X",
                likelihood=5,
                impact=1,
                handling=Handling.DIRECT_ACTION,
            )
        assert set(caught.exception.message_dict) == {"likelihood", "action_text"}

    def test_control_points_and_categories_must_belong_to_the_plan(self):
        foreign_point = self.foreign_plan.control_points.first()
        with self.assertRaisesMessage(ValidationError, "samma plan"):
            services.risk_update(risk=self.risk, by=TEST_SETUP, control_points=[foreign_point])
        with self.assertRaisesMessage(ValidationError, "annan organisation"):
            services.risk_update(risk=self.risk, by=TEST_SETUP, category=self.foreign_category)

    def test_update_records_only_what_changed_and_delete_is_recorded(self):
        services.risk_update(risk=self.risk, by=TEST_SETUP, impact=4, control_points=[])
        event = AuditEvent.objects.get(action="risk_update")
        assert event.changes == {"impact": [3, 4], "control_points": [["1"], []]}
        public_id = self.risk.public_id
        services.risk_delete(risk=self.risk, by=TEST_SETUP)
        assert not Risk.objects.filter(public_id=public_id).exists()
        assert AuditEvent.objects.filter(action="risk_delete", object_id=str(public_id)).exists()


class CopyTests(BaseTestCase):
    def test_risks_copy_maps_control_points_by_process_and_question(self):
        target = plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        kept = control_point_create(
            on_added=entries_for_new_point,
            plan=target,
            by=TEST_SETUP,
            process_name=self.point.process.name.upper(),
            question=self.point.question,
            method="Stickprov",
            owner_text="Ekonomichef",
            frequency="En gång per år",
        )
        services.risk_update(
            risk=self.risk, by=TEST_SETUP, control_points=[self.point, self.other_point]
        )
        copied = services.risks_copy(source=self.plan, target=target, by=self.secretary)
        assert copied == 1
        new = target.risks.get()
        assert (new.description, new.likelihood, new.impact, new.category) == (
            self.risk.description,
            3,
            3,
            self.category,
        )
        assert list(new.control_points.all()) == [kept]
        assert new.public_id != self.risk.public_id
        assert AuditEvent.objects.filter(action="risks_copy").count() == 1

    def test_next_years_plan_carries_the_risk_analysis(self):
        mark_adopted(self.plan)
        new = plan_create_next_year(
            plan=self.plan,
            by=TEST_SETUP,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=risks_copy,
        )
        risk = new.risks.get()
        assert risk.description == self.risk.description
        # The committee's own points are copied with the same process and question.
        assert [p.question for p in risk.control_points.all()] == [self.point.question]
        assert isinstance(risk.control_points.get(), ControlPoint)
