#!/usr/bin/env bash
# The one test command: builds the solution and runs every test project.
# Installs what the tests need when it is missing; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is required (dotnet not found on PATH)" >&2
  exit 2
fi

dotnet build Pacer.slnx -c Release -warnaserror --nologo -v quiet

status=0
for project in tests/*/*.csproj; do
  echo "== $(basename "$project" .csproj)"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=minimal" || status=1
done

if [ "$status" -ne 0 ]; then
  echo "test.sh: some tests failed" >&2
fi
exit "$status"
