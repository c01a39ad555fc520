"""Hypothesis profiles, chosen by the HYPOTHESIS_PROFILE environment variable."""

from __future__ import annotations

import os

from hypothesis import settings as hypothesis_settings

# Hypothesis profiles: `dev` (default) is quick; `ci` (set by .ci/run) runs the sizes the docs
# quote. Tests with their own counts take them from `hypothesis_examples`.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if HYPOTHESIS_PROFILE not in ("dev", "ci"):
    raise RuntimeError(f"HYPOTHESIS_PROFILE must be dev or ci, not {HYPOTHESIS_PROFILE!r}")
hypothesis_settings.register_profile("dev", max_examples=30)
hypothesis_settings.register_profile("ci", max_examples=100)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def hypothesis_examples(*, ci: int, dev: int) -> int:
    """The example count of a test under the active hypothesis profile."""
    return ci if HYPOTHESIS_PROFILE == "ci" else dev
