"""Train the learned incident gate (extract/decision_model.json) and measure, on held-out
articles, whether it beats the rules alone.

The examples are the candidate rows the rules keep (extract.candidates) on every curated
article found under the shared folder: the gold corpora (labelled by their gold.json) and
the intake (labelled by the curated dataset, as benchmarks/curated_gold.py reads it). A row
is a true one when a gold row of its article has its type; every row of an article that
reports no incident is a false one. The texts are read at run time and never copied.

Held-out evaluation is grouped: articles that share a curated incident, or a publication
date (translations, reprints), stay in one fold, so that no event is both trained and
tested on. In each outer fold the threshold is chosen on the training folds alone (by an
inner grouped cross-validation), then the held-out articles are scored with the gate and
without it. The threshold may lose up to `--max-lost` of the training folds' true rows;
the model file is marked for use only when, held out, the gate silences more no-incident
articles, loses at most MAX_LOST_TO_USE of the true rows the rules find (strict and
type-only) and lowers neither F1.

    python scripts/train_decision.py [--shared ../shared] [--data data] [--out extract/decision_model.json]
                                     [--check]   # retrain and compare with the committed file

Needs the `train` extra (scikit-learn); everything is sorted and seeded, so the file is
rebuilt byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from curated_gold import curated_gold  # noqa: E402

from extract import candidates  # noqa: E402
from extract.decision_model import MODEL_FILE, Model, article_features, article_probability  # noqa: E402
from extract.model import Incident  # noqa: E402
from extract.scoring import Score, score_article  # noqa: E402

FOLDS = 5
C = 1.0
MIN_ARTICLES = 2
BUDGET = 0.10
MAX_LOST_TO_USE = 0.02
THRESHOLDS = [round(0.01 * i, 2) for i in range(1, 80)]


@dataclass
class Example:
    """One article: its candidate rows, their features and labels, and its gold rows."""

    name: str
    language: str
    gold: list[dict]
    rows: list[Incident]
    features: list[list[str]]
    labels: list[int]
    keys: list[str]
    group: int = 0


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def examples(data: Path, shared: Path) -> list[Example]:
    """Every curated article with its candidate rows; corpus articles take their gold.json rows."""
    corpus_gold = {a["url"]: a["incidents"] for g in sorted((shared / "corpus").glob("*/gold.json"))
                   for a in json.loads(g.read_text(encoding="utf-8"))}
    cited: dict[str, list[str]] = {}
    for source in _read(data / "sources.csv"):
        cited.setdefault(source["url"], []).append(source["incident_id"])
    out = []
    for a in sorted(curated_gold(data, shared), key=lambda a: a["url"]):
        gold = corpus_gold.get(a["url"], a["incidents"])
        meta = {k: a.get(k) for k in ("url", "outlet", "title", "published")}
        drafts, rows, parts = candidates(a["path"].read_text(encoding="utf-8"), meta)
        anyway = [{**g, "optional": False} for g in gold]
        labels = [int(score_article([r], anyway, strict=False).tp > 0) for r in rows]
        site_day = f"{'.'.join(urlsplit(a['url']).netloc.split('.')[-2:])} {a.get('published') or a['url']}"
        out.append(Example(a["url"], a["language"], gold, rows, article_features(drafts, rows, parts), labels,
                           [site_day, *cited.get(a["url"], [])]))
    _group(out)
    return out


def _group(found: list[Example]) -> None:
    """Union of articles that share a key: a curated incident they cite, or the site and day
    they were published on (a story and its translation)."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, e in enumerate(found):
        for key in e.keys:
            parent[root(i)] = root(first.setdefault(key, i))
    for i, e in enumerate(found):
        e.group = root(i)


def fit(train: list[Example]) -> Model:
    """Logistic regression on the features seen in at least MIN_ARTICLES training articles."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen: dict[str, int] = {}
    for e in train:
        for f in {f for fs in e.features for f in fs}:
            seen[f] = seen.get(f, 0) + 1
    vocab = {f for f, n in seen.items() if n >= MIN_ARTICLES}
    X = [{f: 1 for f in fs if f in vocab} for e in train for fs in e.features]
    y = [label for e in train for label in e.labels]
    vec = DictVectorizer(sort=True)
    clf = LogisticRegression(C=C, class_weight="balanced", random_state=0, max_iter=1000)
    clf.fit(vec.fit_transform(X), y)
    weights = {f: round(float(w), 4) for f, w in zip(vec.feature_names_, clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    return Model(weights, round(float(clf.intercept_[0]), 4), 0.0, False)


def _folds(found: list[Example], k: int) -> list[tuple[list[Example], list[Example]]]:
    """Grouped folds: groups dealt to folds largest first, each to the fold with fewest rows."""
    from sklearn.model_selection import GroupKFold

    idx = list(range(len(found)))
    splitter = GroupKFold(n_splits=k)
    return [([found[i] for i in tr], [found[i] for i in te])
            for tr, te in splitter.split(idx, groups=[e.group for e in found])]


def _probabilities(model: Model, found: list[Example]) -> list[list[float]]:
    """Per article, per row: the article's probability (the gate decides per article)."""
    return [[article_probability(model, e.features)] * len(e.rows) for e in found]


