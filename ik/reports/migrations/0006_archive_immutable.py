from django.db import migrations

# The database itself refuses to change an archived item or remove one, so neither raw SQL,
# QuerySet.update() nor another program with the same credentials rewrites what a committee
# decided on. A row may be removed only in a transaction that first names its follow-up in
# reports_archiveditem_removal, which nothing in IK does except emptying a test database.
# TRUNCATE, which PostgreSQL test runs use to empty tables, is not a row-level change.
SQLITE = [
    "CREATE TABLE reports_archiveditem_removal (followup_id integer NOT NULL PRIMARY KEY)",
    """
    CREATE TRIGGER reports_archiveditem_no_update BEFORE UPDATE ON reports_archiveditem
    BEGIN
        SELECT RAISE(ABORT, 'Ett arkiverat ärende kan inte ändras.');
    END
    """,
    """
    CREATE TRIGGER reports_archiveditem_no_delete BEFORE DELETE ON reports_archiveditem
    WHEN NOT EXISTS (
        SELECT 1 FROM reports_archiveditem_removal WHERE followup_id = OLD.followup_id
    )
    BEGIN
        SELECT RAISE(ABORT, 'Ett arkiverat ärende kan inte tas bort.');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_archiveditem_no_delete",
    "DROP TRIGGER IF EXISTS reports_archiveditem_no_update",
    "DROP TABLE IF EXISTS reports_archiveditem_removal",
]
POSTGRESQL = [
    "CREATE TABLE reports_archiveditem_removal (followup_id bigint NOT NULL PRIMARY KEY)",
    """
    CREATE OR REPLACE FUNCTION reports_archiveditem_refuse_change() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM reports_archiveditem_removal WHERE followup_id = OLD.followup_id
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'Ett arkiverat ärende kan inte ändras eller tas bort.';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_archiveditem_immutable
        BEFORE UPDATE OR DELETE ON reports_archiveditem
        FOR EACH ROW EXECUTE FUNCTION reports_archiveditem_refuse_change()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_archiveditem_immutable ON reports_archiveditem",
    "DROP FUNCTION IF EXISTS reports_archiveditem_refuse_change()",
    "DROP TABLE IF EXISTS reports_archiveditem_removal",
]
BY_VENDOR = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE)}


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in BY_VENDOR:
        raise NotImplementedError(f"Inget skydd för arkiverade ärenden för databasen {vendor}.")
    _run(schema_editor, BY_VENDOR[vendor][0])


def drop_guard(apps, schema_editor):
    _run(schema_editor, BY_VENDOR.get(schema_editor.connection.vendor, ((), ()))[1])


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_archive_appendix")]

    operations = [migrations.RunPython(create_guard, drop_guard)]
