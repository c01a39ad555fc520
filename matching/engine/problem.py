"""Compiled problem: profiles turned into numpy arrays, and vectorised score/feasibility blocks.

Every soft criterion except availability is bilinear in per-person feature vectors, so one
matrix product `X[rows] @ Y.T` computes topic fit, language, time zone and department terms
for a whole block of pairs. Language and time zone depend on a few categories per person
(language sets, UTC offsets), so their scores come from small category x category tables,
with a large negative entry for the hard rules (no common language, time zone too far): a
pair is feasible only if its score stays above FEASIBLE_FLOOR. Availability saturates at a
target number of common slots, which needs the slot overlap itself (a second product).

Internally mentees and mentors are sorted by their pre-order number in the management
forest, so "mentee manages these mentors" is a contiguous column range and "mentor manages
these mentees" a contiguous row range of any block.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .criteria import coverage, language_score, timezone_ok, timezone_score
from .hierarchy import ManagementIndex
from .types import (
    SLOTS_PER_WEEK,
    Managers,
    MatchInput,
    MenteeProfile,
    MentorProfile,
    PersonId,
    ProgrammeRules,
    Weights,
)

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

BIG = 1000.0
FEASIBLE_FLOOR = -BIG / 2
BLOCK_CELLS = 1 << 22  # pairs per block: about 16 MB per float32 matrix
GATHER_MAX_TOPICS = 6


def _codes(keys: Sequence[Hashable], order: Sequence[Hashable]) -> IntArray:
    """Integer code of each key in `order`."""
    index = {k: i for i, k in enumerate(order)}
    return np.fromiter((index[k] for k in keys), dtype=np.int64, count=len(keys))


def _one_hot(codes: IntArray, n: int) -> FloatArray:
    """Rows of the identity matrix."""
    out = np.zeros((len(codes), n), dtype=np.float32)
    out[np.arange(len(codes)), codes] = 1.0
    return out


def _sorted_pairs(pairs: Iterable[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    """Unique (row, col) pairs sorted by row then column."""
    arr = np.array(sorted(set(pairs)), dtype=np.int64).reshape(-1, 2)
    return arr[:, 0].copy(), arr[:, 1].copy()


@dataclass(frozen=True)
class Columns:
    """A subset of mentors (sorted global indices) with the per-solve exclusions applied."""

    cols: IntArray
    position: IntArray  # global mentor index -> local column, -1 if absent
    y: FloatArray
    full_t: BoolArray  # (wanted column + never-covered column) x mentor
    slots: FloatArray
    team: IntArray
    tin: IntArray
    lo: IntArray
    hi: IntArray
    excluded: tuple[IntArray, IntArray]  # (mentee index, global mentor index), sorted
    preferred: tuple[IntArray, IntArray]

    def subset(self, local: IntArray) -> Columns:
        """The view restricted to local columns `local` (sorted)."""
        cols = self.cols[local]
        position = np.full(len(self.position), -1, dtype=np.int64)
        position[cols] = np.arange(len(cols))
        return Columns(
            cols=cols,
            position=position,
            y=self.y[local],
            full_t=self.full_t[:, local],
            slots=self.slots[local],
            team=self.team[local],
            tin=self.tin[local],
            lo=self.lo[local],
            hi=self.hi[local],
            excluded=self.excluded,
            preferred=self.preferred,
        )


class Problem:
    """Immutable compiled instance; build once, then solve or check pairs many times."""

    def __init__(
        self,
        mentors: Iterable[MentorProfile],
        mentees: Iterable[MenteeProfile],
        *,
        managers: Managers | None = None,
        rules: ProgrammeRules | None = None,
        weights: Weights | None = None,
    ) -> None:
        """Validate the profiles and compile the arrays used by the solvers."""
        self.rules = rules or ProgrammeRules()
        self.weights = weights or Weights()
        self.w = self.weights.normalised()
        mentor_list, mentee_list = list(mentors), list(mentees)
        for role, people in (("mentor", mentor_list), ("mentee", mentee_list)):
            if len({p.id for p in people}) != len(people):
                raise ValueError(f"duplicate {role} ids")
        for m in mentor_list:
            if m.capacity > self.rules.max_capacity:
                raise ValueError(f"{m.id!r}: capacity above {self.rules.max_capacity}")
        self.hierarchy = ManagementIndex(
            managers or {}, [p.id for p in mentor_list] + [p.id for p in mentee_list]
        )
        h = self.hierarchy
        mentor_list.sort(key=lambda p: int(h.tin[h.position[p.id]]))
        mentee_list.sort(key=lambda p: int(h.tin[h.position[p.id]]))
        self.mentors: tuple[MentorProfile, ...] = tuple(mentor_list)
        self.mentees: tuple[MenteeProfile, ...] = tuple(mentee_list)
        self.mentor_index = {p.id: i for i, p in enumerate(self.mentors)}
        self.mentee_index = {p.id: i for i, p in enumerate(self.mentees)}
        m_pos = h.indices(self.mentor_index)
        e_pos = h.indices(self.mentee_index)
        self.m_tin, self.m_lo, self.m_hi = h.tin[m_pos], h.lo[m_pos], h.hi[m_pos]
        self.e_tin, self.e_lo, self.e_hi = h.tin[e_pos], h.lo[e_pos], h.hi[e_pos]
        self.capacity = np.array([m.capacity for m in self.mentors], dtype=np.int64)
        self.trained = np.array([m.trained for m in self.mentors], dtype=bool)
        everyone: list[MentorProfile | MenteeProfile] = [*self.mentors, *self.mentees]
        teams = sorted({(p.department, p.team) for p in everyone})
        self.m_team = _codes([(p.department, p.team) for p in self.mentors], teams)
        self.e_team = _codes([(p.department, p.team) for p in self.mentees], teams)
        self._compile_topics()
        self._compile_slots()
        self._compile_features()
        self._compile_pairs()

    @classmethod
    def from_input(cls, data: MatchInput) -> Problem:
        """Compile a `MatchInput`."""
        return cls(
            data.mentors,
            data.mentees,
            managers=data.managers,
            rules=data.rules,
            weights=data.weights,
        )

    @property
    def n_mentors(self) -> int:
        """Number of mentors."""
        return len(self.mentors)

    @property
    def n_mentees(self) -> int:
        """Number of mentees."""
        return len(self.mentees)

    def _compile_topics(self) -> None:
        """Want one-hots and full/partial coverage over the (topic, level) pairs anyone wants."""
        wanted = sorted({(t, lvl) for p in self.mentees for t, lvl in p.wants.items()})
        column = {key: j for j, key in enumerate(wanted)}
        per_mentee = [[column[item] for item in p.wants.items()] for p in self.mentees]
        width = max(map(len, per_mentee), default=0)
        # Wanted columns per mentee, padded with an extra never-covered column.
        self.want_cols = np.array(
            [cols + [len(wanted)] * (max(width, 1) - len(cols)) for cols in per_mentee],
            dtype=np.int64,
        ).reshape(self.n_mentees, max(width, 1))
        self.want_onehot = np.zeros((self.n_mentees, len(wanted) + 1), dtype=np.float32)
        np.put_along_axis(self.want_onehot, self.want_cols, 1.0, axis=1)
        self.want_onehot = np.ascontiguousarray(self.want_onehot[:, :-1])
        self.n_wanted = self.want_onehot.sum(axis=1)

        topics = sorted({t for t, _ in wanted})
        topic_col = {t: i for i, t in enumerate(topics)}
        teach = np.full((self.n_mentors, len(topics)), -1, dtype=np.int64)
        for i, m in enumerate(self.mentors):
            known = [(topic_col[t], lvl) for t, lvl in m.teaches.items() if t in topic_col]
            if known:
                teach[i, [k for k, _ in known]] = [lvl for _, lvl in known]
        topic_of = np.array([topic_col[t] for t, _ in wanted], dtype=np.int64)
        level_of = np.array([lvl for _, lvl in wanted], dtype=np.int64)
        taught = teach[:, topic_of]
        self.covers_full = taught >= level_of[None, :]
        credit = np.array(
            [[coverage(want, have) for have in (-1, 0, 1, 2)] for want in (0, 1, 2)],
            dtype=np.float32,
        )
        self.covers = credit[level_of[None, :], taught + 1]

    def _compile_slots(self) -> None:
        """Slot indicator matrices over the slots used by at least one person on each side."""
        used_e = np.zeros(SLOTS_PER_WEEK, dtype=bool)
        used_m = np.zeros(SLOTS_PER_WEEK, dtype=bool)
        matrices = []
        sides: list[tuple[BoolArray, Sequence[MentorProfile | MenteeProfile]]] = [
            (used_e, self.mentees),
            (used_m, self.mentors),
        ]
        for used, people in sides:
            full = np.zeros((len(people), SLOTS_PER_WEEK), dtype=np.float32)
            rows = [i for i, p in enumerate(people) for _ in p.availability]
            slots = [s for p in people for s in p.availability]
            full[rows, slots] = 1.0
            used |= full.any(axis=0)
            matrices.append(full)
        keep = np.flatnonzero(used_e & used_m)
        self.e_slots = np.ascontiguousarray(matrices[0][:, keep])
        self.m_slots = np.ascontiguousarray(matrices[1][:, keep])

    def _compile_features(self) -> None:
        """Feature matrices X (mentees) and Y (mentors) whose product is the bilinear score."""
        w, rules = self.w, self.rules
        e_lang = [tuple(dict.fromkeys(p.languages)) for p in self.mentees]
        m_lang = [frozenset(p.languages) for p in self.mentors]
        e_keys, m_keys = sorted(set(e_lang)), sorted(set(m_lang), key=sorted)
        shape = (len(e_keys), len(m_keys))
        self.lang_ok = np.array([[bool(set(a) & b) for b in m_keys] for a in e_keys], dtype=bool)
        self.lang_ok = self.lang_ok.reshape(shape)
        self.lang_table = np.array(
            [[language_score(a, b) for b in m_keys] for a in e_keys], dtype=np.float32
        ).reshape(shape)
        self.e_lang, self.m_lang = _codes(e_lang, e_keys), _codes(m_lang, m_keys)

        e_tz = [p.utc_offset_minutes for p in self.mentees]
        m_tz = [p.utc_offset_minutes for p in self.mentors]
        e_off, m_off = sorted(set(e_tz)), sorted(set(m_tz))
        shape = (len(e_off), len(m_off))
        self.tz_ok = np.array(
            [[timezone_ok(abs(a - b), rules) for b in m_off] for a in e_off], dtype=bool
        ).reshape(shape)
        self.tz_table = np.array(
            [[timezone_score(abs(a - b), rules) for b in m_off] for a in e_off], dtype=np.float32
        ).reshape(shape)
        self.e_tz, self.m_tz = _codes(e_tz, e_off), _codes(m_tz, m_off)

        depts = sorted({p.department for p in self.mentors} | {p.department for p in self.mentees})
        self.e_dept = _codes([p.department for p in self.mentees], depts)
        self.m_dept = _codes([p.department for p in self.mentors], depts)
        # Hard rules ride on the score as a large negative term: feasible iff above the floor.
        lang = w["language"] * self.lang_table - BIG * ~self.lang_ok
        tz = w["timezone"] * self.tz_table - BIG * ~self.tz_ok
        # w * [different] = w - w * [same]; the constant rides on a column of ones.
        self.x = np.hstack(
            [
                self.want_onehot * (w["topic_fit"] / np.maximum(self.n_wanted, 1))[:, None],
                _one_hot(self.e_lang, len(e_keys)),
                _one_hot(self.e_tz, len(e_off)),
                _one_hot(self.e_dept, len(depts)) * -w["cross_department"],
                np.full((self.n_mentees, 1), w["cross_department"], dtype=np.float32),
            ]
        ).astype(np.float32)
        self.y = np.hstack(
            [
                self.covers,
                lang.T[self.m_lang],
                tz.T[self.m_tz],
                _one_hot(self.m_dept, len(depts)),
                np.ones((self.n_mentors, 1), dtype=np.float32),
            ]
        ).astype(np.float32)

    def _compile_pairs(self) -> None:
        """Sparse pair lists: do-not-pair (both ways), same person, and wish lists."""
        excluded: list[tuple[int, int]] = []
        preferred: list[tuple[int, int]] = []
        for e, p in enumerate(self.mentees):
            excluded += [(e, self.mentor_index[x]) for x in p.do_not_pair if x in self.mentor_index]
            preferred += [
                (e, self.mentor_index[x]) for x in p.preferred_mentors if x in self.mentor_index
            ]
            if p.id in self.mentor_index:
                excluded.append((e, self.mentor_index[p.id]))
        for m, q in enumerate(self.mentors):
            excluded += [(self.mentee_index[x], m) for x in q.do_not_pair if x in self.mentee_index]
        self.excluded = _sorted_pairs(excluded)
        self.preferred = _sorted_pairs(preferred)

    def pair_indices(self, pairs: Iterable[tuple[PersonId, PersonId]]) -> set[tuple[int, int]]:
        """(mentee index, mentor index) of (mentor id, mentee id) pairs; unknown ids ignored."""
        return {
            (self.mentee_index[e], self.mentor_index[m])
            for m, e in pairs
            if m in self.mentor_index and e in self.mentee_index
        }

    def columns(self, cols: IntArray, forbidden: Iterable[tuple[int, int]] = ()) -> Columns:
        """Column view on mentors `cols` (sorted), with admin-forbidden pairs excluded."""
        position = np.full(self.n_mentors, -1, dtype=np.int64)
        position[cols] = np.arange(len(cols))
        extra = np.array(sorted(forbidden), dtype=np.int64).reshape(-1, 2)
        both = np.unique(np.vstack([np.column_stack(self.excluded), extra]).reshape(-1, 2), axis=0)
        excluded = (both[:, 0].copy(), both[:, 1].copy())
        return Columns(
            cols=cols,
            position=position,
            y=self.y[cols],
            full_t=np.vstack([self.covers_full[cols].T, np.zeros((1, len(cols)), dtype=bool)]),
            slots=self.m_slots[cols],
            team=self.m_team[cols],
            tin=self.m_tin[cols],
            lo=self.m_lo[cols],
            hi=self.m_hi[cols],
            excluded=excluded,
            preferred=self.preferred,
        )

    def raw_criteria(self, mentees: IntArray, mentors: IntArray) -> dict[str, FloatArray]:
        """Criterion values in 0..1 of the pairs (mentees[i], mentors[i]), vectorised."""
        rules = self.rules
        common = np.einsum("ij,ij->i", self.e_slots[mentees], self.m_slots[mentors])
        return {
            "topic_fit": np.einsum("ij,ij->i", self.want_onehot[mentees], self.covers[mentors])
            / np.maximum(self.n_wanted[mentees], 1),
            "availability": np.minimum(common, rules.availability_target_slots)
            / rules.availability_target_slots,
            "cross_department": (self.e_dept[mentees] != self.m_dept[mentors]).astype(np.float32),
            "language": self.lang_table[self.e_lang[mentees], self.m_lang[mentors]],
            "timezone": self.tz_table[self.e_tz[mentees], self.m_tz[mentors]],
            "preference": self._pair_member(self.preferred, mentees, mentors).astype(np.float32),
        }

    def _pair_member(self, pairs: tuple[IntArray, IntArray], e: IntArray, m: IntArray) -> BoolArray:
        """Whether each (e[i], m[i]) is among the sorted global pairs."""
        pe, pm = pairs
        if len(pe) == 0:
            return np.zeros(len(e), dtype=bool)
        key = pe * self.n_mentors + pm
        probe = e * self.n_mentors + m
        at = np.minimum(np.searchsorted(key, probe), len(key) - 1)
        return np.asarray(key[at] == probe)

    def block_rows(self, n_cols: int) -> int:
        """Rows per block so that a block holds about BLOCK_CELLS pairs."""
        return int(min(4096, max(16, BLOCK_CELLS // max(n_cols, 1))))

    def block(self, view: Columns, rows: IntArray) -> tuple[FloatArray, BoolArray]:
        """Scores and feasibility of mentees `rows` (sorted) against every mentor of `view`.

        Training and capacity are per-mentor filters: the caller leaves such mentors out of
        the view instead of masking every block.
        """
        rules, w = self.rules, self.w
        score = self.x[rows] @ view.y.T
        feasible = score > FEASIBLE_FLOOR
        wanted = self.want_cols[rows]
        if wanted.shape[1] <= GATHER_MAX_TOPICS:
            # Few wanted topics each: OR of gathered boolean rows beats a float product.
            topic_ok = view.full_t[wanted[:, 0]]
            for p in range(1, wanted.shape[1]):
                topic_ok |= view.full_t[wanted[:, p]]
            feasible &= topic_ok
        else:
            feasible &= (self.want_onehot[rows] @ view.full_t[:-1].astype(np.float32)) > 0.5
        if rules.exclude_same_team:
            feasible &= self.e_team[rows][:, None] != view.team[None, :]
        common = self.e_slots[rows] @ view.slots.T
        if rules.min_common_slots > 0:
            feasible &= common >= rules.min_common_slots
        target = rules.availability_target_slots
        np.minimum(common, target, out=common)
        common *= w["availability"] / target
        score += common
        self._cut_management_chains(view, rows, feasible)
        li, lj = self._local_pairs(view.excluded, view, rows)
        feasible[li, lj] = False
        li, lj = self._local_pairs(view.preferred, view, rows)
        score[li, lj] += w["preference"]
        return score, feasible

    def _cut_management_chains(self, view: Columns, rows: IntArray, feasible: BoolArray) -> None:
        """Mark both directions of the management chain infeasible, as contiguous ranges."""
        lo = np.searchsorted(view.tin, self.e_lo[rows])
        hi = np.searchsorted(view.tin, self.e_hi[rows])
        for i in np.flatnonzero(hi > lo).tolist():
            feasible[i, lo[i] : hi[i]] = False
        row_tin = self.e_tin[rows]
        lo = np.searchsorted(row_tin, view.lo)
        hi = np.searchsorted(row_tin, view.hi)
        for j in np.flatnonzero(hi > lo).tolist():
            feasible[lo[j] : hi[j], j] = False

    @staticmethod
    def _local_pairs(
        pairs: tuple[IntArray, IntArray], view: Columns, rows: IntArray
    ) -> tuple[IntArray, IntArray]:
        """Block coordinates of the global (mentee, mentor) pairs that fall inside the block."""
        pe, pm = pairs
        if len(rows) == 0 or len(pe) == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        a = int(np.searchsorted(pe, rows[0], side="left"))
        b = int(np.searchsorted(pe, rows[-1], side="right"))
        pe, pm = pe[a:b], pm[a:b]
        li = np.searchsorted(rows, pe)
        lj = view.position[pm]
        keep = (rows[li] == pe) & (lj >= 0)
        return li[keep], lj[keep]

    def stages(
        self, rows: IntArray, cols: IntArray, forbidden: Iterable[tuple[int, int]] = ()
    ) -> list[tuple[str, BoolArray]]:
        """Per-rule pass masks of rows x cols, plainly computed (for diagnosis and tests)."""
        rules = self.rules
        out: list[tuple[str, BoolArray]] = []
        full = self.covers_full[cols].T.astype(np.float32)
        out.append(("topic", (self.want_onehot[rows] @ full) > 0.5))
        shape = (len(rows), len(cols))
        ones = np.ones(shape, dtype=bool)
        trained = self.trained[cols] if rules.require_training else np.ones(len(cols), bool)
        out.append(("training", ones & trained[None, :]))
        lang = self.lang_ok[self.e_lang[rows][:, None], self.m_lang[cols][None, :]]
        out.append(("no_common_language", lang))
        out.append(("timezone", self.tz_ok[self.e_tz[rows][:, None], self.m_tz[cols][None, :]]))
        same = self.e_team[rows][:, None] == self.m_team[cols][None, :]
        out.append(("same_team", ~same if rules.exclude_same_team else ones))
        e_tin, m_tin = self.e_tin[rows][:, None], self.m_tin[cols][None, :]
        mentor_above = (self.m_lo[cols][None, :] <= e_tin) & (e_tin < self.m_hi[cols][None, :])
        mentee_above = (self.e_lo[rows][:, None] <= m_tin) & (m_tin < self.e_hi[rows][:, None])
        out.append(("management_chain", ~(mentor_above | mentee_above)))
        common = self.e_slots[rows] @ self.m_slots[cols].T
        out.append(("availability", common >= rules.min_common_slots))
        mask = ones.copy()
        view = self.columns(cols, forbidden)
        li, lj = self._local_pairs(view.excluded, view, rows)
        mask[li, lj] = False
        out.append(("excluded", mask))
        return out
