"""Scoring and review by the official rules (``shared/spec/rules.md``).

* :mod:`jixiao.rules.profile`: the named settings behind every [R-M] / [I] choice (``national`` by default).
* :mod:`jixiao.rules.scoring`: execution rate (R3), row scores (R5–R8), caps and rounding (R9), total and grade
  (R11); :func:`rescore`.
* :mod:`jixiao.rules.checks`: one module per check code (C-SE-*, C-TD-*, C-ER-*, C-VAL-*), registered through
  :mod:`jixiao.rules.registry`.
* :func:`check_documents`: run the selected checks; a crashing check becomes a ``CHECK-CRASH`` finding.
  :func:`assess` gives what a document establishes (rules/trust.py) as the checks see it; :func:`clear_caches`
  forgets what the process remembers between runs.
* :mod:`jixiao.rules.waivers`: accepted findings recorded in a TOML file (:func:`load_waivers`,
  :func:`apply_waivers`, :func:`draft_waivers`); unused and expired waivers are reported.
"""

from __future__ import annotations

from jixiao.rules.engine import CRASH_CODE, check_document, check_documents, clear_caches
from jixiao.rules.profile import PROFILES, Profile, ProfileError, load_profile, settings
from jixiao.rules.registry import Registry, RegistryError, default_registry
from jixiao.rules.scoring import DocumentScore, RowScore, rescore, score_document, score_row
from jixiao.rules.trust import assess
from jixiao.rules.waivers import (
    WAIVER_FILE,
    Waived,
    Waiver,
    WaiverError,
    apply_waivers,
    draft_waivers,
    load_waivers,
)

__all__ = [
    "CRASH_CODE",
    "PROFILES",
    "WAIVER_FILE",
    "DocumentScore",
    "Profile",
    "ProfileError",
    "Registry",
    "RegistryError",
    "RowScore",
    "Waived",
    "Waiver",
    "WaiverError",
    "apply_waivers",
    "assess",
    "check_document",
    "check_documents",
    "clear_caches",
    "default_registry",
    "draft_waivers",
    "load_profile",
    "load_waivers",
    "rescore",
    "score_document",
    "score_row",
    "settings",
]
