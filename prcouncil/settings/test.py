"""Settings for the test suite (pytest)."""

import tempfile
from pathlib import Path

from .local import *

DEBUG = False
SECRET_KEY = "tests-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="prcouncil-test-media-"))
DEMO_PASSWORD = "council-1405"

# A file, not memory: threaded tests (concurrent writers, live_server) need every thread
# to see the same database. One file per test process, so parallel runs do not collide.
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="prcouncil-test-db-")) / "test.sqlite3")}

# Tasks run at once, inside the request or command that enqueues them; sends are not delayed.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
NOTIFICATION_RETRY_SECONDS = 0
SITE_URL = "http://testserver"
# The website checker's tests serve pages on 127.0.0.1 (tests/monitoring); production refuses it.
MONITORING_ALLOWED_NETWORKS = ["127.0.0.1/32"]
MONITORING_CONNECT_TIMEOUT = 1.0
MONITORING_READ_TIMEOUT = 1.0
MONITORING_RESPONSE_TIMEOUT = 3.0
MONITORING_RUN_BUDGET = 30

# The URL walks send hundreds of API requests a minute from one address: limits that they never reach
# (tests/api/test_throttling.py sets low ones).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "token": "100000/minute"},
}
