#!/bin/sh
# 1-D exact OT side by side in one session: ours (OneDimensionalInstances --time), then POT (onedim_pot.py), on the
# same .npy instances. Run from the repository root after `mvn -B -o -pl benchmarks -am package -DskipTests`:
#   sh benchmarks/compare/onedim.sh [out-directory] [n ...]
set -e
dir=$(realpath -m "${1:-out/onedim}")
[ $# -gt 0 ] && shift
sizes=${*:-10000 100000 1000000}
jar=$(realpath benchmarks/target/benchmarks.jar)
script=$(realpath benchmarks/compare/onedim_pot.py)
date -u
java -version 2>&1 | head -1
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}"
uptime
java -cp "$jar" org.measureflow.benchmarks.OneDimensionalInstances "$dir" --time $sizes
uptime
cd /  # the folder ot/ in the repository root would shadow the POT package
/usr/bin/python3 "$script" "$dir" --sizes $sizes
uptime
