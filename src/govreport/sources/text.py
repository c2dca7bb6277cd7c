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
    if head.count(0):
        found = _utf16_without_bom(data, head, path)
        if found is not None:
            return found
        if head.count(0) > len(head) // 4:
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


def _utf16_without_bom(data: bytes, head: bytes, path: str | None) -> tuple[str, str] | None:
    """UTF-16 told by where its zero bytes fall, or ``None`` when the bytes do not read as UTF-16.

    Every character below U+0100 (digits, newlines, spaces) has a zero high byte: at odd offsets in
    UTF-16-LE, even ones in -BE. Chinese text has fewer of them than ASCII text, so a share of zeros
    on one side alone is not enough: the decoded text must also read as text (few control
    characters, and CJK or mostly ASCII).
    """
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # a CJK character with a low byte of 0 (U+4E00 一) puts a few zeros on the other side too
    if odd >= 4 and even * 3 < odd * 2:
        encoding = "utf-16-le"
    elif even >= 4 and odd * 3 < even * 2:
        encoding = "utf-16-be"
    else:
        return None
    ascii_like = max(even, odd) > len(head) // 4  # a NUL in every other byte: only UTF-16 does that
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        if ascii_like:
            raise InputError(f"invalid {encoding} at byte offset {e.start}", path=path) from None
        return None
    if ascii_like or (_control_share(text) <= 0.05 and _cjk_share(text) >= 0.2):
        return text, encoding
    return None


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _cjk_share(text: str) -> float:
    sample = "".join(text[:4096].split())
    return len(_CJK.findall(sample)) / max(1, len(sample))


def _strict(data: bytes, encoding: str, path: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"invalid {encoding} at byte offset {e.start}", path=path) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_share(text: str) -> float:
    sample = text[:4096]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))
