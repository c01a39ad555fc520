"""Benchmark of the matching engine on realistic synthetic programmes.

Run: .venv/bin/python benchmarks/matching.py [--sizes 1000 5000 20000] [--seed 7]

Each size runs in a fresh subprocess so that ru_maxrss (the process high-water mark) is not
inherited from a previous size. Per size it reports:
- build/solve/total wall time of `Problem(...)` + `solve(...)` (no tracemalloc running),
- peak memory two ways: tracemalloc peak (Python + numpy allocations, measured in a second,
  traced run) and the ru_maxrss increase over the process after data generation (RSS, all
  allocators incl. OR-Tools; only a lower bound if an earlier phase peaked higher),
- share matched and total score,
- the gap to the exact optimum: the dense Hungarian reference (scipy linear_sum_assignment on
  the full mentees x capacity-slots matrix) where it fits (--dense-max-cells), otherwise the
  engine's own LP-duality certificate / upper bound (stated in the "reference" column),
- a greedy baseline (best remaining pair first) to show what optimisation buys.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.engine import (
    MatchResult,
    MenteeProfile,
    MentorProfile,
    Problem,
    ProgrammeRules,
    solve,
)

TOPICS = [
    "Excel", "Teams", "Outlook", "PowerPoint", "Power BI", "SharePoint", "ChatGPT", "Copilot",
    "LinkedIn", "Slack", "Zoom", "Canva", "Python", "SQL", "Tableau", "Notion", "Trello",
    "Jira", "Confluence", "Figma", "Miro", "Google Sheets", "Salesforce", "SAP Fiori",
    "Power Automate", "OneDrive", "Instagram", "TikTok", "Mobile banking", "Cybersecurity",
    "Password managers", "Video editing",
]  # fmt: skip
REGIONS = {  # name: (share, utc offsets in minutes, native languages)
    "europe": (0.60, [0, 60, 60, 60, 120], ["French", "German", "Spanish", "Italian", "Dutch",
                                             "Polish", "Portuguese"]),
    "americas": (0.22, [-300, -300, -360, -480, -180], ["English", "Spanish", "Portuguese"]),
    "asia": (0.13, [330, 480, 540, 480], ["Japanese", "Chinese", "Hindi", "English"]),
    "uk": (0.05, [0], ["English"]),
}  # fmt: skip
DEPARTMENTS = ["Finance", "HR", "Sales", "Marketing", "IT", "Operations", "Legal", "R&D"]


def generate(n: int, seed: int) -> tuple[list[MentorProfile], list[MenteeProfile], dict]:
    """Synthetic programme of n participants (half mentees) and their org chart."""
    rng = np.random.default_rng(seed)
    # Org chart: CEO, department heads, then layers of ~5 reports each; the directory is
    # larger than the programme, and seniors (upper layers) are the mentees.
    managers: dict[str, str] = {}
    layers: list[list[tuple[str, int]]] = [[("ceo", -1)]]
    layers.append([(f"head-{d}", d) for d in range(len(DEPARTMENTS))])
    for h, _ in layers[1]:
        managers[h] = "ceo"
    size = len(layers[1])
    while sum(len(layer) for layer in layers) < 2.2 * n:
        size = int(size * 4.5)
        parents = layers[-1]
        picks = rng.integers(0, len(parents), size)
        layer = []
        for i, p in enumerate(picks.tolist()):
            pid, dept = parents[p]
            person = f"p{len(layers)}-{i}"
            managers[person] = pid
            layer.append((person, dept))
        layers.append(layer)
    n_e, n_m = n // 2, n - n // 2
    seniors = [p for layer in layers[2:-1] for p in layer]
    juniors = [p for layer in layers[-2:] for p in layer]
    mentee_people = [seniors[i] for i in rng.choice(len(seniors), n_e, replace=False)]
    taken = {q[0] for q in mentee_people}
    junior_pool = [p for p in juniors if p[0] not in taken]
    mentor_people = [junior_pool[i] for i in rng.choice(len(junior_pool), n_m, replace=False)]
    team_of = {}
    for person, _ in (*mentee_people, *mentor_people):
        chain = [person]
        while chain[-1] in managers:
            chain.append(managers[chain[-1]])
        team_of[person] = chain[-4] if len(chain) >= 4 else "leadership"

    # Per-person draws use the stdlib generator: far cheaper per call than numpy's.
    rnd = random.Random(seed)
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(len(TOPICS))]
    region_names = list(REGIONS)
    region_p = [REGIONS[r][0] for r in region_names]

    def some_topics(k: int) -> list[str]:
        chosen: dict[str, None] = {}
        while len(chosen) < k:
            chosen[rnd.choices(TOPICS, popularity)[0]] = None
        return list(chosen)

    def person_basics() -> dict[str, Any]:
        _, offsets, natives = REGIONS[rnd.choices(region_names, region_p)[0]]
        offset = rnd.choice(offsets)
        languages = [rnd.choice(natives)]
        if languages[0] != "English" and rnd.random() < 0.75:
            languages.append("English")
        if rnd.random() < 0.15:
            languages.append(rnd.choice(["Spanish", "French", "German"]))
        n_slots = rnd.randint(3, 15)
        days = rnd.sample(range(5), max(rnd.randint(1, 3), -(-n_slots // 8)))
        local: dict[int, None] = {}
        while len(local) < n_slots:  # a few contiguous blocks in local working hours
            day, start = rnd.choice(days), rnd.randint(9, 16)
            for hour in range(start, min(18, start + rnd.randint(1, 3))):
                local[day * 24 + hour] = None
        slots = frozenset((s - offset // 60) % 168 for s in list(local)[:n_slots])
        return {
            "languages": tuple(dict.fromkeys(languages)),
            "utc_offset_minutes": offset,
            "availability": slots,
        }

    mentors = []
    for person, dept in mentor_people:
        topics = some_topics(rnd.randint(2, 6))
        mentors.append(
            MentorProfile(
                id=person,
                department=DEPARTMENTS[dept],
                team=team_of[person],
                teaches={t: rnd.choices((0, 1, 2), (0.2, 0.4, 0.4))[0] for t in topics},
                capacity=rnd.choices((1, 2, 3), (0.55, 0.35, 0.10))[0],
                trained=rnd.random() < 0.9,
                **person_basics(),
            )
        )
    mentor_ids = [m.id for m in mentors]
    mentees = []
    for person, dept in mentee_people:
        topics = some_topics(rnd.randint(1, 3))
        mentees.append(
            MenteeProfile(
                id=person,
                department=DEPARTMENTS[dept],
                team=team_of[person],
                wants={t: rnd.choices((0, 1, 2), (0.4, 0.4, 0.2))[0] for t in topics},
                do_not_pair=frozenset(rnd.sample(mentor_ids, 2) if rnd.random() < 0.03 else ()),
                preferred_mentors=frozenset(
                    rnd.sample(mentor_ids, 2) if rnd.random() < 0.05 else ()
                ),
                **person_basics(),
            )
        )
    return mentors, mentees, managers


def greedy(problem: Problem, depth: int = 100) -> float:
    """Baseline: repeatedly take the best remaining feasible pair (from each top-`depth`)."""
    from matching.engine.optimise import _top_k

    eligible = problem.trained | (not problem.rules.require_training)
    cols = np.flatnonzero(eligible)
    view = problem.columns(cols)
    rows = np.arange(problem.n_mentees)
    rr, cc, ww = [], [], []
    step = problem.block_rows(len(cols))
    for a in range(0, len(rows), step):
        score, feasible = problem.block(view, rows[a : a + step])
        r, c, _ = _top_k(score, feasible, depth, seed=a)
        rr.append(r + a)
        cc.append(c)
        ww.append(score[r, c])
    r, c, w = np.concatenate(rr), np.concatenate(cc), np.concatenate(ww)
    left = problem.capacity[cols].copy()
    taken = np.zeros(len(rows), dtype=bool)
    total = 0.0
    for i in np.argsort(-w, kind="stable").tolist():
        if not taken[r[i]] and left[c[i]] > 0:
            taken[r[i]] = True
            left[c[i]] -= 1
            total += float(w[i])
    return total


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def maxrss_mb() -> float:
    """Process high-water mark of the resident set, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n: int, seed: int, dense_max_cells: float, repeat: int) -> dict[str, Any]:
    """Measure one size (run inside a fresh subprocess)."""
    mentors, mentees, managers = generate(n, seed)
    rss0 = maxrss_mb()
    build, run, cpu = [], [], []
    for _ in range(repeat):
        c0 = cpu_seconds()
        t0 = time.perf_counter()
        problem = Problem(mentors, mentees, managers=managers, rules=ProgrammeRules())
        t1 = time.perf_counter()
        result: MatchResult = solve(problem)
        t2 = time.perf_counter()
        cpu.append(cpu_seconds() - c0)
        build.append(t1 - t0)
        run.append(t2 - t1)
    rss1 = maxrss_mb()

    tracemalloc.start()
    traced = solve(Problem(mentors, mentees, managers=managers))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert traced == result  # deterministic

    cells = problem.n_mentees * int(problem.capacity.sum())
    t3 = time.perf_counter()
    if cells <= dense_max_cells:
        exact = solve(problem, method="dense")
        ref_kind = "dense Hungarian, full matrix"
    else:
        exact = solve(problem, method="sparse", tolerance=0.0)
        ref_kind = f"sparse + column generation, LP-{exact.optimality}"
    t4 = time.perf_counter()
    reference = exact.total_score if exact.optimality in ("exact", "certified") else np.nan
    greedy_total = greedy(problem)
    best = int(np.argmin(np.add(build, run)))
    return {
        "n": n,
        "mentees": problem.n_mentees,
        "mentors": problem.n_mentors,
        "method": result.method,
        "build_s": build[best],
        "solve_s": run[best],
        "total_s": build[best] + run[best],
        "cpu_s": cpu[best],
        "tracemalloc_mb": peak / 2**20,
        "rss_delta_mb": rss1 - rss0,
        "matched": result.summary.share_matched,
        "score": result.total_score,
        "optimality": result.optimality,
        "proven_gap": (result.upper_bound - result.total_score) / result.upper_bound,
        "reference": reference,
        "ref_kind": ref_kind,
        "ref_s": t4 - t3,
        "gap": (reference - result.total_score) / reference,
        "greedy": greedy_total,
        "greedy_gap": (reference - greedy_total) / reference,
    }


