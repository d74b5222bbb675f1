#!/usr/bin/env bash
# Runs Coffer's benchmarks and writes the report.
#
#   bench/run.sh smoke    # ~5 minutes (measured, build included): the whole pipeline on tiny data;
#                         # its numbers mean nothing; ignores JMH's lock; results are not committed
#   bench/run.sh quick    # ~17 minutes on 2 idle cores (estimate): 100k items
#   bench/run.sh full     # ~95 minutes on 2 idle cores (estimate, up to ~100): 100k, 1M and 5M items
#                         # in the interleaved harness (the 5M fills are ~22 minutes), every cipher size
#
# The quick and full durations are estimates from the per-item and per-iteration costs of shorter
# runs on the shared 2-vCPU machine (docs/performance.md, "Running the suite"); a loaded machine
# takes longer. The full profile needs ~12 GB of free disk under the scratch directory (four
# copies of each 5M-item dataset).
#
# Output, under bench/results/:
#   <profile>-<UTC date>-interleaved.json   the interleaved harness (InterleavedRunner)
#   <profile>-<UTC date>-r<N>-<name>.json   JMH's raw results of round N (-rf json, -prof gc, and
#                                           -prof dev.coffer.bench.ProcessCpuProfiler: process CPU/op)
#   <profile>-latest.md                     tables and targets, by dev.coffer.bench.report.ReportGenerator
#   <profile>-*.png                         charts (XChart), among them the ratio against item count
#   <profile>-<UTC date>-dataplane-interleaved.md  issue 11's targets, Coffer against Coffer
#                                           interleaved (DataPlaneInterleaved, thread CPU)
#   <profile>-<UTC date>-serve.md           coffer serve through the AWS SDK against dynalite and
#                                           in-process (ServeBenchmark; node and npm for dynalite)
#
# How it runs:
#   1. InterleavedRunner: Coffer and plain RocksDB (same RocksDB options, same memory) take turns in
#      one JVM, round after round; per-round ratios of thread CPU and process CPU per operation,
#      p50/p99 latency, allocation, bytes on disk. The measurement the targets are judged on.
#   2. JMH, in rounds: each round runs every competitor of a class once, in forked JVMs (one JMH
#      invocation per class, -f 1), or, for EngineBenchmark and EnginePartitionBenchmark, one JVM
#      per store with -f 0 (every method of the class shares one prefilled store), the stores'
#      order reversed every other round. A ratio is taken within a round; the report gives the
#      median over rounds and its range, so load that drifts during the run cancels out.
# All result files of one invocation make one report.
#
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; COFFER_BENCH_DIR sets where the
# stores live while they are measured (default bench/target/scratch; deleted as each one closes);
# DRY_RUN=1 prints the commands of a profile without running them.
set -euo pipefail

