"""Random input at every form of the programmes area: never a 500, never a partial write.

Each example posts a mix of plausible and arbitrary values. A 200 answer (form shown again
with its errors) must leave the database as it was; a redirect must have written a
complete, consistent record.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from notifications.models import OutboundEmail
from organisations.models import Member
from programmes.models import (
    Invitation,
    Participant,
    ParticipantTopic,
    Programme,
    ProgrammeTopic,
    Resource,
    Topic,
    TrainingStep,
)
from tests.conftest import Cast
from tests.factories import MemberFactory, ParticipantFactory, ParticipantTopicFactory
from tests.hypothesis_profiles import hypothesis_examples
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db

EXAMPLES = 60
PROPERTY = settings(
    max_examples=hypothesis_examples(ci=EXAMPLES, dev=6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser could send: anything but lone surrogates (not encodable as UTF-8).
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
long_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=6000)
small_ints = st.integers(min_value=-10, max_value=400).map(str)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def corruptions(
    fields: list[str], *extra: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """Up to three fields replaced by arbitrary values or left out (None); often none at all."""
    arbitrary = st.one_of(text, long_text, small_ints, st.none(), *extra)
    return st.one_of(
        st.just({}),
        st.dictionaries(keys=st.sampled_from(fields), values=arbitrary, max_size=3),
    )


def _apply(valid: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return _clean({**valid, **changes})


def _counts(*models: Any) -> tuple[int, ...]:
    with scopes_disabled():
        return tuple(model.objects.count() for model in models)


TOPIC = {
    "summary": "Professional network",
    "discover_description": "First contact",
    "deepen_description": "Experiment",
    "exploit_description": "Full potential",
}


@PROPERTY
@given(
    name=st.one_of(st.sampled_from(["LinkedIn", "Teams", "Power BI", " ", "x" * 101]), text),
    changes=corruptions([*TOPIC, "name"]),
)
def test_topic_form_never_fails_nor_half_saves(
    name: str, changes: dict[str, Any], cast: Cast, alice_client: Client
) -> None:
    before = _counts(Topic)
    response = alice_client.post(
        url("topic-create", cast), _apply({**TOPIC, "name": name}, changes)
    )
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    after = _counts(Topic)
    assert after == (before[0] + (response.status_code == 302),)


def _dates() -> st.SearchStrategy[str]:
    today = dt.date(2026, 11, 27)
    return st.dates(
        min_value=today - dt.timedelta(days=400), max_value=today + dt.timedelta(days=800)
    ).map(dt.date.isoformat)


PROGRAMME = {
    "name": "Boost",
    "description": "Juniors coach seniors.",
    "goals": "Confidence",
    "starts_on": "2026-12-01",
    "ends_on": "2027-06-01",
    "session_minutes": "60",
    "cadence_every": "2",
    "cadence_unit": "week",
    "target_sessions": "6",
    "mentor_capacity_max": "1",
    "k_scores": "5",
    "k_comments": "10",
    "requires_training": "on",
    "exclude_same_team": "on",
    "max_timezone_difference_hours": "4",
}


@PROPERTY
@given(
    changes=corruptions(
        list(PROGRAMME), _dates(), st.sampled_from(["week", "month", "year", "1", "3", "4"])
    ),
    topic_choice=st.lists(
        st.sampled_from(["active", "active", "active", "archived", "foreign", "junk"]), max_size=3
    ),
)
def test_programme_form_never_fails_nor_half_saves(
    changes: dict[str, Any],
    topic_choice: list[str],
    cast: Cast,
    alice_client: Client,
    topics: list[Topic],
) -> None:
    from tests.factories import TopicFactory

    pool = {
        "active": str(topics[0].pk),
        "archived": str(TopicFactory.create(organisation=cast.org_a, is_active=False).pk),
        "foreign": str(TopicFactory.create(organisation=cast.org_b).pk),
        "junk": "not-a-uuid",
    }
    payload = {**_apply(PROGRAMME, changes), "topics": [pool[c] for c in topic_choice]}
    before = _counts(Programme, ProgrammeTopic, TrainingStep)
    response = alice_client.post(url("programme-create", cast), payload)
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    after = _counts(Programme, ProgrammeTopic, TrainingStep)
    if response.status_code == 200:
        assert after == before
    else:
        assert after[0] == before[0] + 1
        assert after[1] - before[1] == len(set(payload["topics"]))
        assert after[2] == before[2] + 4


_fresh = itertools.count()


@PROPERTY
@given(
    lines=st.one_of(
        st.just(["FRESH"]),
        st.lists(
            st.one_of(
                st.sampled_from(
                    ["FRESH", "FRESH", "dan@a.test", "DAN@a.test", "bob@a.test", "email", ""]
                ),
                st.emails().map(str),
                text,
            ),
            max_size=8,
        ),
    ),
    role=st.one_of(st.sampled_from(["mentor", "mentee"]), st.sampled_from(["boss", ""]), st.none()),
    as_file=st.booleans(),
)
def test_invitation_csv_form_never_fails_nor_half_saves(
    lines: list[str],
    role: str | None,
    as_file: bool,
    cast: Cast,
    alice_client: Client,
    programme: Programme,
) -> None:
    with scopes_disabled():
        if not Member.objects.filter(organisation=cast.org_a, email="dan@a.test").exists():
            MemberFactory.create(organisation=cast.org_a, email="dan@a.test")
    fresh = MemberFactory.create(organisation=cast.org_a, email=f"fresh{next(_fresh)}@a.test")
    lines = [fresh.email if line == "FRESH" else line for line in lines]
    content = "\n".join(lines)
    payload: dict[str, Any] = {"mode": "csv"}
    if role is not None:
        payload["role"] = role
    if as_file:
        payload["csv_file"] = SimpleUploadedFile("emails.csv", content.encode("utf-8"))
    else:
        payload["csv_text"] = content
    before = _counts(Participant, Invitation, OutboundEmail)
    response = alice_client.post(url("programme-invite", cast, programme_id=programme.pk), payload)
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    after = _counts(Participant, Invitation, OutboundEmail)
    added = [a - b for a, b in zip(after, before, strict=True)]
    if response.status_code == 200:
        assert added == [0, 0, 0]
    else:
        assert added[0] == added[1] == added[2] > 0


ENROLMENT = {
    "t0": "2",
    "t1": "0",
    "languages": ["en"],
    "availability": ["1-10"],
    "capacity": "1",
    "pitch": "I love Teams.",
    "goals": "Post on LinkedIn.",
    "avoid": ["colleague"],
}


def _enrolment_strategy() -> st.SearchStrategy[dict[str, Any]]:
    return corruptions(
        list(ENROLMENT),
        st.sampled_from(["0", "1", "2", "3", "4", "-1", "x"]),
        st.lists(st.sampled_from(["en", "fr", "de", "xx", ""]), max_size=3),
        st.lists(st.sampled_from(["0-8", "1-10", "4-18", "5-8", "0-9", "x", "9-99"]), max_size=4),
        st.lists(st.sampled_from(["colleague", "foreign", "self", "junk"]), max_size=2),
    )


def _enrol_payload(
    data: dict[str, Any], cast: Cast, topics: list[Topic], colleague: Any
) -> dict[str, Any]:
    avoid_pool = {
        "colleague": str(colleague.pk),
        "foreign": str(cast.mallory.pk),
        "self": str(cast.bob.pk),
        "junk": "junk",
    }
    data = {**ENROLMENT, **data}
    avoid = data["avoid"] if isinstance(data["avoid"], list) else [data["avoid"]]
    payload = {
        f"topics_{topics[0].pk}": data["t0"],
        f"topics_{topics[1].pk}": data["t1"],
        "languages": data["languages"],
        "availability": data["availability"],
        "capacity": data["capacity"],
        "pitch": data["pitch"],
        "goals": data["goals"],
        "avoid": [avoid_pool.get(a, a) for a in avoid if a is not None],
    }
    return _clean(payload)


def _reset(participant: Participant) -> None:
    with scopes_disabled():
        ParticipantTopic.objects.filter(participant=participant).delete()
        Participant.objects.filter(pk=participant.pk).update(
            status="invited", availability=[], languages=[], pitch="", goals="", avoid_member_ids=[]
        )


@pytest.mark.parametrize("role", ["mentor", "mentee"])
@PROPERTY
@given(data=_enrolment_strategy())
def test_enrolment_form_never_fails_nor_half_saves(
    role: str,
    data: dict[str, Any],
    cast: Cast,
    bob_client: Client,
    programme: Programme,
    topics: list[Topic],
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(mentor_capacity_max=2)
        participant = Participant.objects.filter(programme=programme, member=cast.bob).first()
    if participant is None:
        participant = ParticipantFactory.create(
            programme=programme, member=cast.bob, role=role, status="invited"
        )
    colleague = MemberFactory.create(organisation=cast.org_a)
    _reset(participant)
    response = bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk),
        _enrol_payload(data, cast, topics, colleague),
    )
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    with scopes_disabled():
        saved = Participant.objects.get(pk=participant.pk)
        levels = list(
            ParticipantTopic.objects.filter(participant=saved).values_list("level", flat=True)
        )
    if response.status_code == 200:
        assert (saved.status, levels, saved.availability) == ("invited", [], [])
    else:
        assert saved.status == ("applied" if role == "mentor" else "enrolled")
        assert levels and set(levels) <= {1, 2, 3}
        assert saved.availability and saved.languages
        assert str(cast.mallory.pk) not in saved.avoid_member_ids
        assert str(cast.bob.pk) not in saved.avoid_member_ids


RESOURCE = {"level": "1", "title": "Help", "url": "https://example.com/a", "body": "Open it."}


@PROPERTY
@given(
    kind=st.sampled_from(["link", "text", "file"]),
    changes=corruptions(
        [*RESOURCE, "kind"],
        st.sampled_from(["link", "text", "file", "2", "3", "javascript:alert(1)", "ftp://x"]),
    ),
    upload=st.one_of(
        st.none(),
        st.sampled_from(
            [
                ("guide.pdf", b"%PDF-1.7 hello"),
                ("fake.pdf", b"<html>"),
                ("notes.txt", "Bonjour é".encode()),
                ("bin.txt", b"\x00\x01\x02"),
                ("run.exe", b"MZ"),
                ("empty.png", b""),
            ]
        ),
    ),
)
def test_resource_form_never_fails_nor_half_saves(
    kind: str,
    changes: dict[str, Any],
    upload: tuple[str, bytes] | None,
    cast: Cast,
    alice_client: Client,
    topics: list[Topic],
) -> None:
    payload = _apply({**RESOURCE, "kind": kind}, changes)
    if upload:
        payload["file"] = SimpleUploadedFile(upload[0], upload[1])
    before = _counts(Resource)
    response = alice_client.post(url("topic-resource-create", cast, topic_id=topics[0].pk), payload)
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    after = _counts(Resource)
    assert after[0] == before[0] + (response.status_code == 302)
    if response.status_code == 302:
        with scopes_disabled():
            resource = Resource.objects.latest("created_at")
        assert bool(resource.file) == (resource.kind == "file")


@PROPERTY
@given(changes=corruptions(["title", "body"]))
def test_training_step_form_never_fails_nor_half_saves(
    changes: dict[str, Any], cast: Cast, alice_client: Client, programme: Programme
) -> None:
    before = _counts(TrainingStep)
    payload = _apply({"title": "Accessibility", "body": "Zoom in."}, changes)
    response = alice_client.post(
        url("programme-training", cast, programme_id=programme.pk), payload
    )
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    assert _counts(TrainingStep)[0] == before[0] + (response.status_code == 302)


@PROPERTY
@given(
    decision=st.sampled_from(["approve", "decline"]),
    changes=corruptions(["decision", "note"], st.sampled_from(["approve", "decline", "maybe"])),
)
def test_review_form_never_fails_nor_half_saves(
    decision: str,
    changes: dict[str, Any],
    cast: Cast,
    alice_client: Client,
    programme: Programme,
    topics: list[Topic],
) -> None:
    with scopes_disabled():
        applicant = Participant.objects.filter(programme=programme, member=cast.bob).first()
    if applicant is None:
        applicant = ParticipantFactory.create(programme=programme, member=cast.bob, role="mentor")
        ParticipantTopicFactory.create(participant=applicant, topic=topics[0])
    with scopes_disabled():
        Participant.objects.filter(pk=applicant.pk).update(
            status="applied", decided_at=None, decided_by=None, decision_note=""
        )
    emails = OutboundEmail.objects.count()
    response = alice_client.post(
        url(
            "programme-participant-review",
            cast,
            programme_id=programme.pk,
            participant_id=applicant.pk,
        ),
        _apply({"decision": decision, "note": "Thanks!"}, changes),
    )
    assert response.status_code in (200, 302)
    event(f"answer {response.status_code}")
    with scopes_disabled():
        saved = Participant.objects.get(pk=applicant.pk)
    if response.status_code == 200:
        assert (saved.status, saved.decided_at) == ("applied", None)
        assert OutboundEmail.objects.count() == emails
    else:
        assert saved.status in ("enrolled", "declined") and saved.decided_at is not None
        assert saved.status == "enrolled" or saved.decision_note.strip()
        key = f"participant-decision:{saved.pk}:{saved.status}"
        assert OutboundEmail.objects.filter(dedup_key=key).exists()
