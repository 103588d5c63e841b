"""Settings for the test suite: the same as base, with fast hashing and a private media folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="xuncha-test-media-"))
CELERY_TASK_ALWAYS_EAGER = True
