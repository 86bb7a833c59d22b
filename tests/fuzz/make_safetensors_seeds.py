#!/usr/bin/env python3
"""Writes the seeds of fuzz_safetensors and fuzz_checkpoint (tests/fixtures/fuzz-seeds/): small
safetensors files and checkpoints laid out as writeSafetensors and saveCheckpoint write them
(widest tensors first, header padded to 8 bytes, XXH3-128 checksums through the system libxxhash).
Run from the repository root: python3 tests/fuzz/make_safetensors_seeds.py"""
import ctypes
import json
import os
import shutil
import struct

SEEDS = "tests/fixtures/fuzz-seeds"
xxhash = ctypes.CDLL("libxxhash.so.0")


class Hash128(ctypes.Structure):
    _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]


xxhash.XXH3_128bits.restype = Hash128
xxhash.XXH3_128bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]


def xxh3_128(data: bytes) -> str:
    digest = xxhash.XXH3_128bits(data, len(data))
    return "%016x%016x" % (digest.high64, digest.low64)


SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def safetensors(tensors, metadata=None, checksum=False):
    """tensors: [(name, dtype, shape, bytes)] -> file bytes, as writeSafetensors lays them out."""
    tensors = sorted(tensors, key=lambda t: -SIZES[t[1]])
    header, offset, data = {}, 0, b""
    metadata = dict(metadata or {})
    if checksum:
        metadata["data_xxh3_128"] = xxh3_128(b"".join(t[3] for t in tensors))
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


def checkpoint(with_checksums):
    state = {"step": 3, "epoch": 1, "position": 2, "kind": "recommender",
             "config": {"model": {"d_model": 2, "preset": "tiny"}, "ids": {"scheme": "sequential"}},
             "extra": {"best_ndcg10": 0.25},
             "written_by": "IDGenRec Workbench 0.1.0, LibTorch 1.13.1",
             "optimizer": {"type": "AdamW",
                           "groups": [{"options": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08,
                                                   "weight_decay": 0.01, "amsgrad": False},
                                       "params": ["w"]}],
                           "state": {"w": {"scalars": {"step": 3}, "tensors": ["exp_avg", "exp_avg_sq"]}}}}
    text = json.dumps(state, separators=(",", ":"))
    metadata = {"format": "idgenrec-checkpoint", "format_version": "1", "state": text}
    if with_checksums:
        metadata["state_xxh3_128"] = xxh3_128(text.encode())
    tensors = [("param/w", "F32", [2, 2], floats(0.5, -1, 2, 0.25)),
               ("buffer/mask", "BOOL", [2], b"\x01\x00"),
               ("optim/w/exp_avg", "F32", [2, 2], floats(0.1, 0.2, 0.3, 0.4)),
               ("optim/w/exp_avg_sq", "F32", [2, 2], floats(0.01, 0.02, 0.03, 0.04)),
               ("rng/torch_cpu", "U8", [16], bytes(range(16))),
               ("rng/data", "U8", [5], b"42 7\n")]
    return safetensors(tensors, metadata, checksum=with_checksums)


def write(target, name, data):
    os.makedirs(os.path.join(SEEDS, target), exist_ok=True)
    with open(os.path.join(SEEDS, target, name), "wb") as out:
        out.write(data)


write("fuzz_checkpoint", "checkpoint.ckpt", checkpoint(True))
write("fuzz_checkpoint", "checkpoint-unverified.ckpt", checkpoint(False))
write("fuzz_safetensors", "checkpoint.safetensors", checkpoint(True))
write("fuzz_safetensors", "dtypes.safetensors", safetensors(
    [("f64", "F64", [1], struct.pack("<d", 1.5)), ("f16", "F16", [2], b"\x00\x3c\x00\xc0"),
     ("bf16", "BF16", [1, 2], b"\x80\x3f\x00\x40"), ("i64", "I64", [], struct.pack("<q", -7)),
     ("i32", "I32", [0, 3], b""), ("i16", "I16", [1], b"\x05\x00"), ("i8", "I8", [2], b"\xff\x01"),
     ("u8", "U8", [1, 1, 1], b"\x09")], {"source": "fuzz seed"}, checksum=True))
shutil.copy("tests/fixtures/hf/tiny-t5/reference.safetensors",
            os.path.join(SEEDS, "fuzz_safetensors", "hf-reference.safetensors"))