def main() -> None:
    """Run every size in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is shown")
    parser.add_argument(
        "--dense-max-cells",
        type=float,
        default=2e7,
        help="dense exact reference when mentees x capacity slots is at most this, else the "
        "sparse solver run to a certified optimum (tolerance 0)",
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        row = run_one(args.worker, args.seed, args.dense_max_cells, args.repeat)
        print(json.dumps(row))
        return
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        "time = best of --repeat runs of Problem(...) + solve(...) (wall; CPU s = user + "
        "system time of all threads, which bounds the wall time of an idle machine);\n"
        "tracemalloc = peak of a separate traced run; RSS + = ru_maxrss increase over the "
        "process after data generation; gaps are relative to the exact optimum"
    )
    header = (
        f"{'people':>6} {'mentees':>7} {'mentors':>7} {'method':>6} {'build s':>7} "
        f"{'solve s':>7} {'total s':>7} {'CPU s':>6} {'tracemalloc MB':>14} {'RSS +MB':>7} "
        f"{'matched':>7} "
        f"{'score':>9} {'proven gap':>10} {'gap to opt':>10} {'greedy gap':>10}  reference"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(n), "--seed", str(args.seed),
             "--repeat", str(args.repeat), "--dense-max-cells", str(args.dense_max_cells)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['n']:>6} {r['mentees']:>7} {r['mentors']:>7} {r['method']:>6} "
            f"{r['build_s']:>7.2f} {r['solve_s']:>7.2f} {r['total_s']:>7.2f} {r['cpu_s']:>6.2f} "
            f"{r['tracemalloc_mb']:>14.0f} {r['rss_delta_mb']:>7.0f} {r['matched']:>7.1%} "
            f"{r['score']:>9.2f} {r['proven_gap']:>10.4%} {max(r['gap'], 0.0):>10.4%} "
            f"{r['greedy_gap']:>10.3%}  {r['ref_kind']} = {r['reference']:.2f} "
            f"({r['ref_s']:.1f} s)"
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
