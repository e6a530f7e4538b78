"""Indicators for directors, networks and authorities, and the « sas » where an export waits for
the director's and the DPO's approval before it may leave.

- :mod:`model`: what an indicator is (:class:`Indicator`), its allowed dimensions (never a worker,
  never a person), periods (``2026-T3``, ``2026-07``, ``2026``).
- :mod:`suppression`: small cells hidden, and a second one beside each so that totals do not give
  them back (secondary suppression).
- :mod:`service`: the monthly aggregates (computed once per month and structure, refreshed on
  demand), the tables of a period, the network's median.
- :mod:`sas`: prepare, review, approve twice (director and DPO), download; every step audited.
- :mod:`formats` and :mod:`fhir`: CSV, JSON, and a FHIR Bundle shaped after the ANS TDDUI guide.
- :mod:`charts`: SVG drawn on the server by matplotlib (no JavaScript, printable).
"""
