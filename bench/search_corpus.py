#!/usr/bin/env python3
# Provenance: copied from the project's shared benchmark material (shared/bench/search_corpus.py,
# described in its README: the reference search corpus and its result contract); unchanged but for
# these comment lines. Used by bench/search.rs and bench/search-peers.
"""Deterministic synthetic crawl corpus for the trie-search peer.

Models the original application's data: 79 web pages, ~2 crawls each (160 word-count rows),
crawl timestamps spread over 4 days, each row a dict word -> count.  The union of
all rows has exactly --words distinct words (default 173,693, the original's figure).

Realism knobs (all stdlib, seeded, independent of PYTHONHASHSEED):
  * words come from a letter-trigram chain (interpolated) trained on an embedded English passage,
    with English type-length distribution, ~40% inflected and ~6% prefixed forms of earlier stems
    (shared prefixes, as in a real vocabulary) and ~4% carrying one accented letter;
  * shorter words get the frequent Zipf ranks (Zipf-Mandelbrot, s=1.0, q=2.7);
  * each page has topic words; its later crawls reuse most of the earlier crawl
    with perturbed counts plus some fresh text;
  * vocabulary never drawn by sampling (the long tail) is added as hapaxes, so
    the union is exact.
  * --total-postings N (other reading of the original's figure) instead makes the
    number of (word, row) entries exactly N; see README.md.

Output (default target/search-corpus/):
  corpus.jsonl  one row per line:
    {"row": i, "page": p, "url": ..., "title": ..., "crawl_time": unix_s, "counts": {word: n}}
  queries.json  {"queries": [10 strings], "hits_guaranteed": [bool]*10}
Prints one JSON line of corpus statistics including the sha256 of both files.
"""
import argparse
import bisect
import hashlib
import itertools
import json
import math
import os
import random

TRAIN = """
the project already has the data on word counts for web pages that were added by
its users. pages are crawled again and again, and the content of every page is
split into words which are counted and stored together with the time at which the
page was processed. these counts were first used for drawing word clouds and for
looking at how the text of a page changes from one day to another, but the same
counts can also build a small search index for the whole collection of pages.
given a handful of words, the index returns the pages in which all of the words
occur, together with the address of each page, its title and the time of the crawl,
newest first. a search engine of this kind is simple to explain: first we keep only
the recent counts, then we put every word into a structure that shares the common
beginnings of words, then we shrink that structure so that it fits comfortably in
memory, and finally we answer questions by walking down the structure one letter at
a time. people who read news, follow markets, watch the weather or study history
often want to know where and when a particular name or phrase appeared, and whether
it is still mentioned today. government reports, sports results, science articles,
travel stories, recipes, reviews of books and films, announcements from companies
and universities, local events and international politics all produce different
vocabularies, and a good index must handle common words, rare names, long technical
terms and words borrowed from other languages with accents and special letters.
measuring the running time and the memory used by each step tells us whether the
design is sensible, which parts dominate, and where a faster implementation should
concentrate its effort. engineers usually compare building, compressing, storing and
querying the index, and they repeat every measurement several times on the same
machine with the same data so that the comparison remains fair and reproducible.
"""

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# accented variants used for ~4% of words (K grows from 26 to 26+len)
ACCENTS = {"e": "éèêë", "a": "àâäá", "o": "ôöó", "u": "ùûüú", "i": "îïí",
           "c": "ç", "n": "ñ"}
SUFFIXES = ["s", "s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions",
            "ment", "ments", "ness", "able", "al", "ity", "ive", "ist", "ism", "ized"]
PREFIXES = ["un", "re", "in", "dis", "pre", "over", "non", "sub", "inter", "co"]
# English dictionary-type word-length distribution (length: weight), roughly.
LEN_W = {1: 0.2, 2: 1.2, 3: 4.0, 4: 7.0, 5: 10.5, 6: 13.5, 7: 14.0, 8: 13.0, 9: 10.5,
         10: 8.0, 11: 5.5, 12: 3.6, 13: 2.2, 14: 1.3, 15: 0.7, 16: 0.35, 17: 0.2,
         18: 0.1, 19: 0.05, 20: 0.02}

BASE_TS = 1543190400  # 2018-11-26T00:00:00Z (week of the original's published figures)
DAY = 86400


def cum(weights):
    return list(itertools.accumulate(weights))


def pick(rng, items, cw):
    return items[bisect.bisect(cw, rng.random() * cw[-1], 0, len(cw) - 1)]


