"""The trail holds against the role the application connects with.

On PostgreSQL the README gives the application a role that does not own the tables (the
migrations run as the owner). This test grants that role what the README grants it, connects
as it, and tries what an attacker holding the application's credentials would: change,
delete, truncate, and switch off or drop the trigger. SQLite has no roles; there the hash
chain is what catches a change made past the model.
"""

import io

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from ik.org.audit import audit_record
from ik.org.models import AuditEvent, Organisation
from ik.test import TEST_SETUP

# The role .ci/run creates and the README's set-up describes.
APP_ROLE, APP_PASSWORD = "ik_app", "ik_app"
# The README's grants, as the tables' owner runs them after `migrate`.
README_GRANTS = """
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ik_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ik_app;
REVOKE UPDATE, DELETE, TRUNCATE ON org_auditevent FROM ik_app;
"""
ATTACKS = {
    "UPDATE": "UPDATE org_auditevent SET summary = 'Inget hände'",
    "DELETE": "DELETE FROM org_auditevent",
    "TRUNCATE": "TRUNCATE org_auditevent CASCADE",
    "DISABLE TRIGGER": "ALTER TABLE org_auditevent DISABLE TRIGGER org_auditevent_append_only",
    "DROP TRIGGER": "DROP TRIGGER org_auditevent_append_only ON org_auditevent",
    "DROP TABLE": "DROP TABLE org_auditevent CASCADE",
}


class AppRoleTests(TransactionTestCase):
    def setUp(self):
        self.organisation = Organisation.objects.create(code="rollen", name="Rollen")
        for i in range(3):
            audit_record(
                organisation=self.organisation,
                actor=TEST_SETUP,
                action="test",
                obj=self.organisation,
                summary=f"Händelse {i}",
            )
        self.summaries = sorted(AuditEvent.objects.values_list("summary", flat=True))

    def connect_as_the_app(self):
        with connection.cursor() as cursor:
            cursor.execute(README_GRANTS)
        settings = connection.settings_dict
        return psycopg.connect(
            host=settings["HOST"] or "localhost",
            port=settings["PORT"] or 5432,
            dbname=settings["NAME"],
            user=APP_ROLE,
            password=APP_PASSWORD,
        )

    def test_the_apps_role_cannot_change_remove_or_unprotect_the_trail(self):
        if connection.vendor != "postgresql":
            AuditEvent._base_manager.filter(summary="Händelse 1").update(summary="Inget hände")
            with pytest.raises(CommandError, match="bruten"):
                call_command("verifytrail", stdout=io.StringIO(), stderr=io.StringIO())
            return
        with self.connect_as_the_app() as app:
            with app.cursor() as cursor:  # the application still reads and writes the trail
                cursor.execute("SELECT count(*) FROM org_auditevent")
                assert cursor.fetchone() == (3,)
            app.rollback()
            for name, sql in ATTACKS.items():
                with pytest.raises(psycopg.Error) as refused, app.cursor() as cursor:
                    cursor.execute(sql)
                app.rollback()
                assert isinstance(
                    refused.value,
                    (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException),
                ), name
        assert sorted(AuditEvent.objects.values_list("summary", flat=True)) == self.summaries
        out = io.StringIO()
        call_command("verifytrail", "--organisation", "rollen", stdout=out)
        assert "3 händelser, kedjan är hel" in out.getvalue()
