"""Plain-text sources: the bytes of a report file decoded into text."""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

__all__ = ["decode"]


def decode(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 (BOM or NUL-pattern), GB18030/GBK.

    Returns ``(text, encoding)``. Raises :class:`InputError` for empty, binary or undecodable data.
    """
    if not data.strip():
        raise InputError("the file is empty", path=path)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    head = data[:4096]
    if head.count(0) > len(head) // 4:
        # UTF-16 without a BOM puts a NUL in every other byte of ASCII text
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 8:
            return _strict(data, "utf-16-le", path), "utf-16-le"
        if even > len(head) // 4 and odd < even // 8:
            return _strict(data, "utf-16-be", path), "utf-16-be"
        raise InputError("this looks like a binary file, not report text (NUL bytes)", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # control bytes are valid UTF-8, so a binary blob can decode without error
        if _control_share(text) > 0.05:
            raise InputError("this looks like a binary file, not report text (control bytes)", path=path)
        return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise InputError(
            f"cannot decode as UTF-8, UTF-16 or GB18030 (bad byte at offset {e.start})", path=path
        ) from None
    if _control_share(text) > 0.05:
        raise InputError("this looks like a binary file, not report text (control bytes)", path=path)
    return text, "gb18030"


def _strict(data: bytes, encoding: str, path: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"invalid {encoding} at byte offset {e.start}", path=path) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_share(text: str) -> float:
    sample = text[:4096]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))
