"""Extraction speed and peak memory on one core over a few thousand article-sized texts.

The texts are synthetic (built here from templates), about 2,000 characters each, mixing
incident sentences, background and boilerplate. Prints articles per second and peak RSS.

    python benchmarks/extract_speed.py [--articles 3000]
    python benchmarks/extract_speed.py --texts /work/shared/intake   # the real articles (*.txt), cycled

With --texts, the articles are every *.txt under that folder, repeated until --articles
are read; the first pass is warm-up, so the figure is the steady state.

    python benchmarks/extract_speed.py --texts /work/shared/intake --lengths 100000 1000000

With --lengths, the real articles (cleaned, each line made unique so that no cache helps)
are joined into one article of each length, and the time per character of each is
printed: the cost of an article should grow linearly with its length.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract import extract_incidents  # noqa: E402
from extract.text import clean  # noqa: E402

SENTENCES = [
    "{n} soldiers from {region} refused to return to the front, relatives said on {day}.",
    "A military court in {city} sentenced a mobilized man to five years for desertion.",
    "The men left their unit in {region} at the end of {month} and were later detained.",
    "Prosecutors opened a criminal case against the {n} servicemen, a lawyer said.",
    "Officials did not comment on the reports, which could not be independently verified.",
    "The war has now lasted for more than two years, with heavy losses on both sides.",
    "Из воинской части в {ru} сбежали {n} военнослужащих, сообщили в администрации.",
    "Putin hardened laws on desertion, introducing punishments of up to 10 years in prison.",
    "Support The Moscow Times!",
]
FILL = {"region": ["Pskov region", "Buryatia", "Belgorod region", "Krasnodar Krai", "Luhansk"],
        "city": ["Murmansk", "Ulan-Ude", "Novosibirsk", "Kazan", "Yekaterinburg"],
        "ru": ["Новосибирской области", "Бурятии", "Псковской области"],
        "n": ["eight", "12", "around two dozen", "two", "78"],
        "day": ["Monday", "Wednesday"], "month": ["December", "April"]}


def article(rng: random.Random) -> str:
    parts = []
    while sum(len(p) for p in parts) < 2000:
        template = rng.choice(SENTENCES)
        sentence = template.format(**{k: rng.choice(v) for k, v in FILL.items()})
        parts.append(f"{sentence[:-1]} (report {rng.randint(1, 10**9)}).")  # no two sentences alike
    return "\n\n".join(parts)


def long_article(real: list[str], length: int) -> str:
    """Real articles joined to `length` characters, each line tagged so that no two are alike."""
    lines: list[str] = []
    size = article = 0
    while size < length:
        article += 1
        for line in clean(real[article % len(real)]).split("\n"):
            tagged = f"{line.replace('. ', f' (r{len(lines)}). ')} (r{len(lines)})" if line else ""
            lines.append(tagged)
            size += len(tagged) + 1
    return "\n".join(lines)


def per_character(real: list[str], lengths: list[int]) -> None:
    for length in lengths:
        text = long_article(real, length)
        start = time.perf_counter()
        rows = extract_incidents(text)
        elapsed = time.perf_counter() - start
        print(f"{len(text):>10,} chars: {elapsed:.2f} s, {elapsed / len(text) * 1e6:.2f} µs per char, {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--texts", type=Path, help="a folder of real articles (*.txt, searched recursively)")
    parser.add_argument("--lengths", type=int, nargs="+", metavar="CHARS",
                        help="with --texts: time one article of each length instead")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(7)
    if args.texts:
        real = [p.read_text(encoding="utf-8") for p in sorted(args.texts.rglob("*.txt"))]
        if not real:
            parser.error(f"{args.texts}: no *.txt articles")
        if args.lengths:
            extract_incidents(real[0])
            per_character(real, args.lengths)
            return
        for t in real:  # warm-up: lexicons, patterns and per-sentence caches of one pass
            extract_incidents(t, {"published": "2023-01-18"})
        texts = [real[i % len(real)] for i in range(args.articles)]
    else:
        texts = [article(rng) for _ in range(args.articles)]
        extract_incidents(texts[0], {"published": "2023-01-18"})  # load lexicons and patterns once
    start = time.perf_counter()
    rows = sum(len(extract_incidents(t, {"published": "2023-01-18"})) for t in texts)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(map(len, texts)) // len(texts)
    print(f"articles: {len(texts)} (~{chars:,} chars each{', real' if args.texts else ''}), rows: {rows}")
    print(f"speed: {len(texts) / elapsed:.0f} articles/s on one core ({elapsed:.1f} s)")
    print(f"peak memory: {peak_mb:.0f} MB (max RSS, including Python and the gazetteer)")


if __name__ == "__main__":
    main()
