"""Secrets of the feedback app: sealed (encrypted) fields, rater keys and receipt codes.

Everything that could group ratings by person or link a rating to its author is sealed
with a server secret before it reaches the database: a reader of the database alone sees
random bytes of a fixed length. The release job (which holds the secret) unseals them.

Construction: AES-256-GCM from the `cryptography` library (authenticated encryption; no
cryptography of our own), with a key derived from the secret for this one purpose and a fresh
random 96-bit nonce per seal, so two seals of the same value look unrelated.

The secret is `settings.FEEDBACK_SECRET` when set, else `SECRET_KEY` (unsealing also tries
`SECRET_KEY_FALLBACKS`). Rater keys are derived from it too: rotating it makes the same person
look like a new rater, which weakens the k-rater rule for them — see docs/feedback.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
TAG_BYTES = 16
# Plaintexts are padded to a minimum size, or to a multiple of LARGE_PAD, so a ciphertext's
# length tells nothing: a pending rating (comment of at most 2,000 characters) always fills
# one LARGE_PAD, a released rating's sealed part (no comment) one RATING_PAD.
SMALL_PAD = 256
RATING_PAD = 1_024
LARGE_PAD = 10_240
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
RECEIPT_LENGTH = 20  # 100 bits
_RECEIPT_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


class SealError(ValueError):
    """A sealed value was tampered with, truncated, or sealed under an unknown secret."""


def _secrets() -> Iterator[str]:
    """The current secret first, then the fallbacks (for unsealing after a rotation)."""
    primary = getattr(settings, "FEEDBACK_SECRET", "") or settings.SECRET_KEY
    yield primary
    if not getattr(settings, "FEEDBACK_SECRET", ""):
        yield from getattr(settings, "SECRET_KEY_FALLBACKS", [])


def _derive(secret: str, label: str) -> bytes:
    """A key for one purpose, so no two uses of the secret share a key."""
    return hmac.new(secret.encode(), f"flipside.feedback.{label}".encode(), "sha256").digest()


def _pad(data: bytes, min_size: int) -> bytes:
    """Length prefix, then zeros up to `min_size` or the next multiple of LARGE_PAD."""
    needed = len(data) + 4
    size = min_size if needed <= min_size else -(-needed // LARGE_PAD) * LARGE_PAD
    return len(data).to_bytes(4, "big") + data + b"\x00" * (size - needed)


def _unpad(data: bytes) -> bytes:
    length = int.from_bytes(data[:4], "big")
    if length > len(data) - 4:
        raise SealError("bad padding")
    return data[4 : 4 + length]


def _aead(secret: str) -> AESGCM:
    return AESGCM(_derive(secret, "seal.aes-gcm"))


def seal(value: Any, *, min_size: int = SMALL_PAD) -> str:
    """Encrypt a JSON-serialisable value; return base64 text of a fixed length per size class."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    plain = _pad(text.encode(), min_size)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return base64.b64encode(nonce + _aead(next(_secrets())).encrypt(nonce, plain, None)).decode()


def unseal(token: str) -> Any:
    """Decrypt what `seal` wrote; SealError when it was altered or sealed under another secret."""
    try:
        raw = base64.b64decode(token.encode(), validate=True)
    except ValueError as error:
        raise SealError("not base64") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES + 4:
        raise SealError("too short")
    nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret in _secrets():
        try:
            plain = _aead(secret).decrypt(nonce, body, None)
        except InvalidTag:
            continue
        return json.loads(_unpad(plain).decode())
    raise SealError("authentication failed")


def rater_key(*, organisation_id: Any, member_id: Any) -> str:
    """An opaque key per person and organisation: counts distinct raters without naming them.

    One key per organisation (not per programme) so that a mentor's view across programmes,
    and a programme's view across mentors, both count a person once. It is only ever stored
    sealed, so a database reader cannot group ratings by person.
    """
    message = f"{organisation_id}:{member_id}".encode()
    return hmac.new(_derive(next(_secrets()), "rater"), message, "sha256").hexdigest()


def receipt_code_new() -> str:
    """A random receipt code (100 bits), shown once to the rater: XXXXX-XXXXX-XXXXX-XXXXX."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, RECEIPT_LENGTH, 5))


def receipt_code_normalise(code: str) -> str | None:
    """The canonical form of a typed code (case, dashes, look-alike letters), or None."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_RECEIPT_ALIASES)
    if len(cleaned) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in cleaned):
        return None
    return cleaned


def pending_receipt_hash(code: str) -> str:
    """What a pending rating stores of its receipt code (as typed or as shown)."""
    normalised = receipt_code_normalise(code)
    if normalised is None:
        raise ValueError("not a receipt code")
    return hashlib.sha256(f"pending:{normalised}".encode()).hexdigest()


def released_receipt_hash(pending_hash: str, *, secret: str | None = None) -> str:
    """What a released rating stores: keyed, so a reader cannot tie it to its pending row."""
    key = _derive(secret or next(_secrets()), "receipt")
    return hmac.new(key, pending_hash.encode(), "sha256").hexdigest()


def released_receipt_hashes(pending_hash: str) -> list[str]:
    """The released forms of a receipt under the current and the fallback secrets."""
    return [released_receipt_hash(pending_hash, secret=secret) for secret in _secrets()]


def rating_reference(eligibility_id: UUID, *, member_id: UUID) -> str:
    """The one-time reference a rating form posts in its body instead of an id in the URL."""
    return seal({"eligibility": str(eligibility_id), "member": str(member_id)})


def rating_reference_open(token: str, *, member_id: UUID) -> UUID | None:
    """The eligibility id of a reference sealed for this member, or None (tampered, foreign)."""
    try:
        value = unseal(token)
    except (SealError, ValueError, TypeError):
        return None
    if not isinstance(value, dict) or value.get("member") != str(member_id):
        return None
    try:
        return UUID(str(value.get("eligibility")))
    except ValueError:
        return None
