"""Artifacts for questions/serialization.yaml: real `pickletools.dis` listings and digests.

Every payload here is harmless: the callables are `print`, `str.upper` via `getattr`,
`pip.main(["--version"])` or `exec`/`runpy` of a string that only prints. Nothing is ever
unpickled by this script; pickles are built with `pickle.dumps` or assembled opcode by opcode and
then only disassembled (which runs no code) or hashed. Output is deterministic.
"""

from __future__ import annotations

import collections
import hashlib
import io
import pickle
import pickletools
import struct
import types


class _PrintHello:
    """Its `__reduce__` tells the unpickler to call print("hello")."""

    def __reduce__(self):
        return (print, ("hello",))


def _dis(data: bytes) -> str:
    """Disassemble without executing; keep pickletools' own error line if the stream is broken."""
    out = io.StringIO()
    try:
        pickletools.dis(data, out=out)
    except Exception as exc:  # noqa: BLE001 - the error text is part of the evidence
        out.write(f"{type(exc).__name__}: {exc}\n")
    return out.getvalue()


def _unicode(text: str) -> bytes:
    """BINUNICODE opcode: 'X' + 4-byte little-endian length + UTF-8 bytes."""
    raw = text.encode("utf-8")
    return b"X" + struct.pack("<I", len(raw)) + raw


def _float(value: float) -> bytes:
    """BINFLOAT opcode: 'G' + 8-byte big-endian double."""
    return b"G" + struct.pack(">d", value)


def _int1(value: int) -> bytes:
    """BININT1 opcode."""
    return b"K" + bytes([value])


def _tensor(storage_key: str, numel: int) -> bytes:
    """A PyTorch-style tensor record: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())."""
    return (
        b"ctorch._utils\n_rebuild_tensor_v2\n"
        + b"("  # MARK for the argument tuple
        + b"("  # MARK for the persistent id tuple
        + _unicode("storage")
        + b"ctorch\nFloatStorage\n"
        + _unicode(storage_key)
        + _unicode("cpu")
        + _int1(numel)
        + b"t"  # TUPLE -> persistent id
        + b"Q"  # BINPERSID
        + _int1(0)  # storage offset
        + _int1(numel)
        + b"\x85"  # TUPLE1 -> size
        + _int1(1)
        + b"\x85"  # TUPLE1 -> stride
        + b"\x89"  # NEWFALSE -> requires_grad
        + b"ccollections\nOrderedDict\n)R"  # backward hooks
        + b"t"  # TUPLE -> arguments
        + b"R"  # REDUCE
    )


def _state_dict_body() -> bytes:
    """OrderedDict(fc.weight=tensor, fc.bias=tensor), the shape of a PyTorch data.pkl state dict."""
    return (
        b"ccollections\nOrderedDict\n)R"
        + b"("
        + _unicode("fc.weight")
        + _tensor("0", 4)
        + _unicode("fc.bias")
        + _tensor("1", 2)
        + b"u"  # SETITEMS
        + b"."
    )


def reduce_call_proto0() -> str:
    return _dis(pickle.dumps(_PrintHello(), protocol=0))


def stack_global_proto4() -> str:
    return _dis(pickle.dumps(_PrintHello(), protocol=4))


def inst_call() -> str:
    # MARK, argument 'hello', then INST: import builtins.print and call it with the marked arguments.
    return _dis(b"(Vhello\nibuiltins\nprint\n.")


def obj_call() -> str:
    # MARK, GLOBAL builtins.print, argument 'hello', then OBJ: call the first item with the rest.
    return _dis(b"(cbuiltins\nprint\nVhello\no.")


def ordered_dict_benign() -> str:
    return _dis(pickle.dumps(collections.OrderedDict([("bias", 0.25), ("scale", 2.0)]), protocol=4))


def build_state() -> str:
    return _dis(pickle.dumps(types.SimpleNamespace(threshold=0.5, label="cat"), protocol=4))


def exec_prefix() -> str:
    # The same shape as the exec-injection demo in Hugging Face's pickle-scanning page:
    # exec(<string>) first, then an ordinary pickled value that the victim actually wanted.
    data = b"c__builtin__\nexec\n(Vprint('hello')\ntR" + pickle.dumps("quarterly figures", protocol=4)
    return _dis(data)


