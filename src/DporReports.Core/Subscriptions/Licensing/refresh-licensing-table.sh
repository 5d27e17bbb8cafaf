#!/usr/bin/env bash
# Replaces the shipped licensing table with Microsoft's current "Product names and service plan identifiers for
# licensing" (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference, "Download the CSV")
# and regenerates sku-decisions.tsv, so the diff shows every SKU whose family or workloads changed. Needs a network.
# Review the diff, then commit both files. A plan family the product has not decided on fails WorkloadPlansTests.
set -euo pipefail
cd "$(dirname "$0")"
url=${LICENSING_CSV_URL:-https://download.microsoft.com/download/e/3/e/e3e9faf2-f28b-490a-9ada-c6089a1fc5b0/Product%20names%20and%20service%20plan%20identifiers%20for%20licensing.csv}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
curl -fsSL "$url" -o "$tmp"
head -c 200 "$tmp" | grep -q "Product_Display_Name" || { echo "not the licensing table: $url"; exit 1; }
cp "$tmp" product-names-and-service-plans.csv
cd ../../../..
dotnet build tests/DporReports.UnitTests -c Release -nologo -v quiet
DPOR_UPDATE_SNAPSHOTS=1 dotnet test tests/DporReports.UnitTests -c Release --no-build -nologo --filter "FullyQualifiedName~SkuDecisionsTests|FullyQualifiedName~WorkloadPlansTests|FullyQualifiedName~LicensingTableTests"
git --no-pager diff --stat -- src/DporReports.Core/Subscriptions/Licensing/
