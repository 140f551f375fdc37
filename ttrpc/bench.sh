#!/bin/sh
# Unary ttrpc round trips over a Unix socket: throughput (16 callers) and one-caller latency.
# Usage: ttrpc/bench.sh [-Dcallers=16] [-Dseconds=10] [-Dsamples=50000]   (about 40 s)
set -eu
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q -o -pl ttrpc test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd ttrpc
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED "$@" \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" io.vcj.ttrpc.bench.UnaryBenchmark
