#!/usr/bin/env bash
# Builds the solution once and runs every test project, and the integration tests also on a real PostgreSQL (a
# throwaway cluster, tests/postgres.sh) and, when DPOR_TEST_SQLSERVER holds a connection string, on SQL Server.
# Installs and starts what the tests need by itself. The last line is always "N passed, N failed" (", N skipped" when
# some are), summed over every pass, so a run that executed no test can never look green.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/postgres.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Dozens of test hosts and worker processes run at once: configuration files are never edited during a run, so no host
# watches them (each watcher holds one of the user's 128 inotify instances; running out kills a worker at start-up), and
# any other file watcher polls instead.
export DOTNET_hostBuilder__reloadConfigOnChange=false DOTNET_USE_POLLING_FILE_WATCHER=true
configuration=Release
out=$(mktemp -d)
# An interrupted run ends the test runs it started (by their recorded ids) before stopping PostgreSQL under them.
stop_launched() {
  local pidfile pid
  for pidfile in "$out"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then pkill -TERM -P "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; fi
  done
}
trap 'stop_launched; postgres_stop; rm -rf "$out"' EXIT

# Browser tests drive Debian's Chromium (never a downloaded browser build).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (Debian package) for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq > "$out/apt.log" 2>&1 || true
  if ! DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >> "$out/apt.log" 2>&1; then
    tail -n 20 "$out/apt.log"
    echo "could not install chromium"
  fi
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

echo "== build ($configuration)"
if ! dotnet build DporReports.sln -c "$configuration" -nologo -v quiet 2>&1 | tail -n 30 > "$out/build.log"; then :; fi
if ! grep -q "Build succeeded" "$out/build.log"; then
  cat "$out/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0; timings=()
# launch_tests LABEL PROJECT [VAR=value ...]: starts one test run in the background (its log, exit code and seconds
# under $out); collect_tests LABEL waits for it and adds its counts to the totals.
launch_tests() {
  local label=$1 project=$2; shift 2
  (
    started=$SECONDS
    env "$@" dotnet test "$project" -c "$configuration" --no-build -nologo --logger "console;verbosity=minimal" > "$out/$label.log" 2>&1
    echo $? > "$out/$label.code"
    echo $((SECONDS - started)) > "$out/$label.seconds"
  ) &
  echo $! > "$out/$label.pid"
}

collect_tests() {
  local label=$1 log="$out/$1.log"
  wait "$(cat "$out/$label.pid")" 2>/dev/null
  echo "== $label"
  timings+=("$label $(cat "$out/$label.seconds" 2>/dev/null || echo '?') s")
  local code; code=$(cat "$out/$label.code" 2>/dev/null || echo 1)
  grep -E '^\s*(Failed|Skipped) ' "$log" | head -n 50
  local summary; summary=$(grep -E '(Passed|Failed)!\s+- Failed:' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    tail -n 60 "$log"
    echo "$label: no test summary (the test host did not finish)"
    failed=$((failed + 1)); status=1; return
  fi
  echo "$summary"
  local f p s
  f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<< "$summary")
  p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<< "$summary")
  s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<< "$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$code" -ne 0 ] || [ "$f" -ne 0 ]; then
    grep -E -A 25 '^\s*Failed ' "$log" | head -n 200
    status=1
  fi
}

integration=tests/DporReports.IntegrationTests/DporReports.IntegrationTests.csproj
postgres_pass="DporReports.IntegrationTests (PostgreSql)"
postgres_start || { echo "PostgreSQL pass: could not start a PostgreSQL server"; failed=$((failed + 1)); status=1; postgres_pass=""; }

for project in $(find tests -name '*Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  if [ "$project" = "$integration" ]; then
    name="$name (Sqlite)"
    # The integration tests again on PostgreSQL, the tested server database (its own tests, ServerDatabaseTests, run
    # there), beside the SQLite pass: the suite mostly waits on its hosts. The browser tests (timing-sensitive
    # Chromium) have run alone before.
    [ -n "$postgres_pass" ] && launch_tests "$postgres_pass" "$integration" DPOR_TEST_PROVIDER=PostgreSql DPOR_TEST_POSTGRES="$DPOR_TEST_POSTGRES"
  fi
  launch_tests "$name" "$project" DPOR_TEST_PROVIDER=Sqlite
  collect_tests "$name"
done
if [ -n "$postgres_pass" ]; then collect_tests "$postgres_pass"; fi
postgres_stop

if [ -n "${DPOR_TEST_SQLSERVER:-}" ]; then
  launch_tests "DporReports.IntegrationTests (SqlServer)" "$integration" DPOR_TEST_PROVIDER=SqlServer DPOR_TEST_SQLSERVER="$DPOR_TEST_SQLSERVER"
  collect_tests "DporReports.IntegrationTests (SqlServer)"
else
  echo "== SQL Server pass skipped: DPOR_TEST_SQLSERVER is not set (a connection string to a server where tests may create databases)"
fi

# The API contract (the document the host serves, checked in and kept equal to it by ApiContractTests): linted with
# Redocly's recommended rules (npm @redocly/cli, fetched by npx on first use), and the Kiota client under Api/Client must be
# exactly what the pinned Kiota (.config/dotnet-tools.json) generates from it. Each check is one test: passed or failed.
contract=tests/DporReports.IntegrationTests/Api/openapi.json
contract_check() {
  local label=$1; shift
  local started=$SECONDS
  echo "== $label"
  if "$@" > "$out/$label.log" 2>&1; then
    passed=$((passed + 1)); tail -n 3 "$out/$label.log"
  else
    failed=$((failed + 1)); status=1; tail -n 60 "$out/$label.log"; echo "$label: failed"
  fi
  timings+=("$label $((SECONDS - started)) s")
}
lint_contract() { npx --yes @redocly/cli@2.77.0 lint --config redocly.yaml --format stylish "$contract"; }
client_is_generated() {
  local generated="$out/kiota"
  export KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false KIOTA_CLI_TELEMETRY_OPTOUT=true
  dotnet tool restore > /dev/null &&
  dotnet kiota generate --language CSharp --openapi "$contract" --output "$generated" \
    --namespace-name DporReports.IntegrationTests.Api.Client --class-name DporApiClient \
    --exclude-backward-compatible --clean-output --log-level Error &&
  # The lock names the description's path relative to where it was written; everything else must be identical.
  diff -r -x kiota-lock.json -x .kiota.log "$generated" tests/DporReports.IntegrationTests/Api/Client &&
  echo "the client under Api/Client is what Kiota generates from the contract"
}
contract_check "API contract lint (Redocly recommended)" lint_contract
contract_check "API client (Kiota) generated from the contract" client_is_generated

echo "== suite time"
printf '   %s\n' "${timings[@]}"
if [ "$passed" -eq 0 ]; then status=1; fi
line="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
echo "$line"
exit $status
