#!/usr/bin/env bash
# Scaling of `morsim sweep` across MPI ranks and threads (MPI build): one fixed sweep run as
# ranks x threads = 1x1, 1x2, 2x1 (and any extra configurations given), the best of R runs each;
# prints scenarios/s, speed-up over 1x1 and parallel efficiency (speed-up / cores used), and
# checks that every file's data equals the 1x1 file (h5diff). CPU s is user + system time of
# the whole job (mpirun and ranks): on a shared machine wall time depends on the load, CPU time
# shows the overhead of the MPI version (start-up, collective rounds).
# Usage: benchmarks/bench_mpi_sweep.sh [BIN] [R] [extra "ranksxthreads" ...]
#   BIN default build-mpi/bin/morsim; R default 3. Env: N_TIME, N_AMOUNT (grid size, default
#   40 x 300 = 12000 scenarios), MPIEXEC (default mpirun).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build-mpi/bin/morsim}
reps=${2:-3}
shift $(( $# > 2 ? 2 : $# )) || true
configs=(1x1 1x2 2x1 "$@")
mpiexec=${MPIEXEC:-mpirun}
nt=${N_TIME:-40}
na=${N_AMOUNT:-300}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/bench.toml" <<TOML
[sweep]
base = "$root/configs/sweeps/surmountability-base.toml"
arm = "depot"
window = "48 h"
[challenge]
formulation = "heroin-iv"
amount = "25 mg"
time = "1 d"
[[parameter]]
path = "challenge.time"
range = { from = "1 d", to = "40 d", n = $nt }
[[parameter]]
path = "challenge.amount"
range = { from = "1 mg", to = "500 mg", n = $na, scale = "log" }
[[metric]]
kind = "peak_agonist_occupancy"
[[metric]]
kind = "agonist_auc"
[[metric]]
kind = "time_above"
level = 0.5
TOML
n=$((nt * na))
echo "morsim sweep, $n scenarios, best of $reps; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %9s %8s %12s %9s %11s %s\n' "ranks x" "wall (s)" "CPU (s)" "scenarios/s" "speed-up" \
  "efficiency" "file = 1x1"
base=""
for c in "${configs[@]}"; do
  ranks=${c%x*}
  threads=${c#*x}
  best=""
  cpu=""
  for ((r = 0; r < reps; r++)); do
    out="$work/$c.h5"
    rm -f "$out"
    cmd=("$bin" sweep "$work/bench.toml" -o "$out" --threads "$threads" -q)
    ((ranks > 1)) && cmd=("$mpiexec" --oversubscribe -np "$ranks" "${cmd[@]}")
    /usr/bin/time -f "%e %U %S" -o "$work/time" "${cmd[@]}"
    read -r t u s < "$work/time"
    if [ -z "$best" ] || (($(echo "$t < $best" | bc -l))); then
      best=$t
      cpu=$(echo "$u + $s" | bc -l)
    fi
  done
  [ -z "$base" ] && base=$best
  same="-"
  if [ "$c" != 1x1 ]; then
    if h5diff -q "$work/1x1.h5" "$work/$c.h5" >/dev/null 2>&1; then same=yes; else same=NO; fi
  fi
  cores=$((ranks * threads))
  printf '%-8s %9.2f %8.2f %12.0f %9.2f %11.2f %s\n' "$c" "$best" "$cpu" "$(echo "$n / $best" | bc -l)" \
    "$(echo "$base / $best" | bc -l)" "$(echo "$base / $best / $cores" | bc -l)" "$same"
done
