"""Commercial-cryptography primitives (商用密码) behind one small interface.

SM3 and HMAC-SM3 come from `cryptography` (OpenSSL). A hardware crypto module can replace this
module's functions without touching callers. Never use the `gmssl` package (insecure nonces).
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes, hmac


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def sha256_hex(data: bytes) -> str:
    """Content addresses of uploads use SHA-256, as the files' recipients expect."""
    return hashlib.sha256(data).hexdigest()
