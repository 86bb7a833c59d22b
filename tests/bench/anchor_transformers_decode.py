#!/usr/bin/env python3
"""The outside anchor for `idgenrec bench decode`: the published decoding pipeline itself.

IDGenRec's published evaluation calls transformers' `generate` one user at a time, with a
`prefix_allowed_tokens_fn` that walks a nested-dict trie of item IDs from the root for every beam
at every step. This script does exactly that on the model and catalog that

    idgenrec bench decode --device cuda --fp32 --export DIR --json

wrote (DIR/model: the same weights as a Hugging Face T5 folder; DIR/catalog.json: item token ids,
prompts, and idgenrec's batched rankings and users/s), on the same machine, and prints one JSON line:

    {"transformers_users_per_s": ..., "idgenrec_batched_users_per_s": ..., "ratio": ...,
     "agreement": ..., "users": ..., "device": ..., "transformers": ...}

ratio = idgenrec batched users/s / transformers users/s; agreement = share of users whose ranked
items equal idgenrec's (compare in float32: --fp32 above and no --bf16 here).

Needs torch and transformers (the GPU host has both); runs on a CPU too, slowly.
Usage: python3 tests/bench/anchor_transformers_decode.py DIR [--users 100] [--device cuda] [--bf16]
"""
import argparse
import contextlib
import json
import sys
import time

import torch
import transformers
from transformers import T5ForConditionalGeneration


def build_trie(ids, eos):
    """Nested dicts token -> child, as the published code's Trie; leaves map a full ID to its item."""
    root = {}
    items = {}
    for item, tokens in enumerate(ids):
        node = root
        path = tuple(tokens) + (eos,)
        for token in path:
            node = node.setdefault(token, {})
        items[path] = item
    return root, items


def allowed_tokens(root, prefix, eos):
    """Walks the trie from the root over the generated prefix, every call (the published approach)."""
    node = root
    for token in prefix:
        node = node.get(token)
        if node is None:
            # A beam that left the catalog (only -inf beams can): let it end.
            return [eos]
    return list(node.keys()) or [eos]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the folder idgenrec bench decode --export wrote")
    parser.add_argument("--users", type=int, default=100, help="users to decode, one per call")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--bf16", action="store_true", help="run under bf16 autocast (CUDA)")
    args = parser.parse_args()

    with open(f"{args.folder}/catalog.json") as f:
        catalog = json.load(f)
    eos, pad = catalog["eos"], catalog["pad"]
    beams = catalog["options"]["beams"]
    root, items = build_trie(catalog["ids"], eos)
    max_tokens = max(len(t) for t in catalog["ids"]) + 1
    prompts = catalog["prompts"][: args.users]
    if len(prompts) < args.users:
        sys.exit(f"catalog.json holds {len(prompts)} prompts; export with --users >= {args.users}")

    device = torch.device(args.device)
    model = T5ForConditionalGeneration.from_pretrained(f"{args.folder}/model").to(device).eval()

    def prefix_allowed_tokens_fn(batch_id, sent):
        # sent starts with the decoder start token.
        return allowed_tokens(root, sent.tolist()[1:], eos)

    def decode(prompt):
        input_ids = torch.tensor([prompt], dtype=torch.long, device=device)
        # torch 1.13 checks bf16 support when the autocast context is built, even disabled, which
        # fails on a CPU-only build: build it only when it is used.
        use_bf16 = args.bf16 and device.type == "cuda"
        autocast = torch.autocast("cuda", dtype=torch.bfloat16) if use_bf16 else contextlib.nullcontext()
        with torch.no_grad(), autocast:
            out = model.generate(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                max_new_tokens=max_tokens,
                num_beams=beams,
                num_return_sequences=beams,
                prefix_allowed_tokens_fn=prefix_allowed_tokens_fn,
                output_scores=True,
                return_dict_in_generate=True,
                do_sample=False,
                pad_token_id=pad,
                eos_token_id=eos,
            )
        ranked = []
        for sequence, score in zip(out.sequences.tolist(), out.sequences_scores.tolist()):
            tokens = sequence[1:]
            if eos in tokens:
                tokens = tokens[: tokens.index(eos) + 1]
            item = items.get(tuple(tokens))
            if item is not None and score > float("-inf"):
                ranked.append(item)
        return ranked

    for prompt in prompts[:3]:  # warm-up: kernels, allocator
        decode(prompt)
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    rankings = [decode(prompt) for prompt in prompts]
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start

    reference = catalog["rankings"][: len(rankings)]
    agreement = sum(a == b for a, b in zip(rankings, reference)) / len(rankings)
    users_per_s = len(rankings) / seconds
    print(json.dumps({
        "transformers_users_per_s": users_per_s,
        "idgenrec_batched_users_per_s": catalog["batched_users_per_s"],
        "ratio": catalog["batched_users_per_s"] / users_per_s,
        "agreement": agreement,
        "users": len(rankings),
        "beams": beams,
        "device": str(device),
        "bf16": args.bf16,
        "idgenrec_options": catalog["options"],
        "transformers": transformers.__version__,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
