#!/usr/bin/env bash
# Builds the EF Core migration bundle of each server provider: one self-contained executable per provider that applies
# that provider's migrations (src/DporReports.Core/Data/Migrations/{SqlServer,PostgreSql}) to the database named by
# --connection, and does nothing when the database is up to date.
#   bash deploy/bundle-migrations.sh OUTDIR [SqlServer|PostgreSql ...]      (default: both)
# Writes OUTDIR/efbundle-sqlserver and OUTDIR/efbundle-postgresql (framework-dependent: they need the ASP.NET Core
# runtime, as the hosts do). No database server is needed to build them: the design-time factories
# (Data/DesignTimeDbContextFactory.cs) build each provider's model without connecting. SQLite has no bundle: the embedded
# default applies its migrations at start (Database:MigrateAtStartup).
set -euo pipefail
out=${1:?usage: bundle-migrations.sh OUTDIR [SqlServer|PostgreSql ...]}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
providers=("$@")
[ ${#providers[@]} -eq 0 ] && providers=(SqlServer PostgreSql)

dotnet tool restore > /dev/null                 # dotnet-ef, pinned in .config/dotnet-tools.json
dotnet restore src/DporReports.Core > /dev/null # `ef migrations bundle` reads the project's assets before it builds
for provider in "${providers[@]}"; do
  case "${provider,,}" in
    sqlserver) context=SqlServerDporDbContext; name=efbundle-sqlserver ;;
    postgresql) context=PostgreSqlDporDbContext; name=efbundle-postgresql ;;
    *) echo "unknown provider '$provider' (SqlServer or PostgreSql; SQLite migrates at start)" >&2; exit 2 ;;
  esac
  echo "== $provider: $out/$name"
  dotnet ef migrations bundle --project src/DporReports.Core --startup-project src/DporReports.Core \
    --context "$context" --configuration Release --output "$out/$name" --force
done
