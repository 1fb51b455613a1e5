"""Artifacts for questions/safetensors-and-hub.yaml (safe formats and the model hub).

Every artifact is produced by writing small, harmless tensors with safetensors.numpy into a
temporary directory and reading the bytes back, or by feeding the safetensors loader
deliberately malformed bytes and recording its real error message. No torch, no network,
nothing written outside a temporary directory. Data is fixed, so output is deterministic.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import tempfile

import numpy as np
from safetensors.numpy import load, save_file

# --------------------------------------------------------------------------- helpers


def _save(tensors: dict[str, np.ndarray], metadata: dict[str, str] | None = None) -> bytes:
    """Write tensors with safetensors.numpy.save_file in a temp dir; return the file bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.safetensors")
        save_file(tensors, path, metadata=metadata)
        with open(path, "rb") as handle:
            return handle.read()


def _split(blob: bytes) -> tuple[int, bytes, bytes]:
    """Return (header length N, header bytes, byte buffer)."""
    (n,) = struct.unpack("<Q", blob[:8])
    return n, blob[8 : 8 + n], blob[8 + n :]


def _hexdump(blob: bytes, length: int) -> str:
    """`xxd -g 1`-style dump of the first `length` bytes."""
    lines = []
    for off in range(0, min(length, len(blob)), 16):
        chunk = blob[off : off + 16]
        hexpart = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{off:08x}: {hexpart:<47}  {text}")
    return "\n".join(lines)


def _pretty_header(header: bytes) -> str:
    """Header JSON with one entry per line, keeping the order stored in the file."""
    parsed = json.loads(header)
    rows = [f"  {json.dumps(k)}: {json.dumps(v, separators=(', ', ': '))}" for k, v in parsed.items()]
    return "{\n" + ",\n".join(rows) + "\n}"


def _try_load(blob: bytes) -> str:
    """Run the real safetensors loader on bytes and describe the outcome."""
    try:
        tensors = load(blob)
    except Exception as exc:  # the library raises SafetensorError
        return f"{type(exc).__name__}: {exc}"
    names = ", ".join(sorted(tensors))
    return f"loaded OK: {names}"


def _small_classifier() -> dict[str, np.ndarray]:
    return {
        "classifier.bias": np.zeros(2, dtype=np.float32),
        "classifier.weight": np.arange(16, dtype=np.float32).reshape(2, 8),
        "embed.weight": np.ones((4, 8), dtype=np.float16),
    }


# --------------------------------------------------------------------------- artifacts


def length_prefix_hexdump() -> str:
    blob = _save({"w": np.arange(4, dtype=np.float32)}, metadata={"format": "pt"})
    return (
        "$ xxd -g 1 -l 80 model.safetensors\n"
        + _hexdump(blob, 80)
        + f"\n$ stat -c %s model.safetensors\n{len(blob)}"
    )


def header_offsets() -> str:
    blob = _save(_small_classifier(), metadata={"format": "pt"})
    n, header, _buffer = _split(blob)
    return (
        f"file size: {len(blob)} bytes\n"
        f"first 8 bytes (u64, little-endian) N = {n}\n"
        "header JSON:\n" + _pretty_header(header)
    )


def metadata_nonstring() -> str:
    good = _save({"w": np.arange(4, dtype=np.float32)})
    _n, _header, buffer = _split(good)
    header = json.dumps(
        {
            "__metadata__": {"format": "pt", "epoch": 3},
            "w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
        },
        separators=(",", ":"),
    ).encode()
    crafted = struct.pack("<Q", len(header)) + header + buffer
    return (
        "header written by export_tool.py:\n"
        + header.decode()
        + "\n\n>>> safetensors.numpy.load(open('checkpoint.safetensors', 'rb').read())\n"
        + _try_load(crafted)
    )


def appended_bytes() -> str:
    blob = _save({"w": np.arange(4, dtype=np.float32)})
    extra = b"PK\x03\x04 appended archive bytes"
    tampered = blob + extra
    return (
        f"original.safetensors  size={len(blob)} -> {_try_load(blob)}\n"
        f"suspect.safetensors   size={len(tampered)} -> {_try_load(tampered)}\n"
        f"suspect.safetensors tail bytes: {extra!r}"
    )


def header_too_large() -> str:
    blob = _save({"w": np.arange(4, dtype=np.float32)})
    _n, header, buffer = _split(blob)
    claimed = 250_000_000
    crafted = struct.pack("<Q", claimed) + header + buffer
    return (
        f"first 8 bytes: {crafted[:8].hex(' ')}  (u64 little-endian = {claimed})\n"
        f"actual file size: {len(crafted)} bytes\n"
        ">>> safetensors.numpy.load(data)\n" + _try_load(crafted)
    )


def metadata_code_string() -> str:
    blob = _save(
        {"lm_head.weight": np.zeros((2, 4), dtype=np.float16)},
        # a single metadata key: the Rust writer does not fix the order of several keys
        metadata={"postprocess": "__import__('os').system('echo hello')"},
    )
    n, header, _buffer = _split(blob)
    return f"N = {n}\n" + _pretty_header(header)


def overlapping_offsets() -> str:
    header = json.dumps(
        {
            "head.weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
            "tail.weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [8, 24]},
        },
        separators=(",", ":"),
    ).encode()
    crafted = struct.pack("<Q", len(header)) + header + bytes(24)
    return (
        "header of crafted.safetensors:\n"
        + _pretty_header(header)
        + f"\nbyte buffer length: {len(crafted) - 8 - len(header)}\n"
        + ">>> safetensors.numpy.load(data)\n"
        + _try_load(crafted)
    )


