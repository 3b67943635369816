#!/usr/bin/env bash
# Rebuilds dist/ from the sources and fails when it differs from what is committed:
# the Action runs dist/index.js (and the chunks its import()s load), so a stale bundle would ship
# code that no test ran. New or deleted chunk files count as differences too.
set -euo pipefail
cd "$(dirname "$0")/.."

# Without git there is nothing to compare against: fail rather than pass silently.
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-dist: not a git checkout, cannot compare dist/ with the committed bundle" >&2
  exit 2
fi

npm run --silent bundle

status=$(git status --porcelain -- dist)
if [ -n "$status" ]; then
  echo "::error title=dist is out of date::dist/ differs from what 'npm run bundle' builds. Run 'npm run bundle' and commit dist/." >&2
  echo "Changed files in dist/:" >&2
  git status --porcelain -- dist >&2
  git --no-pager diff --stat -- dist >&2 || true
  exit 1
fi
echo "dist/ is up to date."
