"""Environment values that mean nothing stop the start, naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ik.lib.env import env_bool, env_int, env_list, with_secret_files


@pytest.mark.parametrize("value", ["1", "true", "True", " yes ", "on", "ja"])
def test_true_values(value):
    assert env_bool({"IK_X": value}, "IK_X", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off", "nej"])
def test_false_values(value):
    assert env_bool({"IK_X": value}, "IK_X", True) is False


def test_an_unset_variable_gives_the_default():
    assert env_bool({}, "IK_X", True) is True
    assert env_int({}, "IK_N", 25) == 25
    assert env_list({}, "IK_L", "a,b") == ["a", "b"]


@pytest.mark.parametrize("value", ["ture", "2", "", "yes please", "-1"])
def test_a_typo_in_a_boolean_is_refused_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="IK_SECURE_SSL_REDIRECT"):
        env_bool({"IK_SECURE_SSL_REDIRECT": value}, "IK_SECURE_SSL_REDIRECT", True)


@pytest.mark.parametrize("value", ["25x", "2,5", "", "ett"])
def test_a_number_that_is_not_a_whole_number_is_refused_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="IK_EMAIL_PORT ska vara ett heltal"):
        env_int({"IK_EMAIL_PORT": value}, "IK_EMAIL_PORT", 25)


def test_a_number_below_its_minimum_is_refused():
    with pytest.raises(ImproperlyConfigured, match="IK_LOGIN_MAX_FAILURES ska vara minst 1"):
        env_int({"IK_LOGIN_MAX_FAILURES": "0"}, "IK_LOGIN_MAX_FAILURES", 5, minimum=1)
    assert env_int({"IK_HSTS_SECONDS": " 60 "}, "IK_HSTS_SECONDS", 0) == 60


def test_lists_drop_blanks():
    assert env_list({"IK_L": " a.se, ,b.se,"}, "IK_L") == ["a.se", "b.se"]


def test_a_secret_is_read_from_its_file_without_the_final_line_break(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s3cr3t med mellanslag \n", encoding="utf-8")
    env = with_secret_files({"IK_SECRET_KEY_FILE": str(secret)}, ("IK_SECRET_KEY",))
    assert env["IK_SECRET_KEY"] == "s3cr3t med mellanslag "


def test_a_secret_given_twice_is_refused(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("a", encoding="utf-8")
    environ = {"IK_EMAIL_HOST_PASSWORD": "b", "IK_EMAIL_HOST_PASSWORD_FILE": str(secret)}
    with pytest.raises(ImproperlyConfigured, match="IK_EMAIL_HOST_PASSWORD_FILE, inte båda"):
        with_secret_files(environ, ("IK_EMAIL_HOST_PASSWORD",))


def test_a_missing_or_empty_secret_file_is_refused_naming_the_variable(tmp_path):
    missing = {"DATABASE_URL_FILE": str(tmp_path / "saknas")}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL_FILE: filen .* kan inte läsas"):
        with_secret_files(missing, ("DATABASE_URL",))
    empty = tmp_path / "tom"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL_FILE: filen .* är tom"):
        with_secret_files({"DATABASE_URL_FILE": str(empty)}, ("DATABASE_URL",))


def test_only_the_listed_secrets_are_read_from_files(tmp_path):
    other = tmp_path / "debug"
    other.write_text("1", encoding="utf-8")
    env = with_secret_files({"IK_DEBUG_FILE": str(other)}, ("IK_SECRET_KEY",))
    assert "IK_DEBUG" not in env
