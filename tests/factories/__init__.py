"""factory_boy factories, one module per app; import them from here."""

from __future__ import annotations

from tests.factories.matching import PairingFactory
from tests.factories.organisations import (
    TEST_PASSWORD,
    MemberFactory,
    OrganisationFactory,
    ScopeFreeFactory,
    UserFactory,
    member_with_login,
)
from tests.factories.programmes import (
    ParticipantFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    TopicFactory,
)
from tests.factories.sessions import MentoringSessionFactory

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