def broken_stream() -> str:
    # A payload at the start of the stream, then bytes that are not valid opcodes.
    good = pickle.dumps(_PrintHello(), protocol=2)
    return _dis(good[:-1] + b"\xff\xfe not a pickle any more")


def getattr_gadget() -> str:
    # getattr('hello', 'upper')() -> 'HELLO': the attribute name is data, not an import.
    data = (
        b"\x80\x02c__builtin__\ngetattr\n"
        + _unicode("hello")
        + _unicode("upper")
        + b"\x86R)R."
    )
    return _dis(data)


def torch_like_state_dict() -> str:
    return _dis(b"\x80\x02" + _state_dict_body())


def torch_like_with_runpy() -> str:
    payload = b"crunpy\n_run_code\n" + _unicode("print('hello')") + b"}\x86R0"
    return _dis(b"\x80\x02" + payload + _state_dict_body())


def pip_main_global() -> str:
    data = b"\x80\x02cpip\nmain\n]" + _unicode("--version") + b"a\x85R."
    return _dis(data)


def protocol_names() -> str:
    parts = []
    for proto in (2, 4):
        parts.append(f"# pickle.dumps(payload, protocol={proto}) | pickletools.dis")
        parts.append(_dis(pickle.dumps(_PrintHello(), protocol=proto)).rstrip("\n"))
    return "\n".join(parts) + "\n"


def newobj_build() -> str:
    data = (
        b"\x80\x02cmylib.models\nTinyClassifier\n"
        + b")\x81"  # EMPTY_TUPLE, NEWOBJ
        + b"}("  # EMPTY_DICT, MARK
        + _unicode("bias")
        + _float(0.25)
        + _unicode("threshold")
        + _float(0.5)
        + b"ub."  # SETITEMS, BUILD, STOP
    )
    return _dis(data)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_mismatch() -> str:
    published = pickle.dumps(collections.OrderedDict([("bias", 0.25), ("scale", 2.0)]), protocol=4)
    received = b"c__builtin__\nexec\n(Vprint('hello')\ntR" + published
    return (
        "$ grep classifier.pkl RELEASE_DIGESTS.txt\n"
        f"classifier.pkl  size={len(published)}  sha256={_sha256(published)}\n"
        "$ sha256sum downloads/classifier.pkl\n"
        f"{_sha256(received)}  downloads/classifier.pkl\n"
        "$ stat -c '%s bytes  %n' downloads/classifier.pkl\n"
        f"{len(received)} bytes  downloads/classifier.pkl\n"
    )


def digest_match() -> str:
    published = b"\x80\x02" + b"c__builtin__\nexec\n(Vprint('hello')\ntR0" + _state_dict_body()
    digest = _sha256(published)
    return (
        "$ sha256sum m/pytorch_model.bin\n"
        f"{digest}  m/pytorch_model.bin\n"
        "$ grep sha256 m/README.md\n"
        f"pytorch_model.bin sha256: {digest}\n"
    )


# --- "find the line" (hotspot) artifacts, questions/find-the-line-formats.yaml ---------------

class _EvalHello:
    """Its `__reduce__` tells the unpickler to call eval("print('hello from a pickle')")."""

    def __reduce__(self):
        return (eval, ("print('hello from a pickle')",))


class _SayHello:
    def __reduce__(self):
        return (print, ("hello",))


class _SayBye:
    def __reduce__(self):
        return (print, ("bye",))


def _short(text: str) -> bytes:
    """SHORT_BINUNICODE opcode (protocol 4): 0x8c + 1-byte length + UTF-8 bytes."""
    raw = text.encode("utf-8")
    return b"\x8c" + bytes([len(raw)]) + raw


