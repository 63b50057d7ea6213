"""The glossary: one plain-words definition per term of art, used as help tooltips by every page.

Why one dict: a committee member who hovers "TOPSIS" on the Ranking page and on the Robustness
page must read the same sentence; a definition written twice drifts. Each entry says what the
term means *in Hostwise* and, where there is one, the rule or publication it follows (the same
references as docs/methods.md and docs/sources.md). These are our own words, so pages may show
them through ``help=`` tooltips and captions (never vendor text).
"""

from __future__ import annotations

from scoring.methods.registry import METHODS

GLOSSARY: dict[str, str] = {
    # The aggregation methods' entries (by label: "Weighted sum", "TOPSIS", ...) are added
    # below from the registry's ``summary`` and ``reference``: one text per method, never two.
    "AHP": (
        "Analytic Hierarchy Process (Saaty 1980): you say how many times one pillar matters "
        "more than another (1 = equal, 9 = extremely more); the weights are the principal "
        "eigenvector of these judgements."),
    "consistency ratio": (
        "Consistency ratio (Saaty 1980): how far the pairwise judgements contradict each other "
        "(A > B, B > C but C > A). Above 0.10 the judgements should be revisited, starting "
        "with the most inconsistent one."),
    "SEAL": (
        "Sovereignty Effective Assurance Level, 0 to 4, of the EU Cloud Sovereignty Framework "
        "(European Commission, 2025): one level per sovereignty objective SOV-1..SOV-8; the "
        "overall SEAL is the lowest. A '?' means some objectives are unknown (a ceiling)."),
    "J0": (
        "J0: the date ANSSI formally opens a SecNumCloud qualification process for an offer. "
        "'In process (J0 reached)' is not 'qualified'; the hdh-2026-j0 scenario accepts it."),
    "utility": (
        "Utility: an answer turned into a score from 0 (worst) to 100 (best) by the question's "
        "scale in the tender's catalogue (data/catalogues/<id>/catalogue.yaml), before weights "
        "are applied."),
    "coverage": (
        "Coverage (answered weight): the share of the weight whose answer is known for this "
        "offer. Unknown is not 'no': the missing-answer policy decides how it counts."),
    "min coverage": (
        "Minimum coverage: an offer whose answered weight is below this share is excluded "
        "(too little is known to score it)."),
    "gate": (
        "Gate: a pass/fail rule applied before scoring (Directive 2014/24/EU art. 67; CJEU "
        "C-546/16 Montte). An offer that fails a gate is excluded whatever its score; an "
        "unknown answer does not pass a gate."),
    "missing-answer policy": (
        "What an unknown answer counts as. worst: 0 (a real tender: unanswered = not offered). "
        "exclude: left out, the offer's weights renormalised over what is known (coverage "
        "shown). uncertain: an interval from worst to best; totals are the middle and a total "
        "range and rank range are shown."),
    "worst": "Policy worst: an unknown answer scores 0 (utility of the worst answer).",
    "exclude": (
        "Policy exclude: an unknown answer is left out and the remaining weights of the offer "
        "are renormalised; coverage says how much was known."),
    "uncertain": (
        "Policy uncertain: an unknown answer is an interval (every possible answer); the total "
        "shown is the score with every unknown at the middle of its interval, and the total "
        "range spans every total the unknowns can give, under every method."),
    "clarification": (
        "Clarification request: a written question to a bidder about an unclear or missing "
        "answer (Directive 2014/24/EU art. 56(3)). The clarification list ranks unknown "
        "answers by how much they could move the ranking."),
    "total range": (
        "Total range: the lowest and highest total an offer can reach when the unknown answers "
        "take any value in their intervals (policy uncertain). Exact under the weighted sum and "
        "PROMETHEE II; under TOPSIS and VIKOR an outer bound: every reachable total lies inside, "
        "the ends may not be reached."),
    "rank range": (
        "Rank range: the best and the worst rank an offer can reach over the same intervals "
        "(policy uncertain)."),
    "SMAA": (
        "SMAA-2 (Lahdelma & Salminen 2001): weights drawn at random (seeded) many times; the "
        "rank-1 acceptability of an offer is the share of draws in which it leads."),
    "HDS": (
        "Hébergeur de Données de Santé: the French certification required to host personal "
        "health data (art. L.1111-8 Code de la santé publique); version 2 from 2024."),
    "SecNumCloud": (
        "SecNumCloud: ANSSI's qualification of cloud offers (version 3.2, 2022), including "
        "§19.6 immunity to non-EU law (EU seat, EU capital control, no non-EU third-party "
        "access)."),
    "SREN art. 31": (
        "Loi SREN n° 2024-449, article 31: sensitive public data must be hosted by a provider "
        "protected against non-EU law (read with the 'Cloud au centre' circulars)."),
    "CLOUD Act": (
        "US CLOUD Act (2018), 18 U.S.C. § 2713: a provider under US jurisdiction must disclose "
        "data in its possession, custody or control wherever the data is stored."),
    "FISA 702": (
        "FISA §702 (50 U.S.C. § 1881a): US collection against non-US persons abroad with "
        "compelled provider assistance; broadened by RISAA in April 2024."),
    "Cloud au centre": (
        "Circulars 'Cloud au centre' (2021) and 6404/SG (2023): French State doctrine requiring "
        "SecNumCloud-qualified hosting for sensitive data."),
    "price formula": (
        "How an annual cost becomes a cost score. proportional: cheapest / this cost × 100. "
        "linear: 100 at the cheapest, 0 at n times the cheapest. relevance: a relevance "
        "factor n (see docs/methods.md)."),
    "evaluation date": (
        "The date the scenario is assessed on: which laws are in force, which certificates are "
        "valid, which questions apply."),
    "content hash": (
        "SHA-256 of the scenario's canonical form and of every input file: two results with "
        "the same hash come from the same inputs (the CLI prints the same hash)."),
    "ASSUMPTION": (
        "A labelled assumption: a number nobody published (workload, migration cost, legal "
        "weighting), written down with its reasoning and shown wherever a result depends on "
        "it."),
    "unknown": "Unknown: the sources say nothing about this answer. It is not a 'no'.",
    "n/a": "Not applicable: the question lies outside its validity window on the date.",
    "product line": (
        "From another product line: the answer holds for a named scope (e.g. a qualified "
        "sub-offer), not necessarily for the whole offer."),
}


GLOSSARY.update({m.label: f"{m.label}: {m.summary} Reference: {m.reference}."
                 for m in METHODS.values()})


def helptext(*terms: str) -> str:
    """Tooltip text for one or more terms (blank lines between), for ``help=`` arguments."""
    return "\n\n".join(GLOSSARY[t] for t in terms if t in GLOSSARY)


def method_help(*names: str) -> str:
    """Tooltip of aggregation methods, from the registry (``Method.summary`` and
    ``Method.reference``: the sentence and the publication the implementation follows); every
    method when no name is given. Why from the registry: a method added there is explained in
    the picker with no edit here, and its reference cannot drift from the code's."""
    ms = [METHODS[n] for n in names] if names else list(METHODS.values())
    return "\n\n".join(f"{m.label}: {m.summary} Reference: {m.reference}." for m in ms)
