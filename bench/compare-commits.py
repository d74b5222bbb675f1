#!/usr/bin/env python3
"""Compares the JMH results of two builds written by bench/compare-commits.sh.

  python3 bench/compare-commits.py bench/results/issue13-<stamp>-r*-*.json > table.md

For every comparison it takes, within ONE JMH run of one build (one round), the time ratio
Coffer / reference (engine and partition classes: Coffer's time per operation over plain RocksDB's,
i.e. RocksDB's throughput over Coffer's; cipher: coffer-page over bare JDK AES-GCM; re-encryption:
Coffer's pass over the RocksDB rewrite), and the same ratio of process CPU per operation
(dev.coffer.bench.ProcessCpuProfiler). Over the rounds it gives each build's mean ratio +- the 95 %
confidence half-width of that mean (Student's t, n - 1 degrees of freedom), and a verdict:
"slower" / "faster" when the two intervals do not overlap, "same" when they do. The page-cache
bound has no reference inside its run: there the new build's throughput over the old build's of
the same round (adjacent runs) is given instead, with its interval against 1.0. Every table also
gives Coffer's own time and process CPU per operation, new build over old, paired by round: the
view that does not depend on the reference being the same at both commits (it is not for the
cipher: the old bare-AES-GCM reference drew its nonces from SecureRandom), but does feel the load.
"""
import collections
import json
import math
import re
import statistics
import sys

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def mean_err(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, float("nan")
    return m, T95.get(len(xs) - 1, 2.0) * statistics.stdev(xs) / math.sqrt(len(xs))


def load(paths):
    """{(round, build, step): [JMH entries]}"""
    runs = {}
    for p in paths:
        m = re.search(r"-r(\d+)-(old|new)-(\w+)\.json$", p)
        if not m:
            continue
        with open(p) as f:
            text = f.read().strip()
        if not text:
            continue
        runs[(int(m.group(1)), m.group(2), m.group(3))] = json.loads(text)
    return runs


def score(entry, metric=None):
    if metric is None:
        return entry["primaryMetric"]["score"]
    sm = entry.get("secondaryMetrics", {}).get(metric)
    return None if sm is None else sm["score"]


def method(entry):
    return entry["benchmark"].rsplit(".", 1)[1]


def ratios(runs, step, pick):
    """pick(entries) -> {name: (time_ratio, cpu_ratio, coffer_time, coffer_cpu)};
    returns {name: {build: [(round, time_ratio, cpu_ratio, coffer_time, coffer_cpu)]}}"""
    out = collections.defaultdict(lambda: collections.defaultdict(list))
    for (r, build, s), entries in sorted(runs.items()):
        if s != step:
            continue
        for name, values in pick(entries).items():
            out[name][build].append((r,) + values)
    return out


def engine_pick(entries):
    by = {(method(e), e["params"]["store"]): e for e in entries}
    res = {}
    for (m, store), e in by.items():
        if store == "rocksdb":
            continue
        ref = by.get((m, "rocksdb"))
        if ref is None:
            continue
        t = score(ref) / score(e)  # throughputs: time(coffer) / time(rocksdb)
        c1, c0 = score(e, "cpu.process"), score(ref, "cpu.process")
        res[f"{m} {store}"] = (t, c1 / c0 if c1 and c0 else None, 1 / score(e), c1)
    return res


def cipher_pick(entries):
    by = {(method(e), e["params"]["cipher"], e["params"]["size"]): e for e in entries}
    res = {}
    for (m, cipher, size), e in by.items():
        if cipher != "coffer-page":
            continue
        ref = by.get((m, "jdk-aes-gcm", size))
        if ref is None:
            continue
        c1, c0 = score(e, "cpu.process"), score(ref, "cpu.process")
        res[f"{m} {size} B"] = (score(ref) / score(e), c1 / c0 if c1 and c0 else None, 1 / score(e), c1)
    return res


def reencrypt_pick(entries):
    by = {(e["params"]["layout"], e["params"]["store"]): e for e in entries}
    res = {}
    for (layout, store), e in by.items():
        if store == "rocksdb":
            continue
        ref = by.get((layout, "rocksdb"))
        if ref is None:
            continue
        # SingleShotTime, ms/op: time(coffer) / time(rocksdb); the CPU profiler divides by 1 op
        c1, c0 = score(e, "cpu.process"), score(ref, "cpu.process")
        res[f"pass {layout}"] = (score(e) / score(ref), c1 / c0 if c1 and c0 else None, score(e), c1)
    return res


def verdict(old, new):
    (mo, eo), (mn, en) = old, new
    if math.isnan(eo) or math.isnan(en):
        return "n/a (one round)"
    if mn - en > mo + eo:
        return "slower"
    if mn + en < mo - eo:
        return "faster"
    return "same"


def fmt(m, e):
    return f"{m:.3f} ± {e:.3f}" if not math.isnan(e) else f"{m:.3f}"


def table(title, data):
    print(f"\n### {title}\n")
    print("| benchmark | rounds | old ratio | new ratio | new/old | verdict | old CPU ratio | new CPU ratio | CPU verdict "
          "| Coffer alone, new/old time | new/old CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in sorted(data):
        old, new = data[name].get("old", []), data[name].get("new", [])
        if not old or not new:
            print(f"| {name} | - | {'present' if old else 'absent'} | {'present' if new else 'absent'} | | only at one commit "
                  "| | | | | |")
            continue
        ot, nt = mean_err([v[1] for v in old]), mean_err([v[1] for v in new])
        oc, nc = mean_err([v[2] for v in old if v[2]]), mean_err([v[2] for v in new if v[2]])
        # Coffer's own time and CPU per operation, new over old, paired by round (adjacent runs)
        o_by, n_by = {v[0]: v for v in old}, {v[0]: v for v in new}
        paired = [r for r in o_by if r in n_by]
        at = mean_err([n_by[r][3] / o_by[r][3] for r in paired])
        ac = mean_err([n_by[r][4] / o_by[r][4] for r in paired if n_by[r][4] and o_by[r][4]])
        print(
            f"| {name} | {len(old)}/{len(new)} | {fmt(*ot)} | {fmt(*nt)} | {nt[0] / ot[0]:.2f} | {verdict(ot, nt)} "
            f"| {fmt(*oc)} | {fmt(*nc)} | {verdict(oc, nc)} | {fmt(*at)} | {fmt(*ac)} |"
        )


def cache_table(runs):
    rounds = collections.defaultdict(dict)
    for (r, build, s), entries in runs.items():
        if s == "cache":
            rounds[r][build] = entries[0]
    tput, cpu, resident = [], [], collections.defaultdict(list)
    for r, b in sorted(rounds.items()):
        for build, e in b.items():
            sm = e.get("secondaryMetrics", {})
            if "maxResidentBytes" in sm and "boundBytes" in sm:
                # EVENTS counters are summed over iterations: the ratio of the sums is the mean ratio
                resident[build].append(sm["maxResidentBytes"]["score"] / sm["boundBytes"]["score"])
        if "old" in b and "new" in b:
            tput.append(score(b["new"]) / score(b["old"]))
            c1, c0 = score(b["new"], "cpu.process"), score(b["old"], "cpu.process")
            if c1 and c0:
                cpu.append(c1 / c0)
    if not tput:
        return
    print("\n### Page-cache bound (no reference in its run: new build over old build, adjacent runs)\n")
    print("| benchmark | rounds | new/old throughput | new/old process CPU per get | max resident / bound, old | new |")
    print("| --- | --- | --- | --- | --- | --- |")
    t, c = mean_err(tput), mean_err(cpu) if cpu else (float("nan"), float("nan"))
    ro = mean_err(resident["old"]) if resident["old"] else (float("nan"), float("nan"))
    rn = mean_err(resident["new"]) if resident["new"] else (float("nan"), float("nan"))
    print(f"| PageCacheBoundBenchmark.randomGet | {len(tput)} | {fmt(*t)} | {fmt(*c)} | {fmt(*ro)} | {fmt(*rn)} |")


def main(paths):
    runs = load(paths)
    print("Time ratio = Coffer's time per operation / the reference's, in the same JMH run (lower is better);")
    print("mean over rounds ± 95 % CI half-width. CPU ratio: the same with process CPU per operation.")
    table("Engine, partition-key-only table (EngineBenchmark, 100k items; reference: plain RocksDB)",
          ratios(runs, "engine", engine_pick))
    table("Engine, 100 items per partition (EnginePartitionBenchmark, 1000 partitions; reference: plain RocksDB)",
          ratios(runs, "partition", engine_pick))
    table("Page cipher (CipherBenchmark; reference: bare JDK AES-GCM)", ratios(runs, "cipher", cipher_pick))
    table("Re-encryption (ReencryptBenchmark, 20k items of 256 B; reference: RocksDB rewrite)",
          ratios(runs, "reencrypt", reencrypt_pick))
    cache_table(runs)


if __name__ == "__main__":
    main(sys.argv[1:])
