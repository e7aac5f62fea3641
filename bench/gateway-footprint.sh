#!/usr/bin/env bash
# Gateway footprint harness (docs/benchmarks.md): cold start to first check-in, RSS, and the
# coordinator's swap time per security bundle, against a backend on loopback.
# usage: bench/gateway-footprint.sh [runs]      (default 5; results also in target/gateway-footprint.md)
# Builds first (Maven), then measures the distribution archive (dist/target/gantry-gateway-*.tar.gz)
# unpacked, without Maven running. Set SKIP_BUILD=1 to reuse a build. BASELINE_ARCHIVE=path/to/an
# older gantry-gateway-*.tar.gz measures that one too, in the same run, alternating.
# BENCH_OPTS="-Dgantry.bench.swaps=false -Dgantry.bench.settleSeconds=5" passes harness settings (GatewayFootprintBench).
# NMT=1 adds -XX:NativeMemoryTracking=summary and writes target/gateway-footprint-nmt-*.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
cp_file="$root/integration-tests/target/bench-classpath.txt"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  flock /tmp/gantry-mvn.lock mvn -B -q -pl integration-tests,dist -am package -DskipTests -DskipITs
  flock /tmp/gantry-mvn.lock mvn -B -q -pl integration-tests dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
unpack() { # archive folder: unpack an archive and print the distribution's directory
  rm -rf "$2" && mkdir -p "$2" && tar -xzf "$1" -C "$2" && echo "$2"/gantry-gateway-*
}
mkdir -p target
dists="this-build=$(unpack "$(ls "$root"/dist/target/gantry-gateway-*.tar.gz)" "$root/target/bench-dist/this-build")"
if [[ -n "${BASELINE_ARCHIVE:-}" ]]; then
  dists="baseline=$(unpack "$BASELINE_ARCHIVE" "$root/target/bench-dist/baseline"),$dists"
fi
exec java ${BENCH_OPTS:-} -Dgantry.bench.dists="$dists" -Dgantry.source.root="$root" -Dgantry.bench.nmt="${NMT:+true}" \
  -cp "$root/integration-tests/target/test-classes:$(cat "$cp_file")" io.gantry.it.GatewayFootprintBench "$runs"
