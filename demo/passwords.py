"""A quick hasher for the demo's published password (re-hashed with Argon2 at first login)."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, for `flipside-demo` only.

    The demo password is printed by `bin/serve`, so a slow hash protects nothing; Argon2 costs
    about a second per login on a busy machine, most of the seeding time. The stored hash reads
    `pbkdf2_sha256$…`, which the regular PBKDF2 hasher verifies; Django then sees a hash that is
    not its preferred one and re-hashes it with Argon2 at the person's first login.
    """

    iterations = 1000