def train_chain(text):
    """Interpolated letter-trigram model; '^' pads the start of a word."""
    words = "".join(ch if ch in LETTERS else " " for ch in text.lower()).split()
    uni = {c: 1.0 for c in LETTERS}
    bi, tri = {}, {}
    for w in words:
        s = "^^" + w
        for i in range(2, len(s)):
            a, b, c = s[i - 2], s[i - 1], s[i]
            uni[c] += 1
            bi.setdefault(b, {}).setdefault(c, 0)
            bi[b][c] += 1
            tri.setdefault(a + b, {}).setdefault(c, 0)
            tri[a + b][c] += 1
    utot = sum(uni.values())
    cache = {}

    def cw(ctx):
        if ctx not in cache:
            t, b = tri.get(ctx, {}), bi.get(ctx[1], {})
            tt, bt = sum(t.values()) or 1, sum(b.values()) or 1
            cache[ctx] = cum([0.55 * t.get(c, 0) / tt + 0.33 * b.get(c, 0) / bt
                              + 0.12 * uni[c] / utot for c in LETTERS])
        return cache[ctx]
    return cw


def make_vocab(rng, n_words):
    chain = train_chain(TRAIN)
    lens = sorted(LEN_W)
    len_cw = cum([LEN_W[k] for k in lens])
    vocab, seen = [], set()
    stems = []

    def raw_word(length):
        ctx, out = "^^", []
        for _ in range(length):
            ch = pick(rng, LETTERS, chain(ctx))
            out.append(ch)
            ctx = ctx[1] + ch
        return "".join(out)

    while len(vocab) < n_words:
        r = rng.random()
        if r < 0.40 and len(stems) > 100:
            stem = stems[rng.randrange(len(stems))]
            w = stem + SUFFIXES[rng.randrange(len(SUFFIXES))]
        elif r < 0.46 and len(stems) > 100:
            w = PREFIXES[rng.randrange(len(PREFIXES))] + stems[rng.randrange(len(stems))]
        else:
            w = raw_word(pick(rng, lens, len_cw))
            if len(w) >= 4:
                stems.append(w)
        if rng.random() < 0.04:  # one accented letter
            pos = [i for i, c in enumerate(w) if c in ACCENTS]
            if pos:
                i = pos[rng.randrange(len(pos))]
                alts = ACCENTS[w[i]]
                w = w[:i] + alts[rng.randrange(len(alts))] + w[i + 1:]
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    # frequent ranks go to shorter, unaccented words (with noise), like real text
    keyed = [(len(w) + rng.gauss(0.0, 2.0)
              + (4.0 if any(c not in LETTERS for c in w) else 0.0), i)
             for i, w in enumerate(vocab)]
    keyed.sort()
    return [vocab[i] for _, i in keyed]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="target/search-corpus")
    ap.add_argument("--seed", type=int, default=20181128)
    ap.add_argument("--words", type=int, default=173693)
    ap.add_argument("--pages", type=int, default=79)
    ap.add_argument("--rows", type=int, default=160)
    ap.add_argument("--days", type=float, default=4.0)
    ap.add_argument("--median-tokens", type=int, default=9000,
                    help="median tokens per page text (lognormal, sigma 0.7)")
    ap.add_argument("--total-postings", type=int, default=0,
                    help="instead of an exact union of --words, make the total "
                         "number of (word, row) entries exactly this (original-like "
                         "variant: 173693 with --median-tokens 1500); the union is "
                         "then whatever sampling gives")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    V = a.words
    vocab = make_vocab(rng, V)
    zipf_cw = cum([1.0 / (r + 2.7) for r in range(V)])
    ranks = range(V)

    # crawls per page: 2 each, a few pages get a 3rd to reach --rows
    ncrawl = [2] * a.pages
    extra = a.rows - 2 * a.pages
    for p in rng.sample(range(a.pages), max(0, extra)):
        ncrawl[p] += 1

    sites = ["news", "blog", "science", "sports", "travel", "finance", "weather",
             "history", "tech", "culture", "health", "music", "books", "film"]
    rows = []  # (page, ts, counts: dict rank->count)
    pages = []
    span = a.days * DAY
    for p in range(a.pages):
        site = sites[p % len(sites)]
        n_tok = int(rng.lognormvariate(math.log(a.median_tokens), 0.7))
        n_tok = max(800, min(80000, n_tok))
        topic = [rng.randrange(1500, 60000) for _ in range(250)]
        title_ranks = [topic[rng.randrange(len(topic))] for _ in range(4)]
        pages.append({
            "url": f"https://www.{site}{p // len(sites)}.example.org/{vocab[title_ranks[0]]}/{p:03d}.html",
            "title": " ".join(vocab[r] for r in title_ranks).capitalize(),
        })

        def text(n):
            c = {}
            for r in rng.choices(ranks, cum_weights=zipf_cw, k=int(n * 0.85)):
                c[r] = c.get(r, 0) + 1
            for _ in range(int(n * 0.15)):
                r = topic[rng.randrange(len(topic))]
                c[r] = c.get(r, 0) + 1
            return c

        k = ncrawl[p]
        t0 = rng.uniform(0, span * 0.4)
        gap = (span - 3600 - t0) / k
        times = [int(BASE_TS + t0 + i * gap + rng.uniform(0, gap * 0.5)) for i in range(k)]
        cur = text(n_tok)
        for i in range(k):
            if i:
                nxt = {}
                for r, n in cur.items():
                    if rng.random() < 0.05:
                        continue  # text removed
                    n2 = n + int(round(rng.gauss(0.0, 0.1 * n + 0.3)))
                    if n2 > 0:
                        nxt[r] = n2
                for r, n in text(n_tok * 0.1).items():
                    nxt[r] = nxt.get(r, 0) + n
                cur = nxt
            rows.append([p, times[i], dict(cur)])

    # long tail: vocabulary not yet used goes in as hapaxes (sometimes persisting)
    used = bytearray(V)
    for _, _, c in rows:
        for r in c:
            used[r] = 1
    sampled_distinct = sum(used)
    by_page = {}
    for i, (p, _, _) in enumerate(rows):
        by_page.setdefault(p, []).append(i)
    for r in range(V):
        if used[r] or a.total_postings:
            continue
        p = rng.randrange(a.pages)
        ids = by_page[p]
        j = rng.randrange(len(ids))
        rows[ids[j]][2][r] = 1
        if j + 1 < len(ids) and rng.random() < 0.5:
            rows[ids[j + 1]][2][r] = 1 + (rng.random() < 0.2)

    if a.total_postings:
        # alternative reading of the original's "173693 Words": total (word, row)
        # insertions.  Trim or pad hapax postings to hit the total exactly.
        total = sum(len(c) for _, _, c in rows)
        if total > a.total_postings:
            cand = [(i, r) for i, (_, _, c) in enumerate(rows)
                    for r, n in c.items() if n == 1]
            for i, r in rng.sample(cand, total - a.total_postings):
                del rows[i][2][r]
        while total < a.total_postings:
            c = rows[rng.randrange(len(rows))][2]
            r = rng.randrange(V)
            if r not in c:
                c[r] = 1
                total += 1

    os.makedirs(a.out, exist_ok=True)
    cpath = os.path.join(a.out, "corpus.jsonl")
    order = sorted(range(len(rows)), key=lambda i: (rows[i][1], rows[i][0]))
    postings = 0
    union = set()
    with open(cpath, "w", encoding="utf-8") as f:
        for new_id, i in enumerate(order):
            p, ts, c = rows[i]
            items = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
            counts = {vocab[r]: n for r, n in items}
            postings += len(counts)
            union.update(c)
            f.write(json.dumps({"row": new_id, "page": p, "url": pages[p]["url"],
                                "title": pages[p]["title"], "crawl_time": ts,
                                "counts": counts}, ensure_ascii=False,
                               separators=(",", ":")) + "\n")
    if a.total_postings:
        assert postings == a.total_postings, (postings, a.total_postings)
    else:
        assert len(union) == V, (len(union), V)

    # queries: 8 drawn from one row (hit guaranteed), 2 across two pages
    qs, guaranteed = [], []
    for qi in range(10):
        k = 2 if qi % 2 == 0 else 3
        if qi < 8:
            src = [rows[rng.randrange(len(rows))][2]] * k
        else:
            src = [rows[rng.randrange(len(rows))][2] for _ in range(k)]
        words = []
        for c in src:
            cand = [r for r in c if 30 <= r < 30000 and vocab[r] not in words]
            cand.sort()
            words.append(vocab[cand[rng.randrange(len(cand))]])
        qs.append(" ".join(words))
        guaranteed.append(qi < 8)
    qpath = os.path.join(a.out, "queries.json")
    with open(qpath, "w", encoding="utf-8") as f:
        json.dump({"queries": qs, "hits_guaranteed": guaranteed}, f,
                  ensure_ascii=False, indent=1)
        f.write("\n")

    def sha(path):
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()

    words = [vocab[r] for r in sorted(union)]
    alphabet = sorted(set("".join(words)))
    lens = [len(w) for w in words]
    print(json.dumps({
        "corpus": cpath, "queries": qpath, "rows": len(rows), "pages": a.pages,
        "distinct_words": len(union), "sampled_distinct": sampled_distinct,
        "postings": postings, "alphabet_size": len(alphabet),
        "accented_words": sum(1 for w in words if any(ch not in LETTERS for ch in w)),
        "mean_word_len_types": round(sum(lens) / len(lens), 2),
        "time_span_h": round((max(r[1] for r in rows) - min(r[1] for r in rows)) / 3600, 1),
        "bytes": os.path.getsize(cpath), "sha256_corpus": sha(cpath),
        "sha256_queries": sha(qpath), "query_list": qs}, ensure_ascii=False))


if __name__ == "__main__":
    main()
