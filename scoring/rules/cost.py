"""Cost pillar: annual total cost of a workload from a price sheet, and the price note.

Price-note formulas used in French public procurement (weka.fr DT104, Bercy scoring tool):
- proportional ("classique", hyperbolic): ``note = max × Pmin / P``;
- linear between the lowest and highest price: ``note = max × (Pmax − P) / (Pmax − Pmin)``;
- relevance scale: ``note = max × (n·Pmin − P) / ((n − 1)·Pmin)``, floored at 0 (offers beyond
  n × Pmin score 0).
Conseil d'État, 29 October 2013, n° 370789: the lowest price must get the best price note;
every formula here gives the lowest price the maximum.

An offer whose sheet lacks a price the workload needs is "not costable" and says which price is
missing; it is never priced at zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError
from ..i18n import N_
from ..messages import Msg, word
from ..models import Offer, show_date

Formula = Literal["proportional", "linear", "relevance"]
#: The formulas and price confidences as words inside reasons (``messages.word``), for the
#: catalogue.
WORDS = (N_("proportional"), N_("linear"), N_("relevance"), N_("conflicting"),
         N_("secondary"))


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: float
    unit_price: float
    currency: str
    rate: float  # target currency per 1 unit of `currency`
    amount: float  # annual, in the scenario currency
    price_date: dt.date | None  # None: read from an undated page (reading date unknown)
    confidence: str
    one_off: bool = False
    price_date_text: str = "unknown"  # the reading date as the source gave it (2026, 2026-10)


@dataclass(frozen=True)
class CostResult:
    offer: str
    annual_cost: float | None  # None = not costable
    lines: tuple[CostLine, ...] = ()
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    late_days: int = 0  # the latest price was read this many days after the evaluation date

    @property
    def price_after_evaluation_date(self) -> bool:
        """Whether a price it uses was read after the evaluation date (a time leak: the
        committee could not have read it on that date)."""
        return self.late_days > 0

    @property
    def costable(self) -> bool:
        return self.annual_cost is not None


def annual_cost(
    offer: Offer,
    quantities: Mapping[str, float],
    one_off: Mapping[str, float],
    contract_years: float,
    currency: str,
    rates: Mapping[str, float],
    evaluation_date: dt.date | None = None,
) -> CostResult:
    """Annual total cost = Σ yearly quantity × unit price + Σ one-off / contract years.

    ``rates[c]`` converts 1 unit of currency ``c`` into the scenario currency (the scenario states
    each rate with its date and source). A currency without a rate makes the line not costable.
    """
    lines: list[CostLine] = []
    missing: list[str] = []
    warnings: list[str] = []
    late = 0
    for item, qty, is_one_off in [*((i, q, False) for i, q in quantities.items()),
                                  *((i, q, True) for i, q in one_off.items())]:
        if qty == 0:
            continue
        p = offer.price(item)
        if p is None:
            missing.append(Msg(N_("{item} (no price)"), item=item))
            continue
        if p.currency == currency:
            rate = 1.0
        elif p.currency in rates:
            rate = rates[p.currency]
        else:
            missing.append(Msg(N_("{item} (no rate for {currency})"), item=item,
                               currency=p.currency))
            continue
        years = contract_years if is_one_off else 1.0
        amount = qty * p.price * rate / years
        lines.append(CostLine(item, qty, p.price, p.currency, rate, amount, p.date,
                              p.confidence, is_one_off, show_date(p.date, p.date_text)))
        shown = show_date(p.date, p.date_text)
        if p.date is None:
            warnings.append(Msg(N_("price of {item} read from an undated page: reading date "
                                    "unknown"), item=item))
        elif evaluation_date is not None and p.date > evaluation_date:
            late = max(late, (p.date - evaluation_date).days)
            warnings.append(Msg(N_("price of {item} read on {shown}, after the evaluation date "
                                    "{date}"), item=item, shown=shown, date=evaluation_date))
        elif evaluation_date is not None and (evaluation_date - p.date).days > 730:
            warnings.append(Msg(N_("price of {item} dated {shown}, more than two years before "
                                    "the evaluation date"), item=item, shown=shown))
        if p.confidence != "confirmed":
            warnings.append(Msg(N_("price of {item} is {confidence}, not confirmed"), item=item,
                                confidence=word(p.confidence)))
    if missing:
        return CostResult(offer.offer_id, None, tuple(lines), tuple(missing), tuple(warnings),
                          late)
    return CostResult(offer.offer_id, sum(x.amount for x in lines), tuple(lines), (),
                      tuple(warnings), late)


def price_notes(
    prices: Sequence[float],
    formula: Formula = "proportional",
    note_max: float = 100.0,
    n: float = 2.0,
    reference: Sequence[float] | None = None,
) -> list[float]:
    """Price notes for ``prices`` (all >= 0), computed against ``reference`` prices (default: the
    same list). The reference is the set of competing offers; an offer outside it (e.g. one
    excluded by a gate) is noted on the same scale and clipped to [0, note_max]."""
    ref = list(reference) if reference is not None else list(prices)
    if not ref:
        return [0.0 for _ in prices]
    if any(p < 0 or p != p for p in [*prices, *ref]):
        raise InputError("prices must be numbers >= 0 to be noted")
    pmin, pmax = min(ref), max(ref)
    out: list[float] = []
    for p in prices:
        if p <= pmin:  # the lowest price gets the maximum (CE 29 Oct 2013), a free offer too
            out.append(note_max)
            continue
        if pmin == 0 and formula != "linear":  # the limit of both formulas as Pmin -> 0
            out.append(0.0)
            continue
        if formula == "proportional":
            note = note_max * pmin / p
        elif formula == "linear":
            note = note_max if pmax == pmin else note_max * (pmax - p) / (pmax - pmin)
        elif formula == "relevance":
            if n <= 1:
                raise InputError("the relevance factor n must be greater than 1")
            note = note_max * (n * pmin - p) / ((n - 1) * pmin)
        else:  # pragma: no cover - guarded by the scenario model
            raise InputError(f"unknown price formula {formula}")
        out.append(min(note_max, max(0.0, note)))
    return out
