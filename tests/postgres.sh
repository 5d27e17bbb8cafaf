#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: temp folder, loopback only, a free port, trust authentication (nothing
# but this machine can reach it, and it lives for one run), durability off (speed; the data is thrown away).
#   source tests/postgres.sh; postgres_start; ...; postgres_stop   (exports DPOR_TEST_POSTGRES)
#   bash tests/postgres.sh COMMAND...                            (runs COMMAND with the cluster up, then stops it)
# Installs Debian's postgresql package when no server binaries are found (sudo when not root).

postgres_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

postgres_install() {
  postgres_bin > /dev/null && return 0
  echo "== installing postgresql (Debian package) for the PostgreSQL test pass"
  local sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  local log; log=$(mktemp)
  $sudo_cmd apt-get update -qq > "$log" 2>&1 || true
  # The package's own cluster is not wanted: only the binaries.
  if ! DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >> "$log" 2>&1; then
    tail -n 20 "$log"; rm -f "$log"
    echo "could not install postgresql"
    return 1
  fi
  rm -f "$log"
  postgres_bin > /dev/null
}

# Runs a command as the cluster's owner: PostgreSQL refuses to run as root.
postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$POSTGRES_OWNER" -- "$@"; else "$@"; fi
}

postgres_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

postgres_start() {
  postgres_install || return 1
  local bin; bin=$(postgres_bin) || return 1
  POSTGRES_OWNER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    POSTGRES_OWNER=postgres
    id -u postgres > /dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  POSTGRES_DIR=$(mktemp -d /tmp/dpor-pg.XXXXXX)
  chmod 755 "$POSTGRES_DIR"
  [ "$(id -u)" -eq 0 ] && chown "$POSTGRES_OWNER" "$POSTGRES_DIR"
  POSTGRES_PORT=$(postgres_free_port) || { echo "no free port for PostgreSQL"; return 1; }
  if ! postgres_as_owner "$bin/initdb" -D "$POSTGRES_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
      > "$POSTGRES_DIR/initdb.log" 2>&1; then
    cat "$POSTGRES_DIR/initdb.log"; echo "initdb failed"; return 1
  fi
  if ! postgres_as_owner "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k $POSTGRES_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start > /dev/null 2>&1; then
    tail -n 30 "$POSTGRES_DIR/server.log"; echo "PostgreSQL did not start"; return 1
  fi
  POSTGRES_BIN=$bin
  export DPOR_TEST_POSTGRES="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Database=postgres"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$POSTGRES_PORT ($POSTGRES_DIR)"
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  if [ -n "${POSTGRES_BIN:-}" ] && [ -f "$POSTGRES_DIR/data/postmaster.pid" ]; then
    postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate -w stop > /dev/null 2>&1 || true
  fi
  rm -rf "$POSTGRES_DIR"
  unset POSTGRES_DIR DPOR_TEST_POSTGRES
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  trap postgres_stop EXIT
  postgres_start || exit 1
  "$@"
fi
