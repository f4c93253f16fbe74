#!/usr/bin/env bash
# One prepared command for a machine with an OpenCL device (an NVIDIA GPU with its driver, or PoCL):
# the OpenCL differential checks against the interpreter, a 1024^3 GEMM, the encoder (batch 32,
# seq 128) and the cnn (batch 64) timed against the JVM backend, one summary table. Runs from prebuilt jars, no Maven and no
# network needed: build once with
#   ./mvnw -B -q -pl gpu -am package -DskipTests        (or with -Dlathe.buildDir=target-gpu)
# which leaves gpu/<buildDir>/lathe-gpu.jar and its dependencies in gpu/<buildDir>/lib, and carry
# that folder to the device machine with the working tree. Usage:
#   bench/gpu-check.sh [--device N] [--graphs N] [--runs N]
# Exit status 0 when every check passed. Budget: well under 8 minutes (the random graphs dominate).
# For a device machine without a JDK 25, `bench/gpu-check.sh --prepare` (here, with Maven) also links a
# small JRE (jlink, ~40 MB) into gpu/<buildDir>/jre, which this script then uses.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ "${1:-}" = "--prepare" ]; then
  build="${LATHE_BUILD_DIR:-target}"
  ./mvnw -B -q -Dlathe.buildDir="$build" -pl gpu -am package -DskipTests || exit 1
  rm -rf "gpu/$build/jre"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.incubator.vector,jdk.unsupported --strip-debug --no-header-files \
    --no-man-pages --compress=zip-9 --output "gpu/$build/jre" 2>/dev/null || exit 1
  strip --strip-unneeded "gpu/$build/jre/lib/server/libjvm.so" 2>/dev/null || true
  echo "prepared gpu/$build (lathe-gpu.jar, lib/, jre/): carry it and examples/*/*.safetensors to the device machine"
  exit 0
fi

# JOCL loads the unversioned libOpenCL.so (Debian: ocl-icd-opencl-dev). Install it when missing and apt works.
has_libopencl() { ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so ' || ls /usr/lib/x86_64-linux-gnu/libOpenCL.so /usr/lib64/libOpenCL.so /usr/lib/libOpenCL.so >/dev/null 2>&1; }
if ! has_libopencl; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "gpu-check: libOpenCL.so missing, trying apt-get install ocl-icd-libopencl1 ocl-icd-opencl-dev" >&2
    timeout 120 apt-get install -y -qq ocl-icd-libopencl1 ocl-icd-opencl-dev >/dev/null 2>&1 \
      || { timeout 60 apt-get update -qq >/dev/null 2>&1 && timeout 120 apt-get install -y -qq ocl-icd-libopencl1 ocl-icd-opencl-dev >/dev/null 2>&1; } \
      || echo "gpu-check: apt-get failed (no network?)" >&2
  fi
fi
if ! has_libopencl; then
  # Only the versioned loader (libOpenCL.so.1) may be present: point JOCL at it through a local symlink.
  so1=$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 /{print $NF; exit}')
  if [ -n "$so1" ]; then
    mkdir -p "${TMPDIR:-/tmp}/lathe-ocl" && ln -sf "$so1" "${TMPDIR:-/tmp}/lathe-ocl/libOpenCL.so"
    export LD_LIBRARY_PATH="${TMPDIR:-/tmp}/lathe-ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "gpu-check: using $so1 through ${TMPDIR:-/tmp}/lathe-ocl/libOpenCL.so" >&2
  fi
fi
# NVIDIA's ICD: the driver image may ship libnvidia-opencl.so.1 without the /etc/OpenCL/vendors entry.
if [ ! -e /etc/OpenCL/vendors/nvidia.icd ] && ldconfig -p 2>/dev/null | grep -q libnvidia-opencl.so.1; then
  if [ -w /etc ] || [ "$(id -u)" = 0 ]; then
    mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
  else
    mkdir -p "${TMPDIR:-/tmp}/lathe-ocl/vendors" && echo libnvidia-opencl.so.1 > "${TMPDIR:-/tmp}/lathe-ocl/vendors/nvidia.icd"
    export OCL_ICD_VENDORS="${TMPDIR:-/tmp}/lathe-ocl/vendors"
  fi
fi

dir=""
for d in gpu/target gpu/target-gpu gpu/target-*; do
  if [ -f "$d/lathe-gpu.jar" ] && [ -d "$d/lib" ]; then dir="$d"; break; fi
done
if [ -z "$dir" ]; then
  echo "gpu-check: no gpu/target*/lathe-gpu.jar with lib/: build first: ./mvnw -B -q -pl gpu -am package -DskipTests" >&2
  exit 2
fi
JAVA=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
elif command -v java >/dev/null && java -version 2>&1 | grep -q 'version "25'; then JAVA=java
elif [ -x "$dir/jre/bin/java" ]; then JAVA="$dir/jre/bin/java"
else echo "gpu-check: no JDK 25 (set JAVA_HOME, or carry $dir/jre made by bench/gpu-check.sh --prepare)" >&2; exit 2
fi
echo "gpu-check: running from $dir ($("$JAVA" -version 2>&1 | head -1))" >&2
exec timeout 470 "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g \
  -cp "$dir/lathe-gpu.jar:$dir/lib/*" dev.lathe.gpu.GpuCheck --root "$PWD" "$@"
