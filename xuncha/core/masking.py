"""Masking of personal numbers on screen and in exports (身份证号、手机号脱敏)."""

from __future__ import annotations


def mask_id_card(value: str | None) -> str:
    """110101199003071234 -> 110101********1234 (region kept, birth date hidden)."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678."""
    if not value:
        return ""
    value = str(value)
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


SENSITIVE_KEYS = ("password", "passwd", "token", "secret", "id_card", "phone", "csrfmiddlewaretoken")


def mask_params(params: dict) -> dict:
    """Mask secrets in logged request parameters: passwords and tokens fully, numbers partly."""
    masked = {}
    for key, value in params.items():
        lowered = key.lower()
        if any(word in lowered for word in ("password", "passwd", "token", "secret")):
            masked[key] = "******"
        elif "id_card" in lowered:
            masked[key] = mask_id_card(value if isinstance(value, str) else str(value))
        elif "phone" in lowered:
            masked[key] = mask_phone(value if isinstance(value, str) else str(value))
        else:
            masked[key] = value
    return masked
