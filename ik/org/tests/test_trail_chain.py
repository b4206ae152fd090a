"""The audit trail is tamper-evident: whoever gets past the model, the queryset and the
trigger and changes, removes or re-attributes an event is caught by `verifytrail`."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from ik.org.audit import audit_record
from ik.org.chain import GENESIS, check_chain, event_digest
from ik.org.models import AuditEvent, Organisation
from ik.test import TEST_SETUP, BaseTestCase

DISABLE = "ALTER TABLE org_auditevent DISABLE TRIGGER org_auditevent_append_only"
ENABLE = "ALTER TABLE org_auditevent ENABLE TRIGGER org_auditevent_append_only"


def as_the_tables_owner(sql, params):
    """Run SQL the way an attacker with the owner's rights would: trigger off, if any."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            # Foreign-key checks still pending from this test's inserts block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(DISABLE)
        cursor.execute(sql, params)
        if postgresql:
            cursor.execute(ENABLE)


def verifytrail(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("verifytrail", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def broken_trail(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="bruten"):
        call_command("verifytrail", *args, stdout=out, stderr=err)
    return err.getvalue()


class TrailChainTests(BaseTestCase):
    def events(self):
        return list(AuditEvent.objects.filter(organisation=self.org).order_by("id"))

    def test_every_event_written_by_the_services_is_linked_to_the_one_before(self):
        events = self.events()
        assert len(events) > 5
        assert events[0].previous_digest == GENESIS
        for before, after in zip(events, events[1:], strict=False):
            assert after.previous_digest == before.digest
        out, err = verifytrail()
        assert f"testkommun: {len(events)} händelser, kedjan är hel" in out
        assert events[-1].digest in out and not err

    def test_an_event_changed_with_a_base_manager_update_is_found(self):
        victim = self.events()[2]
        if connection.vendor == "postgresql":
            as_the_tables_owner(
                "UPDATE org_auditevent SET summary = %s WHERE id = %s", ["Inget hände", victim.pk]
            )
        else:
            AuditEvent._base_manager.filter(pk=victim.pk).update(summary="Inget hände")
        err = broken_trail("--organisation", "testkommun")
        assert f"händelse {victim.pk} ({victim.public_id}" in err
        assert "har ändrats" in err

    def test_an_event_given_another_actor_with_raw_sql_is_found(self):
        victim = self.events()[-1]
        as_the_tables_owner(
            "UPDATE org_auditevent SET actor_id = %s WHERE id = %s", [self.auditor.pk, victim.pk]
        )
        assert f"händelse {victim.pk} " in broken_trail()

    def test_a_deleted_event_is_found_at_the_next_one(self):
        events = self.events()
        as_the_tables_owner("DELETE FROM org_auditevent WHERE id = %s", [events[3].pk])
        err = broken_trail("--organisation", "testkommun")
        assert f"händelse {events[4].pk} " in err and "tagits bort" in err

    def test_rewriting_one_event_with_a_fresh_digest_breaks_the_next_link(self):
        events = self.events()
        victim = events[1]
        victim.summary = "Omskriven"
        forged = event_digest(victim, victim.previous_digest)
        as_the_tables_owner(
            "UPDATE org_auditevent SET summary = %s, digest = %s WHERE id = %s",
            ["Omskriven", forged, victim.pk],
        )
        assert f"händelse {events[2].pk} " in broken_trail()

    def test_another_organisations_trail_is_checked_on_its_own(self):
        victim = AuditEvent.objects.filter(organisation__code="annan").order_by("id").first()
        as_the_tables_owner("UPDATE org_auditevent SET summary = 'x' WHERE id = %s", [victim.pk])
        out, _ = verifytrail("--organisation", "testkommun")
        assert "kedjan är hel" in out
        assert "annan: kedjan är bruten" in broken_trail()

    def test_events_cannot_be_bulk_inserted_around_the_chain(self):
        with pytest.raises(PermissionError):
            AuditEvent.objects.bulk_create([AuditEvent(organisation=self.org, summary="x")])

    def test_an_unknown_organisation_is_an_error(self):
        with pytest.raises(CommandError, match="finns inte"):
            verifytrail("--organisation", "ingen")


class ConcurrentInsertTests(TransactionTestCase):
    """Writers racing on one organisation never link two events onto the same one."""

    def test_simultaneous_writers_keep_one_chain(self):
        organisation = Organisation.objects.create(code="rusning", name="Rusning")
        writers, per_writer = 4, 15
        start = threading.Barrier(writers)
        failures: list[BaseException] = []

        def write(number):
            try:
                start.wait()
                for i in range(per_writer):
                    while True:
                        try:
                            with transaction.atomic():
                                audit_record(
                                    organisation=organisation,
                                    actor=TEST_SETUP,
                                    action="test",
                                    obj=organisation,
                                    summary=f"Skrivare {number}, händelse {i}",
                                )
                            break
                        except OperationalError:
                            continue  # SQLite: another writer holds the database; try again
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                failures.append(exc)
            finally:
                close_old_connections()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures
        events = AuditEvent.objects.filter(organisation=organisation).order_by("id")
        result = check_chain(events)
        assert result.broken is None
        assert result.events == writers * per_writer
        assert len({e.previous_digest for e in events}) == writers * per_writer


class BackfillMigrationTests(TransactionTestCase):
    """Events written before the chain existed are linked by the migration that adds it."""

    chained = ("org", "0005_audit_event_chain")

    def tearDown(self):
        # Back to the newest state, so the tests after this one find every table.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        super().tearDown()

    def test_the_migration_links_existing_events_per_organisation(self):
        executor = MigrationExecutor(connection)
        node = executor.loader.graph.node_map[self.chained]
        before = [parent.key for parent in node.parents if parent.key[0] == "org"]
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        old_org = old.get_model("org", "Organisation")
        old_event = old.get_model("org", "AuditEvent")
        first = old_org.objects.create(code="forsta", name="Första")
        second = old_org.objects.create(code="andra", name="Andra")
        for i in range(5):
            for organisation in (first, second):
                old_event.objects.create(
                    organisation=organisation,
                    action="old",
                    object_type="org.organisation",
                    object_id=str(organisation.pk),
                    summary=f"Gammal händelse {i}",
                    changes={"i": i, "lista": [1, "två"]},
                )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())  # through the chain migration
        for code in ("forsta", "andra"):
            events = AuditEvent.objects.filter(organisation__code=code).order_by("id")
            result = check_chain(events)
            assert (result.broken, result.events) == (None, 5)
        out, _ = verifytrail()
        assert "andra: 5 händelser, kedjan är hel" in out
