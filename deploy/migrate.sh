#!/usr/bin/env bash
# The deployment's schema step: run once per release, before web and worker start (deploy/compose.yaml runs it as the
# one-shot `migrate` service; elsewhere run the migrate image, or this script beside a worker, by hand or from CI/CD).
#   1. The EF Core migration bundle of Database:Provider applies the product's pending migrations (none: no change).
#   2. The worker host installs or upgrades Hangfire's schema ('hangfire') and exits (`--prepare-jobs-schema`).
# Both are idempotent. The hosts themselves run with Database:MigrateAtStartup=false and Hangfire:PrepareSchema=false, so
# their login needs no DDL rights; this step's login does (db_owner, or db_ddladmin plus data rights).
#
# Reads the same settings as the hosts, from the environment:
#   Database__Provider (SqlServer or PostgreSql), Database__ConnectionString,
#   Hangfire__Storage (SqlServer, PostgreSql or InMemory), Hangfire__ConnectionString (optional: default the database's).
# DPOR_MIGRATION_BUNDLES (default: ./migrations beside this script) and DPOR_WORKER_DLL (default:
# ./DporReports.Worker.dll beside it) say where the bundles and the worker are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundles=${DPOR_MIGRATION_BUNDLES:-$here/migrations}
worker=${DPOR_WORKER_DLL:-$here/DporReports.Worker.dll}

provider=${Database__Provider:-}
case "${provider,,}" in
  sqlserver) bundle=efbundle-sqlserver ;;
  postgresql) bundle=efbundle-postgresql ;;
  sqlite) echo "Database__Provider is Sqlite: the embedded default applies its migrations at start; nothing to do here." >&2; exit 2 ;;
  *) echo "Database__Provider must be SqlServer or PostgreSql (is '$provider')." >&2; exit 2 ;;
esac
if [ -z "${Database__ConnectionString:-}" ]; then
  echo "Database__ConnectionString is required." >&2; exit 2
fi
if [ ! -x "$bundles/$bundle" ]; then
  echo "No migration bundle at $bundles/$bundle: build it with deploy/bundle-migrations.sh (the migrate image has it)." >&2; exit 2
fi

echo "== database migrations ($provider)"
"$bundles/$bundle" --connection "$Database__ConnectionString"

storage=${Hangfire__Storage:-InMemory}
case "${storage,,}" in
  inmemory) echo "== Hangfire storage is InMemory: no schema to prepare" ;;
  sqlserver|postgresql)
    echo "== Hangfire schema ($storage)"
    dotnet "$worker" --prepare-jobs-schema ;;
  *) echo "Hangfire__Storage must be InMemory, SqlServer or PostgreSql (is '$storage')." >&2; exit 2 ;;
esac
echo "== schema step done"