def _tensor_hooks(storage_key: str, numel: int, hooks: bytes) -> bytes:
    """Like _tensor, but with `hooks` as the backward-hooks argument instead of OrderedDict()."""
    return (
        b"ctorch._utils\n_rebuild_tensor_v2\n"
        + b"(("
        + _unicode("storage")
        + b"ctorch\nFloatStorage\n"
        + _unicode(storage_key)
        + _unicode("cpu")
        + _int1(numel)
        + b"tQ"  # TUPLE -> persistent id, BINPERSID
        + _int1(0)
        + _int1(numel)
        + b"\x85"
        + _int1(1)
        + b"\x85"
        + b"\x89"
        + hooks
        + b"tR"
    )


def eval_global_proto2() -> str:
    return _dis(pickle.dumps(_EvalHello(), protocol=2))


def decode_then_exec() -> str:
    # exec(codecs.decode("cevag('uryyb')", "rot13")): the code only appears ROT13-encoded.
    data = (
        b"\x80\x02c__builtin__\nexec\n"
        + b"ccodecs\ndecode\n"
        + _unicode("cevag('uryyb')")
        + _unicode("rot13")
        + b"\x86R"  # TUPLE2, REDUCE
        + b"\x85R"  # TUPLE1, REDUCE
        + b"."
    )
    return _dis(data)


def memo_callable_twice() -> str:
    # The pickler memoizes builtins.print the first time and fetches it with BINGET the second.
    return _dis(pickle.dumps([_SayHello(), _SayBye()], protocol=2))


def memo_names_stack_global() -> str:
    # A "vocabulary" list whose entries are memoized, then two of them fetched back with BINGET
    # to feed STACK_GLOBAL: no string opcode sits next to the import.
    data = (
        b"\x80\x04]\x94("
        + _short("<pad>") + b"\x94"
        + _short("builtins") + b"\x94"
        + _short("exec") + b"\x94"
        + _short("cat") + b"\x94"
        + b"e"  # APPENDS
        + b"h\x02h\x03\x93"  # BINGET 2, BINGET 3, STACK_GLOBAL
        + _short("print('hello')") + b"\x94"
        + b"\x85R0"  # TUPLE1, REDUCE, POP
        + b"."
    )
    return _dis(data)


def _one_tensor_state_dict(hooks: bytes) -> bytes:
    return (
        b"\x80\x02ccollections\nOrderedDict\n)R("
        + _unicode("fc.weight")
        + _tensor_hooks("0", 4, hooks)
        + b"u."
    )


def state_dict_hooks_exec() -> str:
    hooks = b"c__builtin__\nexec\n" + _unicode("print('hello')") + b"\x85R"
    return _dis(_one_tensor_state_dict(hooks))


def state_dict_one_tensor() -> str:
    return _dis(_one_tensor_state_dict(b"ccollections\nOrderedDict\n)R"))


ARTIFACTS = {
    "serialization-reduce-call-proto0": reduce_call_proto0,
    "serialization-stack-global-operands": stack_global_proto4,
    "serialization-inst-without-reduce": inst_call,
    "serialization-obj-opcode-roles": obj_call,
    "serialization-reduce-benign-ordereddict": ordered_dict_benign,
    "serialization-build-opcode-state": build_state,
    "serialization-exec-prefix-hidden-payload": exec_prefix,
    "serialization-nullifai-broken-stream": broken_stream,
    "serialization-getattr-deny-list": getattr_gadget,
    "serialization-safe-imports-not-safe-weights": torch_like_state_dict,
    "serialization-runpy-global-flagged": torch_like_with_runpy,
    "serialization-picklescan-pip-bypass": pip_main_global,
    "serialization-protocol-builtin-names": protocol_names,
    "serialization-newobj-what-runs": newobj_build,
    "model-provenance-pickle-digest-mismatch": digest_mismatch,
    "model-provenance-pickle-digest-match": digest_match,
    "serialization-hotspot-global-eval-import": eval_global_proto2,
    "serialization-hotspot-decode-then-exec": decode_then_exec,
    "serialization-hotspot-memoized-callable-twice": memo_callable_twice,
    "serialization-hotspot-stack-global-from-memo": memo_names_stack_global,
    "serialization-hotspot-state-dict-hook-exec": state_dict_hooks_exec,
    "serialization-hotspot-persid-storage-record": state_dict_one_tensor,
}
