#!/usr/bin/env bash
# Builds the solution once and runs every test project. Installs and starts what the tests need by itself.
# The last line is always "N passed, N failed" (", N skipped" when some are), so a run that executed no test
# can never look green.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=Release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

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

passed=0; failed=0; skipped=0; status=0
projects=$(find tests -name '*Tests.csproj' | sort)
for project in $projects; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  log="$out/$name.log"
  dotnet test "$project" -c "$configuration" --no-build -nologo --logger "console;verbosity=minimal" > "$log" 2>&1
  code=$?
  grep -E '^\s*(Failed|Skipped) ' "$log" | head -n 50
  summary=$(grep -E '(Passed|Failed)!\s+- Failed:' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    tail -n 60 "$log"
    echo "$name: no test summary (the test host did not finish)"
    failed=$((failed + 1)); status=1; continue
  fi
  echo "$summary"
  f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<< "$summary")
  p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<< "$summary")
  s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<< "$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$code" -ne 0 ] || [ "$f" -ne 0 ]; then
    grep -E -A 25 '^\s*Failed ' "$log" | head -n 200
    status=1
  fi
done

if [ "$passed" -eq 0 ]; then status=1; fi
line="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
echo "$line"
exit $status
