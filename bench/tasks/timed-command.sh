#!/bin/bash
# Child task for the references that are programs (psql, mariadb): runs the command and prints
# the work report `measure.ts` reads, timing the command's whole life (its start-up and login
# included, as Sluice's side opens its own connection inside the timed call).
#
#   timed-command.sh [--stdout FILE] program [args...]
set -euo pipefail
output=
if [[ ${1:-} == --stdout ]]; then
  output=$2
  shift 2
fi
started=$(date +%s%N)
if [[ -n $output ]]; then
  "$@" >"$output"
else
  # Not `>/dev/stdout`: the parent's pipe is a socket, which cannot be reopened by path.
  "$@"
fi
ended=$(date +%s%N)
printf '\n{"ms":%d}\n' $(((ended - started) / 1000000))
