"""Start the test identity provider (tests.support.idp) in its own gunicorn process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.services import ROOT, free_port
from tests.support.web import WebProcess


@dataclass
class IdentityProviderProcess:
    web: WebProcess
    env: dict[str, str]

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.web.port}"

    def seed(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.support.idp.seed", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def register_client(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.seed("client", client_id, secret, redirect_uri)


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def identity_provider(tmp_path: Path, people: list[str]) -> Iterator[IdentityProviderProcess]:
    """Run allauth's OpenID Connect provider with these people (`email:password`)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.support.idp.settings",
        IDP_DB=str(tmp_path / f"idp-{free_port()}.sqlite3"),
        IDP_PRIVATE_KEY=_private_key_pem(),
    )
    idp = IdentityProviderProcess(
        WebProcess(
            free_port(),
            env,
            tmp_path / "idp.log",
            app="tests.support.idp.wsgi:application",
            ready_path="/.well-known/openid-configuration",
        ),
        env,
    )
    idp.seed("people", *people)
    idp.web.start()
    try:
        yield idp
    finally:
        idp.web.stop()
