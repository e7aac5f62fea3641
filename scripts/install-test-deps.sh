#!/usr/bin/env bash
# Installs what the tests need and a fresh machine may lack. Idempotent; uses apt-get only for
# packages that are missing, so a machine that has everything is left untouched (and silent).
set -euo pipefail
need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v openssl >/dev/null || need+=(openssl)
# curl: the EST interop test posts an openssl-made CSR with it (EstOpensslCurlTest).
command -v curl >/dev/null || need+=(curl)
# SoftHSM2: the PKCS#11 token behind the keystore and signing-key tests (docs/keys.md). The tests
# load the module from /usr/lib/softhsm/libsofthsm2.so and create tokens with softhsm2-util.
if ! command -v softhsm2-util >/dev/null || [[ ! -e /usr/lib/softhsm/libsofthsm2.so ]]; then
  need+=(softhsm2)
fi
# swupdate (Debian's build, with the hawkBit DDI client "suricatta") and cpio: the stock-client
# test (SwupdateSuricattaTest) installs a CMS-signed .swu through the backend with the real binary.
command -v swupdate >/dev/null || need+=(swupdate)
command -v cpio >/dev/null || need+=(cpio)
# jq and unzip: docs/release-format.md verifies a release with them, and DocCommandsTest runs it.
command -v jq >/dev/null || need+=(jq)
command -v unzip >/dev/null || need+=(unzip)
# nginx with its njs module: the download offload test (OffloadNginxTest) serves artifacts through
# the documented configuration (docs/offload), which checks the signed links' HMAC in njs.
[[ -x /usr/sbin/nginx ]] || need+=(nginx)
[[ -e /usr/lib/nginx/modules/ngx_http_js_module.so ]] || need+=(libnginx-mod-http-js)
# PostgreSQL server binaries: the backend's tests run a second time against a real PostgreSQL that
# io.gantry.testing.TestPostgres starts from /usr/lib/postgresql/<major>/bin (as root, as the postgres user).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
# Mosquitto and its clients: the external-broker tests (MosquittoBrokerTest, ExternalBrokerPushTest,
# MosquittoPushIT) run the documented
# configuration (docs/mqtt.md) with the test PKI's certificates, ACL and CRL.
[[ -x /usr/sbin/mosquitto ]] || need+=(mosquitto)
command -v mosquitto_sub >/dev/null || need+=(mosquitto-clients)
# Chromium and its WebDriver: the console's browser test (ConsoleBrowserTest) drives Debian's chromium
# headless through chromium-driver with Selenium; certutil and pk12util (libnss3-tools) put the operator
# certificate into the browser's NSS database; unshare (util-linux) gives chromium a private policy folder.
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
command -v pk12util >/dev/null || need+=(libnss3-tools)
command -v unshare >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
