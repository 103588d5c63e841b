"""The limit on anonymous answer submissions (page and API): per client address, so that nobody can
flood a survey or try tokens in bulk (a token has 144 random bits; this is for the load)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from xuncha.core.context import client_ip


class AnswerThrottle(SimpleRateThrottle):
    scope = "survey_answer"

    def get_rate(self):
        # Generous: a meeting room answers from one address behind NAT. It only stops floods.
        return getattr(settings, "SURVEY_ANSWER_RATE", "300/min")

    def get_cache_key(self, request, view):
        # The platform's client address (REMOTE_ADDR, or X-Real-IP behind the trusted proxy), not DRF's
        # get_ident, which believes any X-Forwarded-For a client sends and so could be dodged.
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
