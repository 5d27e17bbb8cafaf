#!/usr/bin/env bash
# One web host and two worker processes on one PostgreSQL database, on this machine, as they run when scaled out:
#   bash deploy/scale-out-local.sh [WORKERS]        (default 2; Ctrl+C stops everything)
# Starts a throwaway PostgreSQL (tests/postgres.sh; installs Debian's package if missing), builds once, then runs the web
# host (embedded Entra ID/Graph sandbox, demo data, no Hangfire server) and the workers (the Hangfire servers), all on
# the one database and Hangfire storage. The workers trust the sandbox's certificate through the file the web host's
# sandbox writes. Open http://localhost:5080; /ops/jobs (persona `operator`) lists every worker's servers.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-2}
source tests/postgres.sh
run=$(mktemp -d /tmp/dpor-scale-out.XXXXXX)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  postgres_stop
  rm -rf "$run"
}
trap stop EXIT
trap 'exit 130' INT TERM

postgres_start
"$POSTGRES_BIN/psql" "host=127.0.0.1 port=$POSTGRES_PORT user=postgres dbname=postgres" -q -c "CREATE DATABASE dporreports"
dotnet build src/DporReports.Web -c Release -nologo -v q
dotnet build src/DporReports.Worker -c Release -nologo -v q

export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export Database__Provider=PostgreSql
export Database__ConnectionString="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Database=dporreports"
export Hangfire__Storage=PostgreSql
export Sandbox__CertificateFile="$run/sandbox.pem"
# Written files in one place for all hosts: workers write workbooks and mail, the web host serves the downloads.
export ReportFiles__Folder="$run/reports" Mail__PickupFolder="$run/mail"

# The built hosts themselves (not `dotnet run`), so stopping them here reaches the processes that run the jobs.
(cd src/DporReports.Web && ASPNETCORE_URLS=http://localhost:5080 Hangfire__Server__Enabled=false exec bin/Release/net10.0/DporReports.Web) \
  > "$run/web.log" 2>&1 &
pids+=($!)
echo "== web host starting (log: $run/web.log)"
for _ in $(seq 1 120); do [ -f "$Sandbox__CertificateFile" ] && break; sleep 1; done
for i in $(seq 1 "$workers"); do
  (cd src/DporReports.Worker && exec bin/Release/net10.0/DporReports.Worker) > "$run/worker-$i.log" 2>&1 &
  pids+=($!)
  echo "== worker $i started (log: $run/worker-$i.log)"
done
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/5080) 2>/dev/null && break; sleep 1; done
echo "== ready: http://localhost:5080 (sign in as adatum-admin, operator, contoso-admin, ...); mail in $run/mail; Ctrl+C stops"
wait -n "${pids[@]}"
echo "== a host stopped; see the logs above"
