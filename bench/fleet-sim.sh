#!/usr/bin/env bash
# Fleet simulator (docs/benchmarks.md, "Fleet simulator"): builds the simulator and what it needs,
# copies the build to a private folder (other builds may replace target/ or ~/.m2 meanwhile), then
# runs io.gantry.simulator.FleetSimulator with the given options, e.g.
#   bench/fleet-sim.sh --gateways 50 --iterations 5 --seconds 10
# `bench/fleet-sim.sh plan [options]` runs io.gantry.simulator.RolloutPlanningBench instead.
# Set GANTRY_SIM_SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
if [[ "${GANTRY_SIM_SKIP_BUILD:-}" != 1 ]]; then
  flock /tmp/gantry-mvn.lock mvn -B -q install -pl simulator -am -DskipTests -DskipITs
fi
run="$(mktemp -d /tmp/gantry-fleet-sim.XXXXXX)"
cp -r simulator/target/lib "$run/lib"
cp simulator/target/gantry-simulator-*.jar "$run/lib/"
main=io.gantry.simulator.FleetSimulator
if [[ "${1:-}" == plan ]]; then
  shift
  main=io.gantry.simulator.RolloutPlanningBench
fi
exec java ${SIM_JAVA_OPTS:--Xmx1g} -cp "$run/lib/*" "$main" --work "$run/work" "$@"
