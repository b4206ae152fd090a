"""Emptying a test database of archived items, which the database itself guards.

No model imports here, so the root conftest can import it before Django is set up.
"""

from __future__ import annotations

from django.db import connection, transaction


def remove_archived_items() -> None:
    """Remove every archived item so that a test can empty the database, the one way its
    guard (reports migration 0006) lets a row go: the follow-up named for removal first.
    Nothing outside the tests removes archived items."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_archiveditem_removal (followup_id) "
            "SELECT DISTINCT followup_id FROM reports_archiveditem"
        )
        cursor.execute("DELETE FROM reports_archiveditem")
        cursor.execute("DELETE FROM reports_archiveditem_removal")
