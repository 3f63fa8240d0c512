#!/bin/sh
# Training throughput side by side in one session (issue 19): the JMH FlowMatchingThroughputBenchmark (pairs/s,
# 2 hidden layers of width 64 and 256) on both cores and on one (-XX:ActiveProcessorCount=1: the chunks run serially),
# then training_torch.py with 2 and with 1 thread (float64 and float32), with `uptime` between the runs. Run from the repository root after
# `mvn -B -o package -pl benchmarks -am -DskipTests -Dmaven.javadoc.skip=true`:
#   sh benchmarks/compare/training.sh [benchmarks.jar ...]
# Several jars (e.g. a build before and after a change) are timed one after the other.
set -e
jars=${*:-benchmarks/target/benchmarks.jar}
script=$(realpath benchmarks/compare/training_torch.py)
date -u
java -version 2>&1 | head -1
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}"
for jar in $jars; do
    uptime
    echo "== $jar"
    java -jar "$jar" FlowMatchingThroughputBenchmark 2>&1 | grep -E "^(Benchmark|FlowMatchingThroughput)"
    uptime
    echo "== $jar, one core"
    java -jar "$jar" FlowMatchingThroughputBenchmark -jvmArgsAppend "-Xmx2g -XX:ActiveProcessorCount=1" 2>&1 \
        | grep -E "^(Benchmark|FlowMatchingThroughput)"
done
for threads in 2 1; do
    uptime
    /usr/bin/python3 "$script" --threads "$threads"
done
uptime
