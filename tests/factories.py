"""Builders for synthetic offers and scenarios (tests only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scoring.models import Answer, Offer, Price, Source
from scoring.scenario.model import Scenario

SRC = {"S1": Source(id="S1", title="test source", date=dt.date(2026, 1, 1))}


def offer(oid: str, answers: dict[str, Any] | None = None, *, era: str = "2026",
          as_of: dt.date = dt.date(2026, 1, 1), prices: dict[str, float] | None = None,
          details: dict[str, dict[str, Any]] | None = None) -> Offer:
    """An offer with the given answer values (None = unknown), all confirmed from S1."""
    ans = {}
    for qid, v in (answers or {}).items():
        extra = (details or {}).get(qid, {})
        if v is None:
            ans[qid] = Answer(question=qid, confidence="unknown")
        else:
            ans[qid] = Answer(question=qid, value=v, confidence="confirmed", sources=("S1",),
                              **extra)
    pl = tuple(Price(item=k, price=v, currency="EUR", date=as_of, sources=("S1",),
                     confidence="confirmed") for k, v in (prices or {}).items())
    return Offer(vendor_id=oid, vendor_name=oid.title(), group=oid, offer_id=oid,
                 offer_name=oid, era=era, as_of=as_of, currencies=("EUR",), sources=SRC,
                 answers=ans, prices=pl, file=f"{oid}.yaml", sha256=oid)


EU_VENDOR = {
    "legal.hq_country": "FR", "legal.parent_country": "FR",
    "legal.non_eu_share_individual": 0.0, "legal.non_eu_share_collective": 0.0,
    "legal.non_eu_veto_or_board": False, "legal.non_eu_third_party_access": False,
    "legal.data_location": "fr", "legal.non_eu_admin_access": False,
}
US_VENDOR = {
    "legal.hq_country": "IE", "legal.parent_country": "US",
    "legal.non_eu_share_individual": 100.0, "legal.non_eu_share_collective": 100.0,
    "legal.non_eu_veto_or_board": True, "legal.non_eu_third_party_access": True,
    "legal.data_location": "eu", "legal.non_eu_admin_access": True,
}


def scenario(**over: Any) -> Scenario:
    base: dict[str, Any] = {
        "schema": 1, "id": "test", "title": "test", "evaluation_date": "2026-04-23",
        "offers": {"paths": ["."]}, "missing_policy": "worst",
        "weights": {"technical": {"weight": 40}, "cost": {"weight": 20},
                    "legal": {"weight": 20}, "sovereignty": {"weight": 20}},
        "workload": {"label": "ASSUMPTION T", "reasoning": "test", "contract_years": 1,
                     "annual": {"vm.8vcpu_32gb": 1000}},
    }
    base.update(over)
    return Scenario.model_validate(base)
