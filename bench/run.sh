#!/usr/bin/env bash
# Runs Coffer's benchmarks and writes the report.
#
#   bench/run.sh quick    # ~10 minutes on 2 cores: 100k items, 1 fork, 1 warmup + 2 measurement iterations of 1 s
#   bench/run.sh full     # much longer: 1M items, the iteration counts in each class's annotations
#
# Extra arguments go to JMH, e.g. `bench/run.sh quick CipherBenchmark` to run one class only.
# Output, under bench/results/:
#   <profile>-<UTC date>.json   JMH's raw results (-rf json), with -prof gc (allocation per op)
#   <profile>-latest.md         ratio tables and targets, made by dev.coffer.bench.report.ReportGenerator
#   <profile>-*.png             charts (XChart)
# Set SKIP_BUILD=1 to reuse bench/target/benchmarks.jar.
set -euo pipefail

profile="${1:-quick}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

case "$profile" in
  quick)
    jmh_opts=(-f 1 -wi 1 -w 1 -i 2 -r 1 -p itemCount=100000 -p partitions=1000)
    ;;
  full)
    jmh_opts=(-p itemCount=1000000 -p partitions=10000)
    ;;
  *)
    echo "usage: bench/run.sh quick|full [JMH args...]" >&2
    exit 2
    ;;
esac

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -ntp -q package -pl bench -am -DskipTests
fi

mkdir -p bench/results
stamp="$(date -u +%Y%m%d-%H%M)"
json="bench/results/${profile}-${stamp}.json"

# Benchmarks to run: everything, unless the caller named some.
if [[ $# -gt 0 ]]; then
  selection=("$@")
else
  selection=()
fi

java -jar bench/target/benchmarks.jar "${selection[@]}" "${jmh_opts[@]}" \
  -prof gc -rf json -rff "$json" 2>&1 | tee "bench/results/${profile}-${stamp}.log" | grep -E '^(# Run progress|Benchmark|[A-Z][A-Za-z]+Benchmark\.)' || true

java -cp bench/target/benchmarks.jar dev.coffer.bench.report.ReportGenerator "$profile" bench/results "$json"
rm -f "bench/results/${profile}-${stamp}.log"
echo "raw results: $json"
