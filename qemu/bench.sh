#!/usr/bin/env bash
# Benchmarks the qemu module on this host (TCG): exec -> QMP ready, exec -> guest init, QEMU RSS
# of a booted 512 MiB guest. Needs the guest kernel from scripts/build-guest (or $VCJ_TEST_KERNEL).
# Runs one QEMU at a time; not part of `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
# one reactor run, so the classpath names vc-core's freshly compiled classes; qemu is built last
mvn -B -q -o -pl qemu -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
exec "$JAVA_HOME/bin/java" -cp "qemu/target/test-classes:qemu/target/classes:$(cat "$classpath")" io.vcj.qemu.QemuBench
