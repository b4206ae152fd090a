"""Reading settings from environment variables, refusing values that do not mean anything.

A typo such as `IK_SECURE_SSL_REDIRECT=ture` must stop the start with a message naming the
variable, not quietly switch the redirect off. Secrets may come from a file instead
(`IK_SECRET_KEY_FILE=/run/secrets/ik_secret_key`), as container and systemd credentials
hand them over.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on", "ja"})
FALSE = frozenset({"0", "false", "no", "off", "nej"})


def with_secret_files(environ: Mapping[str, str], secrets: tuple[str, ...]) -> dict[str, str]:
    """A copy of `environ` where each secret given as NAME_FILE holds the file's content.

    The content is taken as it is, less the line break editors and `echo` leave at the end.
    Setting both NAME and NAME_FILE is refused, since one of them would be ignored.
    """
    resolved = dict(environ)
    for name in secrets:
        file_name = f"{name}_FILE"
        path = environ.get(file_name, "")
        if not path:
            continue
        if environ.get(name):
            raise ImproperlyConfigured(f"Sätt antingen {name} eller {file_name}, inte båda.")
        try:
            resolved[name] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(
                f"{file_name}: filen {path} kan inte läsas ({exc.__class__.__name__})."
            ) from None
        if not resolved[name]:
            raise ImproperlyConfigured(f"{file_name}: filen {path} är tom.")
    return resolved


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """1/0, true/false, yes/no, on/off or ja/nej; unset gives the default.

    An empty value is refused like any other unexpected one: it means nothing either way.
    """
    if name not in environ:
        return default
    raw = environ[name]
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} ska vara 1 eller 0 (eller true/false), inte {raw!r}.")


def env_int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number of at least `minimum`; unset gives the default."""
    if name not in environ:
        return default
    raw = environ[name]
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} ska vara ett heltal, inte {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} ska vara minst {minimum}, inte {value}.")
    return value


def env_list(environ: Mapping[str, str], name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks around the items and empty items left out."""
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]
