"""Settings for a developer's machine and the demo (`make run`)."""

from .base import *
from .base import BASE_DIR, SQLITE_OPTIONS, env, env_bool, env_list  # noqa: F401

DEBUG = env_bool("DJANGO_DEBUG", False)
# A throw-away key for the machine the demo runs on; production refuses to start without its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", "local-development-only-not-secret-8f3b1c")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Serve static files straight from the finders (no collectstatic needed on a laptop).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

DEMO_SEED_ALLOWED = True
DEMO_PASSWORD = env("DEMO_PASSWORD", "council-1405")

# Emails are written as files under sent-emails/ (open them in a mail reader), never sent.
if env("DJANGO_EMAIL_BACKEND") is None:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))},
        }
    }
