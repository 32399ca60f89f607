"""Bytes -> str for text files: BOMs, UTF-8, UTF-16 without BOM, cp1252; refuse binary data."""
from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from briefex.models import IngestError

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
MAX_CONTROL_SHARE = 0.01  # share of characters; PDF-extracted text has a few stray ones at most


def _utf16_without_bom(data: bytes) -> str | None:
    """ASCII-heavy UTF-16 has a NUL in every other byte; name the byte order from which half."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Return (text, encoding name) or raise IngestError naming why the bytes are not text."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _utf16_without_bom(data)
    if encoding is None and b"\x00" in data:
        raise IngestError(path, "E106", reason=f"NUL byte at offset {data.index(0)}")
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    text = None
    for candidate in candidates:
        try:
            text, encoding = data.decode(candidate), candidate
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise IngestError(path, "E106", reason="no text encoding fits its bytes")
        text, encoding = str(best), best.encoding
    controls = sum(1 for c in text if ord(c) < 32 and c not in _ALLOWED_CONTROLS)
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        raise IngestError(path, "E106", reason=f"{controls} control characters in {len(text)}")
    return text, encoding
