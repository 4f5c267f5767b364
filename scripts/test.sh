#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests on SQLite and — when TEST_DATABASE_URL
# points at a PostgreSQL server — on PostgreSQL too (each test gets a fresh database there).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "=================================================================================="
  echo " PostgreSQL tests are SKIPPED: TEST_DATABASE_URL is not set."
  echo " To run them:  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $0"
  echo "=================================================================================="
else
  echo "PostgreSQL tests run against ${TEST_DATABASE_URL%%\?*}"
fi

cargo test --all-targets "$@"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "Reminder: the *::postgres tests above were skipped (no TEST_DATABASE_URL)."
fi
