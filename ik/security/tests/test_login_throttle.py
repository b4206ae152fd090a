"""Password guessing locks the account for a while, in Swedish, and the trail records it."""

from datetime import timedelta

from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone

from ik.org.models import AuditEvent
from ik.security import throttle
from ik.security.models import LoginThrottle
from ik.test import PASSWORD, BaseTestCase

LOGIN = reverse("login")


class LoginThrottleTests(BaseTestCase):
    def _fail(self, username="owner", times=1, address="10.0.0.1"):
        for _ in range(times):
            response = self.client.post(
                LOGIN, {"username": username, "password": "fel"}, REMOTE_ADDR=address
            )
        return response

    def _login(self, username="owner", address="10.0.0.1"):
        return self.client.post(
            LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
        )

    def test_four_failures_still_allow_the_right_password(self):
        self._fail(times=4)
        assert self._login().status_code == 302
        assert not LoginThrottle.objects.filter(key="user:owner").exists()

    def test_the_fifth_failure_locks_the_account_with_a_swedish_message(self):
        response = self._fail(times=5)
        assert "För många misslyckade inloggningar" in response.content.decode()
        response = self._login()
        assert response.status_code == 200
        assert "Inloggningen är spärrad till" in response.content.decode()
        assert "_auth_user_id" not in self.client.session

    def test_the_lock_holds_from_another_address_too(self):
        self._fail(times=5, address="10.0.0.1")
        assert self._login(address="10.0.0.2").status_code == 200

    def test_the_lock_is_recorded_in_the_trail_without_the_password(self):
        self._fail(times=5)
        event = AuditEvent.objects.get(action="login_locked")
        assert event.organisation == self.org
        assert event.object_id == str(self.owner.pk)
        assert event.changes == {"address": "10.0.0.1"}
        assert "fel" not in event.summary

    def test_unknown_usernames_are_locked_without_a_trail(self):
        self._fail(username="ingen-sadan", times=5)
        assert LoginThrottle.objects.get(key="user:ingen-sadan").locked_until is not None
        assert not AuditEvent.objects.filter(action="login_locked").exists()

    def test_the_lock_ends_after_the_lock_period(self):
        start = timezone.now()
        for _ in range(5):
            throttle.login_failed("owner", "10.0.0.1", now=start)
        assert throttle.locked_until("owner", "", now=start + timedelta(minutes=14))
        assert throttle.locked_until("owner", "", now=start + timedelta(minutes=16)) is None

    def test_old_failures_are_forgotten(self):
        start = timezone.now()
        for _ in range(4):
            throttle.login_failed("owner", "", now=start)
        assert not throttle.login_failed("owner", "", now=start + timedelta(minutes=20))
        assert LoginThrottle.objects.get(key="user:owner").failures == 1

    def test_many_failures_from_one_address_lock_the_address(self):
        with self.settings(IK_LOGIN_MAX_FAILURES_PER_ADDRESS=6):
            for name in ("a", "b", "c"):
                self._fail(username=name, times=2, address="10.9.9.9")
            assert self._login(address="10.9.9.9").status_code == 200
            assert self._login(address="10.9.9.8").status_code == 302

    def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(self):
        class Request:
            META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 10.0.0.7"}

        with self.settings(IK_BEHIND_PROXY=True):
            assert throttle.client_address(Request()) == "10.0.0.7"
        assert throttle.client_address(Request()) == "127.0.0.1"


class PasswordHashingTests(BaseTestCase):
    def test_new_passwords_are_hashed_with_argon2(self):
        # The test run swaps in a fast hasher (ik/conftest.py); use the configured ones here.
        import ik.settings as configured

        with self.settings(PASSWORD_HASHERS=configured.PASSWORD_HASHERS):
            self.owner.set_password("ett-långt-lösenord-2018")
            assert identify_hasher(self.owner.password).algorithm == "argon2"
            assert self.owner.check_password("ett-långt-lösenord-2018")