profile="${1:-quick}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Per profile: JMH rounds, iteration settings, and params; the harness's arguments.
case "$profile" in
  smoke)
    rounds=2
    lock=(-Djmh.ignoreLock=true) # numbers mean nothing: never fail because another JMH run holds the lock
    iter=(-wi 0 -i 1 -r 100ms)
    harness=(--items=2000 --rounds=2 --warmup-rounds=1 --ops-per-turn=500 --max-drain-millis=5000)
    cipher=(-p size=256)
    cipher_all_rounds=(-p cipher=jdk-aes-gcm,jdk-aes-gcm-os-nonces,coffer-page)
    nonce=("${iter[@]}")
    baseline=(-p itemCount=2000 -p itemBytes=256 -p payload=random)
    peers=(-p itemCount=2000 -p itemBytes=256 -p payload=random)
    engine=(-p itemCount=2000 -p payload=random)
    partition=(-p partitions=20 -p payload=random)
    dataplane=(-p partitions=20)
    dataplane_interleaved=(--partitions=20 --rounds=2 --warmup-rounds=1 --ops=200)
    engine_methods='' # every method
    engine_iter=("${iter[@]}")
    cache=(-p partitions=20)
    rotation=(-p storeMiB=1)
    reencrypt=(-wi 0 -i 1 -p itemCount=2000 -p itemBytes=256 -p payload=random)
    unwrap=("${iter[@]}")
    serve=(--rounds=1 --warmup=200 --ops=500 --throughput-ops=1000 --partitions=20 --clients=apache,raw-http)
    ;;
  quick)
    rounds=1
    lock=()
    iter=(-wi 2 -w 1 -i 3 -r 1)
    harness=(--items=100000 --rounds=10 --warmup-rounds=3 --ops-per-turn=10000)
    cipher=(-p size=256,4096,16384 -p cipher=jdk-aes-gcm,jdk-aes-gcm-os-nonces,coffer-page)
    cipher_all_rounds=(-p cipher=jdk-aes-gcm,jdk-aes-gcm-os-nonces,coffer-page)
    nonce=(-wi 2 -w 1 -i 3 -r 1)
    baseline=(-p itemCount=100000 -p itemBytes=256 -p payload=random)
    peers=(-p itemCount=100000 -p itemBytes=256 -p payload=random)
    engine=(-p itemCount=100000 -p payload=random)
    partition=(-p partitions=1000 -p payload=random)
    dataplane=(-p partitions=1000)
    dataplane_interleaved=(--partitions=1000 --rounds=30 --warmup-rounds=10 --ops=2000)
    engine_methods='-e Concurrent' # one thread only
    engine_iter=("${iter[@]}")
    cache=(-p partitions=1000)
    rotation=()
    reencrypt=(-wi 2 -i 3 -p itemCount=20000 -p itemBytes=256 -p payload=random)
    unwrap=(-wi 3 -w 1 -i 3 -r 1)
    serve=(--rounds=3 --warmup=5000 --ops=10000 --throughput-ops=20000 --clients=apache,raw-http)
    ;;
  full)
    rounds=2
    lock=()
    iter=(-wi 3 -w 1 -i 5 -r 1)
    harness=(--items=100000,1000000,5000000 --rounds=10 --warmup-rounds=3 --ops-per-turn=10000)
    cipher=()
    cipher_all_rounds=(-p cipher=jdk-aes-gcm,jdk-aes-gcm-os-nonces,coffer-page) # the other ciphers, references, in round 1 only
    nonce=(-wi 3 -w 1 -i 5 -r 1)
    baseline=(-p itemCount=1000000 -p itemBytes=256)
    peers=(-p itemCount=100000 -p itemBytes=256)
    # The harness measures put, get, query and scan at 100k-5M items with both payloads; the JMH
    # engine classes add two threads and queryTen, at 100k items (a 1M-item fill per JVM and store
    # would take most of the profile).
    engine=(-p itemCount=100000 -p payload=random)
    partition=(-p partitions=1000 -p payload=random)
    dataplane=(-p partitions=1000)
    dataplane_interleaved=(--partitions=1000 --rounds=60 --warmup-rounds=10 --ops=2000)
    engine_methods=''
    engine_iter=(-wi 3 -w 1 -i 3 -r 1) # 8 methods x 4 stores x 2 rounds
    cache=(-p partitions=1000)
    rotation=()
    reencrypt=(-wi 3 -i 5 -p itemCount=100000 -p itemBytes=256)
    unwrap=(-wi 5 -w 1 -i 5 -r 1)
    serve=(--rounds=5 --warmup=10000 --ops=20000 --throughput-ops=40000 --clients=apache,url-connection,raw-http)
    ;;
  *)
    echo "usage: bench/run.sh smoke|quick|full" >&2
    exit 2
    ;;
esac

dry="${DRY_RUN:-0}"
run() { # run <command...>: runs it, or prints it with DRY_RUN=1
  if [[ "$dry" == 1 ]]; then
    printf '%q ' "$@"
    echo
  else
    "$@"
  fi
}

if [[ "${SKIP_BUILD:-0}" != 1 && "$dry" != 1 ]]; then
  ./mvnw -B -ntp -q package -pl bench -am -DskipTests
fi

jar=bench/target/benchmarks.jar
out=bench/results
scratch="${COFFER_BENCH_DIR:-$root/bench/target/scratch}"
mkdir -p "$out" "$scratch"
stamp="${profile}-$(date -u +%Y%m%d-%H%M)"
log="$out/$stamp.log"
: >"$log"
files=()
props=(-Dcoffer.bench.dir="$scratch" "${lock[@]}")

