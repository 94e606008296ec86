#!/usr/bin/env bash
# Starts a throwaway clickhouse-server for tests and benchmarks: installs
# Debian's package if missing (idempotent), writes a config into DIR, listens
# on 127.0.0.1 only, on a free port, and prints "PID HTTP_PORT" once the server
# answers. Stop it with `kill PID`; remove DIR afterwards.
#   scripts/clickhouse-test-server.sh DIR
# Exits 77 when clickhouse-server cannot be installed (callers skip).
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

installed() { command -v clickhouse-server >/dev/null || [ -x /usr/sbin/clickhouse-server ]; }
if ! installed; then
  # Tests start servers in parallel: one installs, the others wait for it
  # (two apt-gets at once fail on dpkg's lock).
  exec 9>/tmp/proctrace-clickhouse-install.lock
  flock 9
  if ! installed; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends clickhouse-server; } >"$dir/install.log" 2>&1 \
      || { echo "clickhouse-server could not be installed (see $dir/install.log)" >&2; exit 77; }
  fi
  exec 9>&-
fi
server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
http_port=$(free_port)
tcp_port=$(free_port)

mkdir -p "$dir/data" "$dir/tmp" "$dir/log"
cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
XML
cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML

"$server" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  if curl -sf "http://127.0.0.1:$http_port/ping" >/dev/null 2>&1; then
    echo "$pid $http_port"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
echo "clickhouse-server did not start; log:" >&2
tail -20 "$dir/log/stdout.log" "$dir/log/error.log" >&2 2>/dev/null || true
exit 1
