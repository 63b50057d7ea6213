"""``hostwise sensitivity | flip``: how robust the award is to the weights.

The text forms are for the committee; the ``--json`` forms are stable contracts (floats rounded
to 6 decimals, weights as fractions of 1, totals on the 0–100 scale, ``null`` where undefined).

``hostwise sensitivity SCENARIO [--level pillar|criterion] [--samples N] [--seed S] --json``::

    {
      "scenario": str, "hash": str, "evaluation_date": "YYYY-MM-DD",
      "level": "pillar" | "criterion", "policy": "worst" | "exclude",
      "offers": [{"offer": str, "rank": int, "total": float}],        # eligible, best first
      "excluded": [{"offer": str, "excluded_by": [str]}],             # gate ids
      "weights": {criterion: float},
      "stability": [{"criterion": str, "weight": float, "leader": str | null,
                     "leader_interval": [lo, hi], "ranking_interval": [lo, hi],
                     "crossovers": [{"weight": float, "from": str, "to": str,
                                     "total": float}]}],
      "smaa": null | {"samples": int, "seed": int, "engine": "smaa2" | "totals",
                      "acceptability": {offer: [share at rank 1, rank 2, ...]},
                      "central_weights": {offer: {criterion: float} | null},
                      "confidence": {offer: float | null}},
      "flip": null | <flip object below, for the runner-up>
    }

``hostwise flip SCENARIO OFFER [--level ...] [--margin M] --json``: the scenario fields
(``scenario``, ``hash``, ``evaluation_date``, ``level``, ``policy``) plus the flip object::

    {"offer": str, "possible": bool, "reason": str, "distance": float | null,
     "moved": float | null, "method": str, "exact": bool, "margin": float,
     "weights_before": {criterion: float}, "weights_after": {criterion: float} | null,
     "changes": [{"criterion": str, "before": float, "after": float}],
     "totals_after": {offer: float} | null, "words": str}

An unknown scenario or offer is an error (exit 2, plain words); an offer excluded by the gates
is an answer ("possible": false, with the gates named), exit 0.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .errors import HostwiseError

if TYPE_CHECKING:
    from .engine import Evaluation, OfferResult


def register(sub: Any) -> None:
    s = sub.add_parser("sensitivity", help="stability intervals, SMAA acceptability and what "
                       "would flip the award to the runner-up")
    s.add_argument("scenario")
    s.add_argument("--level", choices=["pillar", "criterion"], default="pillar")
    s.add_argument("--samples", type=int, default=10_000, help="SMAA weight samples")
    s.add_argument("--seed", type=int, default=0, help="SMAA seed (same seed, same result)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sensitivity)
    f = sub.add_parser("flip", help="the smallest change of the weights that makes an offer "
                       "rank first")
    f.add_argument("scenario")
    f.add_argument("offer")
    f.add_argument("--level", choices=["pillar", "criterion"], default="pillar")
    f.add_argument("--margin", type=float, default=1e-6,
                   help="lead over every other offer, in points of the total (default 1e-6)")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_flip)


def _head(ev: Evaluation, level: str) -> dict[str, Any]:
    return {"scenario": ev.scenario.id, "hash": ev.hash,
            "evaluation_date": ev.evaluation_date.isoformat(), "level": level,
            "policy": ev.scenario.missing_policy}


def _find(ev: Evaluation, offer: str) -> OfferResult:
    try:
        return ev.result(offer)
    except KeyError:
        known = ", ".join(x.offer.offer_id for x in ev.results)
        raise HostwiseError(f"no offer {offer!r} in scenario {ev.scenario.id} (offers: {known})"
                            ) from None


def _gate_words(r: OfferResult) -> list[str]:
    return [f"{g.label}: {g.reason}" for g in r.gates if not g.passed]


def flip_data(scenario: str, offer: str, level: str = "pillar", margin: float = 1e-6
              ) -> tuple[dict[str, Any], Any]:
    """The ``flip --json`` object and the ``FlipResult`` behind it."""
    from .engine import evaluate_path
    from .robustness import flip

    ev = evaluate_path(scenario)
    r = _find(ev, offer)
    res = flip(ev.matrix(level), r.offer.offer_id, margin=margin, excluded_by=_gate_words(r))
    return {**_head(ev, level), **res.to_json()}, res


def sensitivity_data(scenario: str, level: str = "pillar", samples: int = 10_000,
                     seed: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``sensitivity --json`` object, and the result objects (for the text form)."""
    from .engine import evaluate_path
    from .robustness import flip, smaa, stability_intervals

    if samples < 1:
        raise HostwiseError("--samples must be at least 1")
    ev = evaluate_path(scenario)
    dm = ev.matrix(level)
    elig = [r for r in ev.results if r.rank is not None]
    stab = stability_intervals(dm)
    sm = smaa(dm, samples, seed) if dm.offers else None
    fl = flip(dm, elig[1].offer.offer_id) if len(elig) >= 2 else None
    data = {
        **_head(ev, level),
        "offers": [{"offer": r.offer.offer_id, "rank": r.rank,
                    "total": None if r.total is None else round(r.total, 6)} for r in elig],
        "excluded": [{"offer": r.offer.offer_id, "excluded_by": list(r.excluded_by)}
                     for r in ev.results if not r.eligible],
        "weights": {c: round(float(w), 6)
                    for c, w in zip(dm.criteria, dm.weights / dm.weights.sum(), strict=True)},
        "stability": [s.to_json() for s in stab],
        "smaa": None if sm is None else sm.to_json(),
        "flip": None if fl is None else fl.to_json(),
    }
    return data, {"ev": ev, "dm": dm, "stability": stab, "smaa": sm, "flip": fl}


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .robustness import (
        acceptability_text,
        central_weights_text,
        flip_text,
        stability_text,
    )

    data, obj = sensitivity_data(args.scenario, args.level, args.samples, args.seed)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    ev = obj["ev"]
    sc = ev.scenario
    print(f"{sc.title}\nscenario {sc.id}  evaluation date {sc.evaluation_date}  level "
          f"{args.level}  missing answers: {sc.missing_policy}\nhash {ev.hash}\n")
    if not data["offers"]:
        print("No offer passes every gate: nothing to compare.")
        return 0
    print("Ranking (eligible offers): " + ", ".join(
        f"{o['rank']}. {o['offer']} {o['total']:.2f}" for o in data["offers"]))
    if data["excluded"]:
        print("Excluded by the gates (no weights can make them win): "
              + ", ".join(x["offer"] for x in data["excluded"]))
    if len(data["offers"]) < 2:
        print("\nOnly one eligible offer: its lead cannot be reversed by any weights.")
        return 0
    print("\nStability intervals: one weight moves from 0 to 100 %, the others keep their "
          "proportions (exact end points):")
    print(stability_text(obj["stability"]))
    sm = obj["smaa"]
    print(f"\nSMAA-2 rank acceptability: share of {sm.n_samples:,} weight vectors (uniform on "
          f"the simplex, seed {sm.seed}) giving each rank:")
    print(acceptability_text(sm))
    print("\nCentral weights (%): the average weights under which each offer ranks first:")
    print(central_weights_text(sm))
    runner = data["offers"][1]["offer"]
    print(f"\nWhat would flip the award to the runner-up ({runner}):")
    print(flip_text(obj["flip"]))
    return 0


def cmd_flip(args: argparse.Namespace) -> int:
    from .robustness import flip_text

    data, res = flip_data(args.scenario, args.offer, args.level, args.margin)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"scenario {data['scenario']}  evaluation date {data['evaluation_date']}  level "
          f"{data['level']}  missing answers: {data['policy']}\n")
    print(flip_text(res))
    return 0
