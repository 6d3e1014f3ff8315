"""Scoring and review by the official rules (``shared/spec/rules.md``).

* :mod:`jixiao.rules.profile`: the named settings behind every [R-M] / [I] choice (``national`` by default).
* :mod:`jixiao.rules.scoring`: execution rate (R3), row scores (R5–R8), caps and rounding (R9), total and grade
  (R11); :func:`rescore`.
* :mod:`jixiao.rules.checks`: one module per check code (C-SE-*, C-TD-*, C-ER-*, C-VAL-*), registered through
  :mod:`jixiao.rules.registry`.
* :func:`check_documents`: run the selected checks; a crashing check becomes a ``CHECK-CRASH`` finding.
"""

from __future__ import annotations

from jixiao.rules.engine import CRASH_CODE, check_document, check_documents
from jixiao.rules.profile import PROFILES, Profile, ProfileError, load_profile, settings
from jixiao.rules.registry import Registry, RegistryError, default_registry
from jixiao.rules.scoring import DocumentScore, RowScore, rescore, score_document, score_row

__all__ = [
    "CRASH_CODE",
    "PROFILES",
    "DocumentScore",
    "Profile",
    "ProfileError",
    "Registry",
    "RegistryError",
    "RowScore",
    "check_document",
    "check_documents",
    "default_registry",
    "load_profile",
    "rescore",
    "score_document",
    "score_row",
    "settings",
]
