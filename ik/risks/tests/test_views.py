"""The risk register, the risk forms and the scale settings: rights, methods and content."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.org.models import AuditEvent
from ik.risks import services
from ik.risks.models import Handling, Risk, RiskScale
from ik.test import TEST_SETUP, BaseTestCase


class RiskListTests(BaseTestCase):
    def url(self, plan=None):
        return reverse("risks:risk_list", kwargs={"plan_id": (plan or self.plan).public_id})

    def test_a_reader_sees_the_matrix_the_table_and_the_risks(self):
        services.risk_create(
            plan=self.plan, by=TEST_SETUP, description="Bedrägeri", likelihood=4, impact=4
        )
        self.client.force_login(self.politician)
        response = self.client.get(self.url())
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="img"' in html and '<title id="heat-map-title">' in html
        assert "style=" not in html
        assert "3 × 3 = <strong>9</strong>" in html and "Hög (röd)" in html
        assert "Saknar kontroll och åtgärd" in html
        assert "Röda risker utan kontroll eller åtgärd" in html
        assert "Sannolik × Allvarlig (riskvärde 16): 1 risk" in html
        assert "Ny risk" not in html and "Redigera<" not in html
        assert "1. Process 1" in html  # the linked control point

    def test_a_writer_gets_the_buttons_and_the_plan_page_links_here_with_a_summary(self):
        self.client.force_login(self.secretary)
        assert "Ny risk" in self.client.get(self.url()).content.decode()
        plan_page = self.client.get(reverse("plans:plan_detail", args=[self.plan.public_id]))
        html = plan_page.content.decode()
        assert f'href="{self.url()}">Riskanalys</a>' in html
        assert "1 risk:" in html and "Hög (röd): 1" in html

    def test_stranger_gets_404_and_post_is_405(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405

    def test_the_page_costs_the_same_queries_for_one_risk_and_twelve(self):
        self.client.force_login(self.auditor)
        self.client.get(self.url())
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url())
        for i in range(11):
            services.risk_create(
                plan=self.plan,
                by=TEST_SETUP,
                description=f"Extra {i}",
                likelihood=1 + i % 4,
                impact=2,
                category=self.category,
                control_points=[self.point, self.other_point],
            )
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url())
        assert response.content.decode().count("Extra ") >= 11
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class RiskFormTests(BaseTestCase):
    def create_url(self, plan=None):
        return reverse("risks:risk_create", kwargs={"plan_id": (plan or self.plan).public_id})

    def edit_url(self, risk=None):
        return reverse("risks:risk_edit", kwargs={"risk_id": (risk or self.risk).public_id})

    def test_the_secretary_adds_a_risk_linked_to_a_control_point(self):
        self.client.force_login(self.secretary)
        assert self.client.get(self.create_url()).status_code == 200
        response = self.client.post(
            self.create_url(),
            {
                "description": "Attest saknas",
                "process": "Inköp",
                "category": self.category.pk,
                "likelihood": "4",
                "impact": "3",
                "handling": Handling.CONTROL,
                "control_points": [self.other_point.pk],
            },
        )
        risk = Risk.objects.get(description="Attest saknas")
        assert response.status_code == 302
        assert response["Location"].endswith(f"#risk-{risk.public_id}")
        assert list(risk.control_points.all()) == [self.other_point]
        assert risk.created_by == self.secretary

    def test_a_direct_action_without_text_is_shown_on_the_form(self):
        self.client.force_login(self.secretary)
        response = self.client.post(
            self.create_url(),
            {"description": "X", "likelihood": "2", "impact": "2", "handling": "direct_action"},
        )
        assert response.status_code == 200
        assert "Beskriv direktåtgärden." in response.content.decode()

    def test_a_foreign_control_point_is_not_a_choice(self):
        self.client.force_login(self.secretary)
        foreign = self.foreign_plan.control_points.first()
        response = self.client.post(
            self.create_url(),
            {
                "description": "X",
                "likelihood": "2",
                "impact": "2",
                "handling": "control",
                "control_points": [foreign.pk],
            },
        )
        assert response.status_code == 200 and not Risk.objects.filter(description="X").exists()

    def test_edit_changes_the_risk_and_keeps_the_trail_right(self):
        self.client.force_login(self.secretary)
        assert self.client.get(self.edit_url()).status_code == 200
        response = self.client.post(
            self.edit_url(),
            {
                "description": self.risk.description,
                "likelihood": "1",
                "impact": "3",
                "handling": "accept",
                "category": self.category.pk,
                "control_points": [self.point.pk],
                "version": self.risk.version,
            },
        )
        assert response.status_code == 302
        self.risk.refresh_from_db()
        assert (self.risk.likelihood, self.risk.handling) == (1, "accept")
        event = AuditEvent.objects.get(action="risk_update")
        assert event.changes == {"likelihood": [3, 1], "handling": ["control", "accept"]}

    def test_delete_removes_the_risk(self):
        self.client.force_login(self.secretary)
        url = reverse("risks:risk_delete", args=[self.risk.public_id])
        assert self.client.get(url).status_code == 405
        response = self.client.post(url)
        assert response.status_code == 302 and not Risk.objects.filter(pk=self.risk.pk).exists()

    def test_readers_get_403_and_strangers_404(self):
        for user in (self.auditor, self.politician, self.owner):
            self.client.force_login(user)
            assert self.client.get(self.create_url()).status_code == 403
            assert self.client.get(self.edit_url()).status_code == 403
            delete = reverse("risks:risk_delete", args=[self.risk.public_id])
            assert self.client.post(delete).status_code == 403
        # The secretary writes KS's plans, not the social committee's.
        self.client.force_login(self.secretary)
        assert self.client.get(self.create_url(self.sn_plan)).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.create_url()).status_code == 404
        assert self.client.get(self.edit_url()).status_code == 404
        unknown = reverse("risks:risk_edit", args=["00000000-0000-0000-0000-000000000000"])
        assert self.client.get(unknown).status_code == 404

    def test_wrong_methods_are_405(self):
        self.client.force_login(self.secretary)
        assert self.client.put(self.create_url()).status_code == 405
        assert self.client.delete(self.edit_url()).status_code == 405


class ScaleSettingsTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("risks:scale_settings", kwargs={"org": org})

    def form(self, **changes):
        data = {
            "size": "4",
            "yellow_from": "5",
            "red_from": "9",
            **{f"likelihood_{i}": f"S{i}" for i in range(1, 6)},
            **{f"impact_{i}": f"K{i}" for i in range(1, 6)},
        }
        data.update(changes)
        return data

    def test_the_controller_sets_a_five_by_five_scale(self):
        self.client.force_login(self.controller)
        html = self.client.get(self.url()).content.decode()
        assert "Oegentligheter och korruption" in html and 'value="Osannolik"' in html
        response = self.client.post(self.url(), self.form(size="5", red_from="10"))
        assert response.status_code == 302
        scale = RiskScale.objects.get(organisation=self.org)
        assert (scale.size, scale.red_from, scale.likelihood_labels[4]) == (5, 10, "S5")

    def test_bad_bands_and_blank_labels_are_shown(self):
        self.client.force_login(self.controller)
        html = self.client.post(
            self.url(), self.form(yellow_from="9", red_from="5", impact_2="")
        ).content.decode()
        assert "Rött måste börja på ett högre riskvärde än gult." in html
        assert "Ge nivån en benämning." in html

    def test_categories_are_added_and_removed(self):
        self.client.force_login(self.controller)
        add = reverse("risks:category_create", args=["testkommun"])
        assert self.client.post(add, {"name": "Miljö"}).status_code == 302
        assert self.client.post(add, {"name": "miljö"}).status_code == 400
        category = self.org.risk_categories.get(name="Miljö")
        delete = reverse("risks:category_delete", args=[category.public_id])
        assert self.client.get(delete).status_code == 405
        assert self.client.post(delete).status_code == 302
        assert not self.org.risk_categories.filter(name="Miljö").exists()
        used = reverse("risks:category_delete", args=[self.category.public_id])
        response = self.client.post(used, follow=True)
        assert "används av 1 risker" in response.content.decode()

    def test_only_the_controller_changes_the_scale(self):
        for user in (self.secretary, self.auditor):
            self.client.force_login(user)
            assert self.client.get(self.url()).status_code == 403
            add = reverse("risks:category_create", args=["testkommun"])
            assert self.client.post(add, {"name": "X"}).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        assert (
            self.client.post(
                reverse("risks:category_delete", args=[self.category.public_id])
            ).status_code
            == 404
        )
        self.client.force_login(self.controller)
        assert self.client.put(self.url()).status_code == 405
