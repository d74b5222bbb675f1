#!/usr/bin/env bash
# Compares two builds of Coffer on the same machine in one sitting: JMH's quick subset of the
# engine-against-RocksDB classes, the page-cache bound, the page cipher and re-encryption, each
# build running ITS OWN benchmarks.jar, alternating old/new (new/old every other round) so load that
# drifts during the sitting falls on both. A Coffer/RocksDB ratio is taken within one JMH run of one
# build, so machine load during that run cancels out of it; bench/compare-commits.py then compares
# the builds' ratios over the rounds. Used for issue 13 (docs/performance.md, "Issue 13: the record
# layer against the code before it").
#
#   # each build: ./mvnw -B -ntp -o package -pl bench -am -DskipTests   (never install)
#   OLD=/work/wt/bench13-old bench/compare-commits.sh 3     # 3 rounds (~10 min per round under load)
#   python3 bench/compare-commits.py bench/results/issue13-<stamp>-*.json
#
# OLD: the older checkout (its bench/target/benchmarks.jar); NEW: the newer one (default: this
# checkout). STEPS (default "engine partition cache cipher reencrypt") picks the classes. FIRST
# (default 1) numbers the first round, to add rounds to an earlier sitting (FIRST=5 ... 2: rounds 5, 6).
# Every JMH run gets -prof gc and -prof dev.coffer.bench.ProcessCpuProfiler (process CPU per
# operation, every thread counted); for a build whose jar has no such profiler the class is
# compiled from this checkout's source into bench/target/compare/profiler and put on its class path
# (JMH's forks inherit it). -Djmh.ignoreLock=true: on a shared machine another JMH run may hold
# the lock; these runs are meant to overlap load anyway, and the ratios are what is compared.
# Output: bench/results/issue13-<UTC stamp>-r<round>-<old|new>-<step>.json, JMH's raw JSON.
set -euo pipefail

rounds="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
old="${OLD:?set OLD to the older checkout}"
new="${NEW:-$root}"
steps="${STEPS:-engine partition cache cipher reencrypt}"
out="$root/bench/results"
scratch="$root/bench/target/compare/scratch"
prof_dir="$root/bench/target/compare/profiler"
stamp="issue13-$(date -u +%Y%m%d-%H%M)"
mkdir -p "$out" "$scratch" "$prof_dir"
log="$root/bench/target/compare/$stamp.log"

if [[ ! -f "$prof_dir/dev/coffer/bench/ProcessCpuProfiler.class" ]]; then
  javac -d "$prof_dir" -cp "$new/bench/target/benchmarks.jar" \
    "$root/bench/src/main/java/dev/coffer/bench/ProcessCpu.java" \
    "$root/bench/src/main/java/dev/coffer/bench/ProcessCpuProfiler.java"
fi

props=(-Djmh.ignoreLock=true -Dcoffer.bench.dir="$scratch")
iter=(-wi 2 -w 1 -i 3 -r 1)
stores=(-p store=rocksdb,coffer-cache-off,coffer-cache-on)

run_version() { # run_version <round> <old|new> <checkout>
  local r="$1" which="$2" dir="$3"
  local jar="$dir/bench/target/benchmarks.jar"
  local cp="$jar"
  unzip -l "$jar" | grep -q 'dev/coffer/bench/ProcessCpuProfiler.class' || cp="$jar:$prof_dir"
  # the newer classes have a payload param (random or compressible); the older ones use random payloads
  local payload=()
  unzip -p "$jar" META-INF/BenchmarkList | grep -q '=payload' && payload=(-p payload=random)
  local step
  for step in $steps; do
    local args
    case "$step" in
      engine) args=('EngineBenchmark\.' -e Concurrent -f 0 "${iter[@]}" -p itemCount=100000 "${stores[@]}" "${payload[@]}") ;;
      partition) args=(EnginePartitionBenchmark -e Concurrent -f 0 "${iter[@]}" -p partitions=1000 "${stores[@]}" "${payload[@]}") ;;
      cache) args=(PageCacheBoundBenchmark -f 1 -wi 1 -w 1 -i 3 -r 1 -p partitions=1000) ;;
      cipher) args=(CipherBenchmark -f 1 "${iter[@]}" -p cipher=jdk-aes-gcm,coffer-page -p size=256,4096) ;;
      reencrypt) args=(ReencryptBenchmark -f 1 -wi 2 -i 3 -p itemCount=20000 -p itemBytes=256 "${payload[@]}") ;;
      *) echo "unknown step $step" >&2; exit 2 ;;
    esac
    local json="$out/$stamp-r$r-$which-$step.json"
    echo "== $(date -u +%H:%M:%S) round $r $which $step: ${args[*]}" | tee -a "$log"
    java "${props[@]}" -cp "$cp" org.openjdk.jmh.Main "${args[@]}" -jvmArgsAppend "${props[*]}" \
      -prof gc -prof dev.coffer.bench.ProcessCpuProfiler -rf json -rff "$json" >>"$log" 2>&1
  done
}

first="${FIRST:-1}"
for ((r = first; r < first + rounds; r++)); do
  if ((r % 2 == 1)); then
    run_version "$r" old "$old"
    run_version "$r" new "$new"
  else
    run_version "$r" new "$new"
    run_version "$r" old "$old"
  fi
done
echo "== $(date -u +%H:%M:%S) done; log: $log" | tee -a "$log"
