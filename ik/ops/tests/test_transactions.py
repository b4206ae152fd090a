from django.contrib.auth.models import Group
from django.db import connection
from django.db.backends.signals import connection_created
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.test import BaseTestCase


class HealthWithoutDatabaseTests(SimpleTestCase):
    """SimpleTestCase refuses every connection and query: the page must not need one."""

    def test_liveness_opens_no_connection_and_runs_no_query(self):
        opened = []

        def record(sender, connection, **kwargs):
            opened.append(connection.alias)

        connection_created.connect(record)
        try:
            response = self.client.get(reverse("web:health"))
        finally:
            connection_created.disconnect(record)
        assert response.status_code == 200
        assert opened == []


@override_settings(ROOT_URLCONF="ik.ops.tests.urls")
class WriteTransactionTests(TestCase):
    def test_a_view_that_raises_after_writing_leaves_nothing_behind(self):
        response = self.client.post("/deny/", {"name": "halvsparad"})
        assert response.status_code == 403
        assert not Group.objects.filter(name="halvsparad").exists()

    def test_a_server_error_after_writing_leaves_nothing_behind(self):
        response = self.client.post("/fail/", {"name": "halvsparad"})
        assert response.status_code == 503
        assert not Group.objects.filter(name="halvsparad").exists()

    def test_a_writing_request_runs_in_one_transaction(self):
        response = self.client.post("/write/", {"name": "sparad"})
        assert int(response.content) == len(connection.savepoint_ids) + 1
        assert Group.objects.filter(name="sparad").exists()

    def test_a_view_marked_non_atomic_gets_no_transaction(self):
        assert int(self.client.post("/own/").content) == len(connection.savepoint_ids)


class ReadsWithoutTransactionTests(BaseTestCase):
    def test_reading_a_page_opens_no_transaction(self):
        self.client.force_login(self.controller)
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(reverse("web:home")).status_code == 200
        assert not [q for q in queries if q["sql"].upper().startswith("SAVEPOINT")]

    def test_a_post_opens_a_transaction(self):
        self.client.force_login(self.controller)
        with CaptureQueriesContext(connection) as queries:
            self.client.post(reverse("logout"))
        assert [q for q in queries if q["sql"].upper().startswith("SAVEPOINT")]


class TemplateCacheTests(SimpleTestCase):
    def test_templates_are_compiled_once_per_process(self):
        loaders = engines["django"].engine.template_loaders
        assert [type(loader) for loader in loaders] == [CachedLoader]
