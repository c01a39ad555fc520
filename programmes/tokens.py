"""Invitation tokens: random, shown once in an email, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """Return a fresh URL-safe token and its hash."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """Return the hex SHA-256 of a token (what the database keeps)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
