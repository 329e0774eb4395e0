#!/usr/bin/env bash
# Prints the path of a libgomp.so.1 taken from Debian 12's libgomp1 package, for the Functions app to ship
# (functions/Serverless.Functions.csproj, LibGompPath). Debian 12 is the base of the public dotnet-isolated Functions
# images (glibc 2.36); the runner's own copy (Ubuntu 24.04, GCC 14) may need a newer glibc than the Functions image has,
# which tests/Serverless.Functions.Tests (OpenMpShippingTests) would reject. Needs Docker (GitHub's Ubuntu runners have it).
set -euo pipefail
out="${1:-$PWD/.tools/libgomp}"
mkdir -p "$out"
docker run --rm --platform linux/amd64 -v "$out:/out" debian:bookworm-slim sh -c \
  'apt-get update -qq && apt-get install -y -qq --no-install-recommends libgomp1 && cp -L /usr/lib/x86_64-linux-gnu/libgomp.so.1 /out/ && chmod 644 /out/libgomp.so.1' >&2
# Only the path goes to stdout (the workflows capture it).
test -s "$out/libgomp.so.1"
echo "$out/libgomp.so.1"
