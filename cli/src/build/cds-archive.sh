#!/usr/bin/env bash
# Builds the backend's class-data archive at build time (docs/backend-api.md, "JVM options and class
# data sharing"), so that `./gantry backend` maps it from its very first start: a training start of
# `gantry backend` on free ports, in a throw-away folder, records the classes the JVM loads until the
# backend is ready; the JVM then dumps them into cli/target/cds/backend.jsa against exactly the class
# path the launcher uses. Nothing here can fail the build: without an archive the launcher records one
# at its first starts, as before. Usage: cds-archive.sh <repository root> <cli jar file name>
set -uo pipefail
cd "$1" || exit 0
cli_jar="cli/target/$2"
cp="$cli_jar:cli/target/lib/*"
dir=cli/target/cds
list="$dir/classes.lst" archive="$dir/backend.jsa"
work="$(mktemp -d)"
backend= locked=
cleanup() {
  [[ -n "$backend" ]] && kill "$backend" 2>/dev/null && wait "$backend" 2>/dev/null
  [[ -n "$locked" ]] && rmdir "$dir/dumping" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
skip() { echo "cds-archive: no class-data archive built ($1); 'gantry backend' records one at its first starts"; exit 0; }
gantry() {
  java -cp "$cp" io.gantry.cli.GantryCli "$@" >>"$work/setup.log" 2>&1 || { cat "$work/setup.log"; skip "'gantry $1 $2' failed"; }
}

[[ -f "$cli_jar" && -d cli/target/lib ]] || skip "no $cli_jar"
mkdir -p "$dir" || skip "cannot create $dir"
# The launcher builds archives too (after a start that recorded a list): wait for one in progress.
for _ in $(seq 1 120); do mkdir "$dir/dumping" 2>/dev/null && locked=1 && break; sleep 1; done
[[ -n "$locked" ]] || skip "another archive build holds $dir/dumping"
rm -f "$list" "$archive" "$archive.tmp"

# The setup a first start needs: a PKI and a threshold-signed trust root (docs/backend-api.md, "From the shell").
gantry pki init --dir "$work/pki" --revocation-url http://127.0.0.1:18080
for k in root-1 root-2 alice bob; do gantry key create --dir "$work/keys" --name "$k"; done
gantry trust-root create --out "$work/trust/trust-root.json" --key root-1="$work/keys/root-1.pub.pem" \
  --key root-2="$work/keys/root-2.pub.pem" --key alice="$work/keys/alice.pub.pem" --key bob="$work/keys/bob.pub.pem" \
  --root 2:root-1,root-2 --releases 1:2:alice,bob
for k in root-1 root-2; do gantry trust-root sign --key "$work/keys/$k.p12" "$work/trust/trust-root.json"; done

# The training start: the launcher's JVM options, every listener on a free port, stopped once ready.
java -XX:+UseSerialGC -Xms64m -Xmx160m -Xmn24m -XX:DumpLoadedClassList="$list" -cp "$cp" io.gantry.cli.GantryCli \
  backend --data "$work/data" --pki "$work/pki" --trust-root "$work/trust/trust-root.json" --port 0 \
  --revocation-port 0 --health-port 0 --mqtt-port 0 >"$work/backend.log" 2>&1 &
backend=$!
for _ in $(seq 1 120); do
  grep -q '^backend listening on' "$work/backend.log" && break
  kill -0 "$backend" 2>/dev/null || { cat "$work/backend.log"; skip "the training start ended early"; }
  sleep 1
done
grep -q '^backend listening on' "$work/backend.log" || skip "the training start was not ready within 120 s"
kill "$backend"; wait "$backend" 2>/dev/null; backend=
grep -q '^org/glassfish/jersey/servlet/ServletContainer$' "$list" || skip "the class list is incomplete"

java -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive.tmp" -cp "$cp" >"$dir/dump.log" 2>&1 \
  || skip "the JVM could not dump the archive: see $dir/dump.log"
mv -f "$archive.tmp" "$archive" || skip "cannot write $archive"
echo "cds-archive: $archive built from $(wc -l <"$list") classes ($(du -m "$archive" | cut -f1) MiB)"
