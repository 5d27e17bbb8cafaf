#!/usr/bin/env bash
# After a change to the JSON API: writes the contract the host serves (/openapi/v1.json) to
# tests/DporReports.IntegrationTests/Api/openapi.json and regenerates the Kiota C# client under Api/Client from it.
# Commit both; ApiContractTests fails while either is stale, and tests/run-all.sh lints the contract with Redocly.
set -euo pipefail
cd "$(dirname "$0")/.."
api=tests/DporReports.IntegrationTests/Api
dotnet build tests/DporReports.IntegrationTests -c Release -nologo -v quiet
DPOR_UPDATE_CONTRACT=1 dotnet test tests/DporReports.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~ApiContractTests.ServedDocument_IsTheCheckedInContract"
dotnet tool restore
dotnet kiota generate --language CSharp --openapi "$api/openapi.json" --output "$api/Client" \
  --namespace-name DporReports.IntegrationTests.Api.Client --class-name DporApiClient \
  --exclude-backward-compatible --clean-output --log-level Warning
dotnet build tests/DporReports.IntegrationTests -c Release -nologo -v quiet
