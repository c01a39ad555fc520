"""Comment lists: one dimension only, refreshed only when at least k commenters changed."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from feedback.disclosure.features import comment_digest, hash128, rater_digest
from feedback.disclosure.records import MOD, CellKey, Disclosed, RatingRecord, Reason
from feedback.disclosure.state import CommentState

# --- comments ----------------------------------------------------------------------------------


def release_comments(
    rows: Sequence[RatingRecord],
    members: Mapping[CellKey, list[int]],
    universe: frozenset[CellKey],
    *,
    comment_dimension: str,
    k: int,
    previous: Mapping[CellKey, CommentState],
    seq: int,
    seed: int | str,
    withheld: frozenset[CellKey] = frozenset(),
) -> tuple[dict[CellKey, Disclosed[tuple[str, ...]]], dict[CellKey, CommentState]]:
    """Comment lists for one dimension only; new comments appear only with >= k new commenters."""
    out: dict[CellKey, Disclosed[tuple[str, ...]]] = {}
    states = dict(previous)
    for key in sorted(universe):
        if key in withheld:
            out[key] = Disclosed(reason=Reason.COMBINATION)
            continue
        if key.dimension != comment_dimension:
            out[key] = Disclosed(reason=Reason.COMMENTS_NOT_RELEASED)
            continue
        idx = members.get(key, [])
        if len({rows[i].rater_key for i in idx}) < k:
            out[key] = Disclosed(reason=Reason.COMMENTS_BELOW_THRESHOLD)
            continue
        texts: dict[str, str] = {}
        present: Counter[str] = Counter()
        current: dict[str, int] = {}
        cover: dict[str, int] = {}
        for i in idx:
            row = rows[i]
            rater = rater_digest(row.rater_key)
            cover[rater] = (cover.get(rater, 0) + hash128("rated", row.rater_key)) % MOD
            if row.comment is None:
                continue
            digest = comment_digest(row.rater_key, row.comment)
            texts[digest] = row.comment
            present[digest] += 1
            current[rater] = (current.get(rater, 0) + int(digest, 16)) % MOD
            cover[rater] = (cover[rater] + int(digest, 16)) % MOD
        state = states.get(key)
        # Unlike numbers, a comment list may not return to an earlier state for free: a comment
        # that vanished and came back would tell that its author left and returned.
        if state is None or all(len(_map_delta(old, current)) >= k for old in state.history):
            # Sorting by digest first makes the order independent of submission order.
            order = sorted(present.elements())
            random.Random(f"{seed}|{key.dimension}|{key.value}").shuffle(order)
            history = () if state is None else state.history
            coverage = () if state is None else state.coverage
            state = CommentState(
                history=(*history, current),
                published=tuple(order),
                as_of=seq,
                coverage=(*coverage, cover),
            )
        # Held or not, a withdrawn comment disappears at once (consent outranks the small
        # inference "someone withdrew"), and stays away until the next refresh.
        shown: list[str] = []
        for digest in state.published:
            if present[digest] > 0:
                present[digest] -= 1
                shown.append(digest)
        states[key] = replace(state, published=tuple(shown))
        out[key] = Disclosed(value=tuple(texts[d] for d in shown), as_of=state.as_of)
    return out, states


def _map_delta(old: Mapping[str, int], new: Mapping[str, int]) -> list[str]:
    """Raters whose summed contribution differs between two maps."""
    return [r for r in old.keys() | new.keys() if old.get(r, 0) != new.get(r, 0)]
