"""The pipeline version: changes whenever extraction code, gazetteer or model change, so
reprocessing knows which stored records an upgrade may alter."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .nlp.model import model_version

PIPELINE_DIR = Path(__file__).parent
SOURCES_DIR = PIPELINE_DIR.parent / "sources"


@functools.lru_cache(maxsize=1)
def pipeline_version() -> str:
    digest = hashlib.sha256(model_version().encode())
    files = sorted([*PIPELINE_DIR.glob("*.py"), *PIPELINE_DIR.glob("nlp/*.py"),
                    *PIPELINE_DIR.glob("nlp/patterns/*.json*"), *SOURCES_DIR.glob("*.py")])
    for path in files:
        if path.name != "flows.py":  # orchestration does not change what is extracted
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
