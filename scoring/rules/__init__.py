"""The domain rules, each a pure function of an offer and a date: certifications (HDS,
SecNumCloud), legal exposure under the legal timeline, the cost of a workload, the EU Cloud
Sovereignty Framework's SEAL levels, and the eligibility gates built on them. They sit above the
readers and the catalogue and below the scenario and the engine."""
