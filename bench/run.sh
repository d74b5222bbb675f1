#!/usr/bin/env bash
# Runs Coffer's benchmarks and writes the report.
#
#   bench/run.sh quick    # ~9 minutes on 2 idle cores: 100k items, 1 warmup + 3 measurement iterations of 1 s (JMH gives no error with 2)
#   bench/run.sh full     # ~35 minutes: 1M items (peers, re-encryption: 100k), 2 forks (peers: 1), 2 warmup + 5 measurement iterations of 1 s
#   bench/run.sh smoke    # ~2 minutes: checks the pipeline on tiny data; its numbers mean nothing
#
# Output, under bench/results/:
#   <profile>-<UTC date>-*.json  JMH's raw results (-rf json, with -prof gc: allocation per op)
#   <profile>-latest.md          ratio tables and targets, made by dev.coffer.bench.report.ReportGenerator
#   <profile>-*.png              charts (XChart)
#
# How it runs:
#   1. CipherBenchmark, RocksDbBaselineBenchmark, PeerBenchmark, PageCacheBoundBenchmark, and the
#      key-lifecycle classes MasterKeyRotationBenchmark, ReencryptBenchmark, KeyUnwrapBenchmark: one
#      forked JVM per trial, as JMH does by default. Quick profile, key lifecycle: rotation of a
#      ~10 MB and a ~1 GB store (the 1 GB fill takes ~12 s), re-encryption of 20k items of 256 B
#      (both layouts) against a RocksDB rewrite of the same items, unwrap with 3 warmup iterations
#      (the providers' code paths take a few seconds to reach C2).
#   2. EngineBenchmark and EnginePartitionBenchmark: one JVM per (class, store) with -f 0, so every
#      method of the class runs against one prefilled store (filling 100k items through Coffer's put
#      path takes longer than measuring all the methods). Stores: rocksdb, coffer-cache-off,
#      coffer-cache-on, one after the other.
# All JSON files of one invocation make one report: every ratio divides two scores of this run.
#
# Set SKIP_BUILD=1 to reuse bench/target/benchmarks.jar.
set -euo pipefail

profile="${1:-quick}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

case "$profile" in
  quick)
    iter=(-wi 1 -w 1 -i 3 -r 1)
    forked=(-f 1 "${iter[@]}")
    items=(-p itemCount=100000)
    partitions=(-p partitions=1000)
    peer_sizes=(-p itemBytes=256)
    peers=("${forked[@]}" "${items[@]}")
    rotation=()
    reencrypt=(-p itemCount=20000 -p itemBytes=256)
    unwrap=(-f 1 -wi 3 -w 1 -i 3 -r 1)
    ;;
  smoke)
    iter=(-wi 0 -i 1 -r 100ms)
    forked=(-f 1 "${iter[@]}" -p size=256)
    items=(-p itemCount=2000)
    partitions=(-p partitions=20)
    peer_sizes=(-p itemBytes=256)
    peers=("${forked[@]}" "${items[@]}")
    rotation=(-p storeMiB=1)
    reencrypt=(-p itemCount=2000 -p itemBytes=256)
    unwrap=("${forked[@]}")
    ;;
  full)
    iter=(-wi 2 -w 1 -i 5 -r 1)
    forked=(-f 2 "${iter[@]}")
    items=(-p itemCount=1000000)
    partitions=(-p partitions=10000)
    peer_sizes=()
    # peers are a reference, not a target: one fork, and 100k items (filling 1M items into
    # SQLCipher alone takes over two minutes per trial)
    peers=(-f 1 "${iter[@]}" -p itemCount=100000)
    rotation=()
    reencrypt=(-p itemCount=100000)
    unwrap=("${forked[@]}")
    ;;
  *)
    echo "usage: bench/run.sh quick|full|smoke" >&2
    exit 2
    ;;
esac

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -ntp -q package -pl bench -am -DskipTests
fi

jar=bench/target/benchmarks.jar
out=bench/results
mkdir -p "$out"
stamp="${profile}-$(date -u +%Y%m%d-%H%M)"
log="$out/$stamp.log"
: >"$log"
files=()

jmh() { # jmh <name> <JMH args...>
  local json="$out/$stamp-$1.json"
  shift
  echo "== $(date -u +%H:%M:%S) $*" | tee -a "$log"
  java -jar "$jar" "$@" -prof gc -rf json -rff "$json" >>"$log" 2>&1
  files+=("$json")
}

jmh cipher CipherBenchmark "${forked[@]}"
jmh rocksdb RocksDbBaselineBenchmark "${forked[@]}" "${items[@]}"
jmh peers PeerBenchmark "${peers[@]}" "${peer_sizes[@]}"
for store in rocksdb coffer-cache-off coffer-cache-on; do
  jmh "engine-$store" 'EngineBenchmark\.' -f 0 "${iter[@]}" "${items[@]}" -p store="$store"
  jmh "partition-$store" EnginePartitionBenchmark -f 0 "${iter[@]}" "${partitions[@]}" -p store="$store"
done
jmh cache PageCacheBoundBenchmark "${forked[@]}" "${partitions[@]}"
jmh rotation MasterKeyRotationBenchmark "${forked[@]}" "${rotation[@]}"
jmh reencrypt ReencryptBenchmark "${forked[@]}" "${reencrypt[@]}"
jmh unwrap KeyUnwrapBenchmark "${unwrap[@]}"

java -cp "$jar" dev.coffer.bench.report.ReportGenerator "$profile" "$out" "${files[@]}"
rm -f "$log"
echo "raw results: ${files[*]}"
