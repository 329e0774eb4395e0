#!/usr/bin/env bash
# MLP training benchmark, CUDA (ILGPU) vs plain C#, from a self-contained linux-x64 trainer publish.
#   bench/gpu/run.sh publish        # here: publish to bench/gpu/out (TrimMode=partial + CoreLib root, see NOTES)
#   bench/gpu/run.sh run [ROWS] [EPOCHS] [REPLICAS]   # on the GPU machine (or here, CPU only): default 1,000,000 rows,
#                                                     # 2 epochs, replicas 1, 2, 4 of one run (threads sharing the GPUs)
# Prints seconds per epoch for each device, the speedup and |Δ final validation loss|; then per replica count the
# seconds per epoch, the ratio to one replica and |Δ final loss| (in-memory exchange: the device machine has no
# storage emulator; blob round trips are measured by the data-parallel bench area).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out"

case "${1:-run}" in
  publish)
    dotnet publish "$root/containers/trainer/Serverless.Trainer.csproj" -c Release -r linux-x64 --self-contained true \
      -p:PublishTrimmed=true -p:InvariantGlobalization=true \
      -p:EnableTrimAnalyzer=false -p:SuppressTrimAnalysisWarnings=true -warnaserror -warnnotaserror:NU1603 -o "$out"
    du -sh "$out"
    ;;
  run)
    [ -x "$out/Serverless.Trainer" ] || { echo "run '$0 publish' first" >&2; exit 1; }
    nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi: CPU only"
    "$out/Serverless.Trainer" --bench "${2:-1000000}" "${3:-2}" "${4:-4}"
    ;;
  *) echo "usage: $0 publish | run [ROWS] [EPOCHS] [REPLICAS]" >&2; exit 2 ;;
esac
