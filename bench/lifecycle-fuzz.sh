#!/usr/bin/env bash
# The lifecycle fuzz tests (issue 13) with many seeds: the three services over RabbitMQ
# (tests/Dit.EndToEnd.Tests/LifecycleFuzzTests.cs) and notifications alone on SQLite and PostgreSQL
# (tests/Dit.Notifications.Tests/LifecycleFuzzTests.cs). Run `bash scripts/test.sh` once first (it installs
# RabbitMQ, PostgreSQL and the parsers).
#   bash bench/lifecycle-fuzz.sh [first-seed] [count]      e.g. bash bench/lifecycle-fuzz.sh 1 20
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:-1}
count=${2:-20}
logs=$(mktemp -d /tmp/dit-lifecycle-fuzz.XXXX)
dotnet build Dit.Scheduling.sln -v q -nologo >/dev/null
failed=()
started=$(date +%s)
for seed in $(seq "$first" $((first + count - 1))); do
  log="$logs/seed-$seed.log"
  if DIT_FUZZ_SEED=$seed dotnet test tests/Dit.EndToEnd.Tests --no-build --filter "FullyQualifiedName~LifecycleFuzzTests" >"$log" 2>&1 &&
     DIT_FUZZ_SEED=$seed dotnet test tests/Dit.Notifications.Tests --no-build --filter "FullyQualifiedName~LifecycleFuzzTests" >>"$log" 2>&1; then
    echo "seed $seed: passed"
  else
    echo "seed $seed: FAILED ($log)"
    failed+=("$seed")
  fi
done
echo "$count seeds from $first in $(( $(date +%s) - started )) s: ${#failed[@]} failed ${failed[*]:-}"
pkill -x epmd 2>/dev/null || true
[ ${#failed[@]} -eq 0 ]