jmh() { # jmh <round> <name> <JMH args...>
  local json="$out/$stamp-r$1-$2.json"
  shift 2
  [[ "$dry" == 1 ]] || echo "== $(date -u +%H:%M:%S) $*" | tee -a "$log"
  local cmd=(java "${props[@]}" -jar "$jar" "$@" -jvmArgsAppend "${props[*]}"
    -prof gc -prof dev.coffer.bench.ProcessCpuProfiler -rf json -rff "$json")
  if [[ "$dry" == 1 ]]; then
    run "${cmd[@]}"
  else
    "${cmd[@]}" >>"$log" 2>&1
  fi
  files+=("$json")
}

# 1. The interleaved harness.
json="$out/$stamp-interleaved.json"
[[ "$dry" == 1 ]] || echo "== $(date -u +%H:%M:%S) InterleavedRunner ${harness[*]}" | tee -a "$log"
run java "${props[@]}" -Xms1g -Xmx3g -cp "$jar" dev.coffer.bench.InterleavedRunner "${harness[@]}" --out="$json" \
  | tee -a "$log"
files+=("$json")

# 1b. Issue 11's data plane, Coffer against Coffer interleaved on one store (DataPlaneInterleaved:
# thread CPU per operation, per-round ratios against put and against ten puts; its own table).
[[ "$dry" == 1 ]] || echo "== $(date -u +%H:%M:%S) DataPlaneInterleaved ${dataplane_interleaved[*]}" | tee -a "$log"
run java "${props[@]}" -Xmx2g -cp "$jar" dev.coffer.bench.DataPlaneInterleaved "${dataplane_interleaved[@]}" \
  --out="$out/$stamp-dataplane-interleaved.md" | tee -a "$log"

# 2. JMH, in rounds.
stores=(rocksdb coffer-cache-off rocksdb-cache-on coffer-cache-on)
for ((r = 1; r <= rounds; r++)); do
  if ((r == 1)); then
    jmh "$r" cipher CipherBenchmark -f 1 "${iter[@]}" "${cipher[@]}"
    jmh "$r" nonce NonceBenchmark -f 1 "${nonce[@]}"
    jmh "$r" rocksdb RocksDbBaselineBenchmark -f 1 "${iter[@]}" "${baseline[@]}"
    jmh "$r" peers PeerBenchmark -f 1 "${iter[@]}" "${peers[@]}"
    jmh "$r" cache PageCacheBoundBenchmark -f 1 "${iter[@]}" "${cache[@]}"
    jmh "$r" rotation MasterKeyRotationBenchmark -f 1 "${iter[@]}" "${rotation[@]}"
    jmh "$r" unwrap KeyUnwrapBenchmark -f 1 "${unwrap[@]}"
  else
    jmh "$r" cipher CipherBenchmark -f 1 "${iter[@]}" "${cipher[@]}" "${cipher_all_rounds[@]}"
  fi
  order=("${stores[@]}")
  if ((r % 2 == 0)); then
    order=(coffer-cache-on rocksdb-cache-on coffer-cache-off rocksdb)
  fi
  for store in "${order[@]}"; do
    # shellcheck disable=SC2086 # $engine_methods is an optional "-e <regex>" pair
    jmh "$r" "engine-$store" 'EngineBenchmark\.' $engine_methods -f 0 "${engine_iter[@]}" "${engine[@]}" -p store="$store"
    # shellcheck disable=SC2086
    jmh "$r" "partition-$store" EnginePartitionBenchmark $engine_methods -f 0 "${engine_iter[@]}" "${partition[@]}" \
      -p store="$store"
    # issue 11's data plane: conditional put, UpdateItem, 10-action transactions, filtered query
    jmh "$r" "dataplane-$store" DataPlaneBenchmark -f 0 "${engine_iter[@]}" "${dataplane[@]}" -p store="$store"
  done
  jmh "$r" reencrypt ReencryptBenchmark -f 1 "${reencrypt[@]}"
done

# 3. coffer serve through the AWS SDK against dynalite and in-process (its own Markdown report).
[[ "$dry" == 1 ]] || echo "== $(date -u +%H:%M:%S) ServeBenchmark ${serve[*]}" | tee -a "$log"
run java "${props[@]}" -cp "$jar" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.coffer.bench.ServeBenchmark \
  "${serve[@]}" --scratch="$scratch" --out="$out/$stamp-serve.md" | tee -a "$log"

run java -cp "$jar" dev.coffer.bench.report.ReportGenerator "$profile" "$out" "${files[@]}"
rm -f "$log"
[[ "$dry" == 1 ]] || echo "raw results: ${files[*]}"
