"""factory_boy factories, one module per app; import them from here."""

from __future__ import annotations

from tests.factories.core import (
    TEST_PASSWORD,
    MemberFactory,
    OrganisationFactory,
    ScopeFreeFactory,
    UserFactory,
    member_with_login,
)
from tests.factories.programmes import (
    MentoringSessionFactory,
    PairingFactory,
    ParticipantFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    TopicFactory,
)

__all__ = [
    "TEST_PASSWORD",
    "MemberFactory",
    "MentoringSessionFactory",
    "OrganisationFactory",
    "PairingFactory",
    "ParticipantFactory",
    "ParticipantTopicFactory",
    "ProgrammeFactory",
    "ScopeFreeFactory",
    "TopicFactory",
    "UserFactory",
    "member_with_login",
]
