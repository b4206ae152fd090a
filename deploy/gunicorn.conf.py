"""gunicorn configuration for IK (`make serve`, deploy/ik-web.service).

Every value can be overridden from the environment; README, "Drift", lists the variables.
The work per request is CPU-bound (templates, ORM), so processes scale with cores and a few
threads per process cover time spent waiting for PostgreSQL.
"""

import os

from django.conf import settings

from ik.ops.production import development_settings, refusal_message

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ik.settings")

wsgi_app = "ik.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("IK_WEB_WORKERS", str((os.cpu_count() or 1) * 2)))
worker_class = "gthread"
threads = int(os.environ.get("IK_WEB_THREADS", "4"))
# Uploading and parsing a large ledger, or rendering a year's report, takes a while.
timeout = int(os.environ.get("IK_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Headers from the proxy in front (nginx) are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("IK_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# With IK_LOG_FORMAT=json the application logs every request itself, as JSON with a request
# id; the plain access log would only repeat it.
accesslog = None if os.environ.get("IK_LOG_FORMAT") == "json" else "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("IK_LOG_LEVEL", "info").lower()
preload_app = True
proc_name = "ik-web"
# gunicorn's runtime control socket is one path per user; several servers on one machine
# (tests, benchmarks, two instances) would share it. systemd manages the process instead.
control_socket_disable = True


def on_starting(server: object) -> None:
    """Refuse development settings before the first worker starts."""
    reasons = development_settings(settings)
    if reasons:
        raise SystemExit(refusal_message(reasons))
