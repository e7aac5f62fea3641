#!/usr/bin/env bash
# Gateway footprint harness (docs/benchmarks.md): cold start to first check-in, RSS, and the
# coordinator's swap time per security bundle, against a backend on loopback.
# usage: bench/gateway-footprint.sh [runs]      (default 5; results also in target/gateway-footprint.md)
# Builds first (Maven), then measures without Maven running. Set SKIP_BUILD=1 to reuse a build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
cp_file="$root/integration-tests/target/bench-classpath.txt"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -pl integration-tests -am package -DskipTests -DskipITs \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
mkdir -p target
exec java -Dgantry.gateway.dist="$root/edge-runtime/target/gateway" -Dgantry.source.root="$root" \
  -cp "$root/integration-tests/target/test-classes:$(cat "$cp_file")" io.gantry.it.GatewayFootprintBench "$runs"
