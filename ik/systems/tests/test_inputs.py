from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ik.engine.controls.competence_overlap.control import competence_overlap
from ik.engine.controls.continuity_common import records_sha256
from ik.engine.systems import Competence, Criticality, Role, System
from ik.org.models import Unit
from ik.systems import services
from ik.systems.inputs import engine_competence, engine_systems
from ik.systems.models import CompetenceRole
from ik.test import TEST_SETUP, BaseTestCase


class EngineInputTests(BaseTestCase):
    def add_systems(self, n):
        for i in range(n):
            system = services.system_create(
                organisation=self.org, by=TEST_SETUP, name=f"Extra {i}", priority=5
            )
            services.system_update(system=system, by=TEST_SETUP, depends_on=[self.system])
            services.competence_add(system=system, by=TEST_SETUP, person_name="Åsa", role="backup")

    def test_the_register_becomes_the_engines_records_in_start_up_order(self):
        unit = Unit.objects.create(committee=self.ks, name="IT-enheten")
        network = services.system_create(
            organisation=self.org,
            by=TEST_SETUP,
            name="Nätverk",
            priority=1,
            owner_unit=unit,
            criticality="samhällskritisk",
            rto_hours=Decimal("1.5"),
            has_alarm=True,
            alarm_recipient="IT-jour",
        )
        services.system_update(system=self.system, by=TEST_SETUP, depends_on=[network])
        assert engine_systems(self.org) == [
            System(
                name="Nätverk",
                owner_unit="IT-enheten",
                criticality=Criticality.SOCIETY,
                priority=1,
                rto_hours=1.5,
                has_alarm=True,
                alarm_recipient="IT-jour",
            ),
            System(
                name="E-post",
                owner_unit="",
                criticality=Criticality.BUSINESS,
                priority=3,
                depends_on=("Nätverk",),
            ),
        ]
        services.competence_add(
            system=network, by=TEST_SETUP, person_name="Åsa", role=CompetenceRole.BACKUP
        )
        services.competence_add(
            system=network, by=TEST_SETUP, person_name="Bo", role=CompetenceRole.PRIMARY
        )
        assert engine_competence(self.org) == [
            Competence("E-post", "Anna Lind", Role.PRIMARY),
            Competence("Nätverk", "Bo", Role.PRIMARY),
            Competence("Nätverk", "Åsa", Role.BACKUP),
        ]

    def test_conversion_costs_the_same_queries_for_a_larger_register(self):
        with CaptureQueriesContext(connection) as small:
            engine_systems(self.org)
            engine_competence(self.org)
        self.add_systems(12)
        with CaptureQueriesContext(connection) as large:
            systems = engine_systems(self.org)
            competence = engine_competence(self.org)
        assert len(systems) == 13 and len(competence) == 13
        assert len(large) == len(small) == 3

    def test_the_fingerprint_is_the_one_the_competence_control_records(self):
        systems, competence = engine_systems(self.org), engine_competence(self.org)
        result = competence_overlap(systems, competence)
        assert register(self.org) == result.input_sha256
        before = register(self.org)
        services.system_update(system=self.system, by=TEST_SETUP, priority=4)
        assert register(self.org) != before


def register(organisation):
    """The register's fingerprint as the competence-overlap control records it."""
    return records_sha256(
        systems=engine_systems(organisation), competence=engine_competence(organisation)
    )
