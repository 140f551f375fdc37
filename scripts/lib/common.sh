# Shared by vcj's scripts: finds a JDK >= 25, installs Debian packages on demand.
# Sourced, not run.

VCJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*" >&2; }

# Picks JAVA_HOME: the caller's if it is >= 25, else Temurin 25 where this kind of machine has it.
use_jdk25() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        if [ "$(java_feature_version "$candidate")" -ge 25 ] 2>/dev/null; then
            export JAVA_HOME=$candidate PATH=$candidate/bin:$PATH
            return 0
        fi
    done
    die "vcj needs a JDK >= 25 (tried JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/temurin-25-jdk-amd64); install Temurin 25 and set JAVA_HOME"
}

java_feature_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

# Maven itself runs on the JDK above; its bundled guava trips Java 25's Unsafe warning otherwise.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# Installs the Debian packages that are missing; a no-op when all are there.
need_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)"
    say "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# What vcj runs on a host: containerd and runc, QEMU, and the tools the guest builder uses.
RUNTIME_PACKAGES=(containerd runc qemu-system-x86 qemu-utils busybox-static cpio e2fsprogs zstd
                  containernetworking-plugins iproute2)

# containerd's clients look for CNI plugins in /opt/cni/bin (`ctr run --cni` cannot be told
# otherwise); Debian's containernetworking-plugins installs them to /usr/lib/cni. Links each
# plugin that /opt/cni/bin lacks; plugins already there stay.
link_cni_plugins() {
    local plugin
    [ -d /usr/lib/cni ] || die "/usr/lib/cni is missing: install containernetworking-plugins"
    mkdir -p /opt/cni/bin
    for plugin in /usr/lib/cni/*; do
        [ -e "/opt/cni/bin/${plugin##*/}" ] || ln -s "$plugin" "/opt/cni/bin/${plugin##*/}"
    done
}