def duplicate_keys() -> str:
    header = (
        b'{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},'
        b'"w":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}'
    )
    crafted = struct.pack("<Q", len(header)) + header + bytes(32)
    python_view = json.loads(header)
    return (
        "raw header of dup.safetensors:\n"
        + header.decode()
        + "\n\n>>> json.loads(header)            # Python's json module\n"
        + repr(python_view)
        + "\n>>> safetensors.numpy.load(data)  # the Rust reference parser\n"
        + _try_load(crafted)
    )


def metadata_origin_claims() -> str:
    # Header built by hand in a fixed order (the Rust writer does not fix the order of several
    # metadata keys), then checked with the real loader so the file is a valid safetensors file.
    header = json.dumps(
        {
            "__metadata__": {
                "format": "pt",
                "producer": "BigLab Research",
                "license": "apache-2.0",
                "training_data": "curated-web-2024 (deduplicated, PII-filtered)",
            },
            "classifier.weight": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, 32]},
        },
        separators=(",", ":"),
    ).encode()
    header += b" " * (-(8 + len(header)) % 8)
    blob = struct.pack("<Q", len(header)) + header + np.zeros(8, dtype=np.float32).tobytes()
    return (
        f"N = {len(header)}\n"
        + _pretty_header(header)
        + "\n>>> safetensors.numpy.load(data)\n"
        + _try_load(blob)
    )


# --------------------------------------------------------------------------- "find the line"
# (hotspot) artifacts for questions/find-the-line-formats.yaml: headers written by hand in a
# fixed key order, byte buffers of zeros, then handed to the real loader.


def _crafted(entries: dict, buffer_len: int) -> tuple[bytes, bytes]:
    header = json.dumps(entries, separators=(",", ":")).encode()
    return header, struct.pack("<Q", len(header)) + header + bytes(buffer_len)


def size_mismatch() -> str:
    header, blob = _crafted(
        {
            "__metadata__": {"format": "pt"},
            "classifier.bias": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
            "classifier.weight": {"dtype": "F32", "shape": [2, 8], "data_offsets": [8, 72]},
            "embed.weight": {"dtype": "F32", "shape": [4, 8], "data_offsets": [72, 136]},
            "norm.weight": {"dtype": "F16", "shape": [8], "data_offsets": [136, 152]},
        },
        152,
    )
    return (
        "header of export.safetensors:\n"
        + _pretty_header(header)
        + f"\nbyte buffer length: {len(blob) - 8 - len(header)}\n"
        + ">>> safetensors.numpy.load(data)\n"
        + _try_load(blob)
    )


# Keys in name order, as some writers store them; the offsets leave bytes 32..40 unindexed.
_HOLE_ENTRIES = {
    "decoder.bias": {"dtype": "F32", "shape": [4], "data_offsets": [40, 56]},
    "decoder.weight": {"dtype": "F32", "shape": [2, 4], "data_offsets": [56, 88]},
    "encoder.bias": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]},
    "encoder.weight": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
}


def buffer_hole() -> str:
    header, blob = _crafted(_HOLE_ENTRIES, 88)
    return (
        "header of merged.safetensors:\n"
        + _pretty_header(header)
        + f"\nbyte buffer length: {len(blob) - 8 - len(header)}"
    )


def buffer_hole_loader() -> str:
    """Not registered: the real loader's verdict on buffer_hole(), quoted in the explanation."""
    return _try_load(_crafted(_HOLE_ENTRIES, 88)[1])


def renamed_torch_archive() -> str:
    """A torch.save-style zip (model/data.pkl holding a pickled OrderedDict of plain floats)
    saved under a .safetensors name, dumped and handed to the real safetensors loader."""
    import collections
    import io
    import pickle
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        stamp = (2026, 11, 30, 10, 2, 0)
        archive.writestr(zipfile.ZipInfo("model/data.pkl", stamp),
                         pickle.dumps(collections.OrderedDict(bias=0.25), protocol=2))
        archive.writestr(zipfile.ZipInfo("model/version", stamp), "3\n")
    blob = buffer.getvalue()
    with tempfile.TemporaryDirectory() as tmp:  # the real xxd, on the bytes written to a file
        with open(os.path.join(tmp, "model.safetensors"), "wb") as handle:
            handle.write(blob)
        dump = subprocess.run(["xxd", "-g", "1", "-l", "64", "model.safetensors"], cwd=tmp,
                              check=True, stdout=subprocess.PIPE, text=True).stdout
    return (
        "$ xxd -g 1 -l 64 model.safetensors\n"
        + dump.rstrip("\n")
        + "\n>>> safetensors.numpy.load(open('model.safetensors', 'rb').read())\n"
        + _try_load(blob)
    )


ARTIFACTS = {
    "model-provenance-metadata-origin-claims": metadata_origin_claims,
    "serialization-safetensors-overlapping-offsets": overlapping_offsets,
    "ml-library-vulns-safetensors-duplicate-keys": duplicate_keys,
    "serialization-safetensors-length-prefix-hexdump": length_prefix_hexdump,
    "serialization-safetensors-absolute-tensor-offset": header_offsets,
    "serialization-safetensors-metadata-string-values": metadata_nonstring,
    "serialization-safetensors-appended-bytes-rejected": appended_bytes,
    "serialization-safetensors-header-size-limit": header_too_large,
    "serialization-safetensors-metadata-code-string": metadata_code_string,
    "serialization-hotspot-safetensors-size-mismatch": size_mismatch,
    "serialization-hotspot-safetensors-buffer-hole": buffer_hole,
    "serialization-hotspot-safetensors-renamed-archive": renamed_torch_archive,
}
