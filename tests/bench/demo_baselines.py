#!/usr/bin/env python3
"""The figures of datasets/demo.md: how much of each demo version a simple model can learn.

Creates both demo versions in a scratch project with the idgenrec CLI, exports their sequences
(`idgenrec export sequences`), reads the item titles from the project file, and prints, per
version, a Markdown table row:

  - HR@10 on the leave-one-out test split (method.md section 3: predict items[-1] from
    items[:-1], full ranking over all items) of
      popularity: items ranked by their count in every user's training part items[:-2];
      Markov:     successor counts of the last history item, counted inside items[:-2];
                  ties and the rest of the list by popularity;
    (ties in popularity go to the item first seen earlier);
  - the share of consecutive pairs whose title IDs (the first 5 normalised title words, as
    `ids assign --scheme title` makes them) share a word.

Usage: python3 tests/bench/demo_baselines.py [--cli build/bin/idgenrec]
Standard library only.
"""
import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path


def title_id_words(title, words=5):
    # idgenrec's normalisation (core/ids/IdText.cpp): ASCII letters and digits (and bytes >= 0x80)
    # are word characters, everything else separates; lower case.
    return set(re.findall(r"[a-z0-9\x80-\U0010ffff]+", title.lower())[:words])


def measure(sequences, titles, k=10):
    order = {}  # first appearance, as the importer numbers items
    for items in sequences:
        for item in items:
            order.setdefault(item, len(order))
    popularity = Counter()
    successors = defaultdict(Counter)
    for items in sequences:
        train = items[:-2]
        popularity.update(train)
        for a, b in zip(train, train[1:]):
            successors[a][b] += 1
    by_popularity = sorted(order, key=lambda item: (-popularity[item], order[item]))
    rank = {item: r for r, item in enumerate(by_popularity)}
    top_popular = set(by_popularity[:k])

    users = pop_hits = markov_hits = 0
    for items in sequences:
        if len(items) < 2:
            continue
        users += 1
        target = items[-1]
        pop_hits += target in top_popular
        after = successors[items[-2]]
        top = sorted(after, key=lambda item: (-after[item], rank[item]))[:k]
        for item in by_popularity:
            if len(top) == k:
                break
            if item not in top:
                top.append(item)
        markov_hits += target in top

    ids = {item: title_id_words(titles[item]) for item in order}
    pairs = sum(len(items) - 1 for items in sequences)
    sharing = sum(bool(ids[a] & ids[b]) for items in sequences for a, b in zip(items, items[1:]))
    return {
        "items": len(order),
        "users": len(sequences),
        "interactions": sum(len(items) for items in sequences),
        "train_samples": sum(max(len(items) - 3, 0) for items in sequences),
        "pop_hr10": pop_hits / users,
        "markov_hr10": markov_hits / users,
        "shared_title_word": sharing / pairs,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", default="build/bin/idgenrec", help="the idgenrec executable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "demo.idgenrec"
        print("| version | items | users | interactions | training samples | popularity HR@10 | Markov HR@10 "
              "| pairs sharing a title-ID word |")
        print("|---|---|---|---|---|---|---|---|")
        for version in (2, 1):
            name = f"v{version}"
            subprocess.run([args.cli, "demo", "--project", str(project), "--name", name, "--version", str(version),
                            "--json"], check=True, stdout=subprocess.DEVNULL)
            out = Path(scratch) / f"{name}.txt"
            subprocess.run([args.cli, "export", "sequences", "--project", str(project), "--dataset", name, "--out",
                            str(out)], check=True)
            sequences = [line.split()[1:] for line in out.read_text().splitlines() if line.strip()]
            with sqlite3.connect(project) as db:
                rows = db.execute("SELECT items.raw_id, items.fields FROM items JOIN datasets "
                                  "ON items.dataset_id = datasets.id WHERE datasets.name = ?", (name,)).fetchall()
            titles = {raw: json.loads(fields)["title"] for raw, fields in rows}
            m = measure(sequences, titles)
            print(f"| {version} | {m['items']} | {m['users']} | {m['interactions']} | {m['train_samples']} "
                  f"| {m['pop_hr10']:.4f} | {m['markov_hr10']:.4f} | {m['shared_title_word']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