@dataclass
class Tally:
    """What a gate does on some articles: strict and type-only scores, no-incident articles silenced."""

    strict: Score
    loose: Score
    empty: int = 0
    quiet: int = 0

    def line(self) -> str:
        s, t = self.strict, self.loose
        return (f"no-incident articles giving no row {self.quiet:3} of {self.empty:3}   strict tp {s.tp:3} fp {s.fp:3} "
                f"fn {s.fn:3} F1 {s.f1:.3f}   type-only tp {t.tp:3} fp {t.fp:3} F1 {t.f1:.3f}")


def tally(found: list[Example], probs: list[list[float]] | None, threshold: float) -> Tally:
    out = Tally(Score(), Score())
    for e, ps in zip(found, probs or [None] * len(found), strict=True):
        kept = [r for i, r in enumerate(e.rows) if ps is None or ps[i] >= threshold]
        out.strict.add(score_article(kept, e.gold, True))
        out.loose.add(score_article(kept, e.gold, False))
        if not e.gold:
            out.empty += 1
            out.quiet += not kept
    return out


def choose_threshold(found: list[Example], probs: list[list[float]], max_lost: float) -> float:
    """The threshold that silences most no-incident articles while losing at most max_lost of
    the rules' strict true rows (the lowest such threshold, on ties)."""
    rules = tally(found, None, 0.0)
    best, best_quiet = 0.0, tally(found, probs, 0.0).quiet
    for t in THRESHOLDS:
        got = tally(found, probs, t)
        if rules.strict.tp - got.strict.tp > max_lost * rules.strict.tp or \
                rules.loose.tp - got.loose.tp > max_lost * rules.loose.tp:
            break
        if got.quiet > best_quiet:
            best, best_quiet = t, got.quiet
    return best


def trained(train: list[Example], max_lost: float) -> Model:
    """A model fitted on `train` with its threshold chosen by inner grouped cross-validation."""
    inner_found, inner_probs = [], []
    for tr, te in _folds(train, FOLDS):
        inner_found += te
        inner_probs += _probabilities(fit(tr), te)
    m = fit(train)
    return Model(m.weights, m.intercept, choose_threshold(inner_found, inner_probs, max_lost), False)


def held_out(found: list[Example], max_lost: float) -> dict[str, tuple[Tally, Tally, list[float]]]:
    """Per language and overall: the rules alone and with the gate, on held-out articles."""
    done: list[tuple[Example, list[float], float]] = []
    for tr, te in _folds(found, FOLDS):
        m = trained(tr, max_lost)
        done += [(e, p, m.threshold) for e, p in zip(te, _probabilities(m, te), strict=True)]
    out = {}
    for lang in ("en", "ru", "all"):
        part = [(e, p, t) for e, p, t in done if lang in ("all", e.language)]
        rules = tally([e for e, _, _ in part], None, 0.0)
        gated = Tally(Score(), Score())
        for e, p, t in part:
            one = tally([e], [p], t)
            gated.strict.add(one.strict)
            gated.loose.add(one.loose)
            gated.empty += one.empty
            gated.quiet += one.quiet
        out[lang] = (rules, gated, sorted({t for _, _, t in part}))
    return out


def beats(rules: Tally, gated: Tally) -> bool:
    """More no-incident articles silenced, at most MAX_LOST_TO_USE of the true rows lost
    (strict and type-only), and neither F1 worse: the issue asks for silence "without losing
    true rows"."""
    return gated.quiet > rules.quiet and all(
        r.tp - g.tp <= MAX_LOST_TO_USE * r.tp and g.f1 >= r.f1
        for r, g in ((rules.strict, gated.strict), (rules.loose, gated.loose)))


def model_json(m: Model, evaluation: dict) -> str:
    return json.dumps({"use": m.use, "threshold": m.threshold, "intercept": m.intercept,
                       "evaluation": evaluation, "weights": dict(sorted(m.weights.items()))},
                      ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--max-lost", type=float, default=BUDGET,
                        help="share of the true rows a threshold may lose on the training folds")
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = parser.parse_args()
    found = examples(args.data, args.shared)
    if not found:
        parser.error(f"{args.shared}: no curated article found")
    results = held_out(found, args.max_lost)
    evaluation = {}
    for lang, (rules, gated, thresholds) in results.items():
        print(f"{lang} held out ({sum(lang in ('all', e.language) for e in found)} articles, thresholds {thresholds})")
        print(f"  rules alone  {rules.line()}")
        print(f"  with gate    {gated.line()}")
        evaluation[lang] = {"rules": rules.line(), "gate": gated.line()}
    final = trained(found, args.max_lost)
    use = beats(*results["all"][:2])
    final = Model(final.weights, final.intercept, final.threshold, use)
    print(f"model: {len(final.weights)} weights, threshold {final.threshold}, use: {use}")
    text = model_json(final, evaluation)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'rebuilt identically' if same else 'differs from the retrained model'}")
        sys.exit(0 if same else 1)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) // 1024} KB)")


if __name__ == "__main__":
    main()
