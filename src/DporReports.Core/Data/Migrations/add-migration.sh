#!/usr/bin/env bash
# Adds migration NAME for every provider from the one model, each into its own folder and namespace:
#   bash src/DporReports.Core/Data/Migrations/add-migration.sh NAME [Sqlite|PostgreSql|SqlServer ...]
# No database server is needed: the design-time factories build each provider's model without connecting.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
name=${1:?usage: add-migration.sh NAME [provider ...]}
shift
providers=("$@")
[ ${#providers[@]} -eq 0 ] && providers=(Sqlite PostgreSql SqlServer)
dotnet tool restore > /dev/null
for provider in "${providers[@]}"; do
  case "$provider" in
    Sqlite) context=DporDbContext ;;
    PostgreSql) context=PostgreSqlDporDbContext ;;
    SqlServer) context=SqlServerDporDbContext ;;
    *) echo "unknown provider $provider (Sqlite, PostgreSql or SqlServer)"; exit 2 ;;
  esac
  echo "== $provider"
  dotnet ef migrations add "$name" --project src/DporReports.Core --startup-project src/DporReports.Core \
    --context "$context" --output-dir "Data/Migrations/$provider" --namespace "DporReports.Core.Data.Migrations.$provider"
done
