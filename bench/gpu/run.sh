#!/bin/bash
# On the GPU machine (the device tool; bench/gpu/prepare.sh first, carry .gpu): the built command line
# on WebGPU (Dawn) against WASM on 1,000 VWW JPEGs and 10,000 doodles, with 16 cores and pinned to 2,
# and --backend auto's choice; then WebGPU's and WASM's reports compared. ~5 minutes (PLAN picks runs).
set -u
T0=$(date +%s); OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
el() { echo $(( $(date +%s) - T0 )); }
echo "== host: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"; nvidia-smi -L 2>&1 | head -2
for f in .gpu/*.deb; do dpkg -x "$f" /; done; ldconfig
unxz_to() { xz -dc "$1" > "$2" 2>/dev/null || python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'))" "$1" "$2"; }
unxz_to .gpu/node.xz /tmp/node && chmod +x /tmp/node; unxz_to .gpu/dawn.node.xz /tmp/dawn.node
N=/tmp/node; export DAWN_NODE=/tmp/dawn.node XDG_RUNTIME_DIR=/tmp
echo "== node $($N -v) at $(el) s"
$N .gpu/dist/make-data.mjs; echo "== data at $(el) s"; ls -la bench/.data
CLI=.gpu/dist/cli.mjs
V="--dataset bench/.data/vww-1000.zip --model tests/fixtures/keras-h5-mlperf-vww-mobilenetv1/vww_96.h5 --scaling 0..1 --split all"
D="--dataset bench/.data/doodles-10000.zip --model tests/fixtures/keras-h5-doodlenet/doodleNet-model.h5 --model tests/fixtures/keras-h5-doodlenet/class_names.txt --split all"
run() { # label, max elapsed to start, prefix..., -- args (PLAN="label …": only those)
  local label=$1 until=$2; shift 2
  if [ -n "${PLAN:-}" ] && [[ " $PLAN " != *" $label "* ]]; then return; fi
  if [ "$(el)" -gt "$until" ]; then echo "== $label: skipped (at $(el) s)"; return; fi
  local pre=(); while [ "$1" != "--" ]; do pre+=("$1"); shift; done; shift
  local s=$(date +%s%N)
  timeout 100 "${pre[@]}" $N $CLI "$@" --out-directory /tmp/o-$label > /tmp/log-$label 2> /tmp/err-$label
  local rc=$? ms=$(( ($(date +%s%N) - s) / 1000000 ))
  echo "== $label: rc=$rc wall $ms ms (at $(el) s)"; grep -E "Backend|Explaining|Done|skipped|gradcam" /tmp/log-$label | cut -c1-400
  grep -v -E "^  \[?[0-9#]" /tmp/err-$label | head -5 | cut -c1-300
}
run vww-auto16 ${UNTIL:-300} env -- $V --backend auto --jobs 16
run dood-auto16 ${UNTIL:-300} env -- $D --backend auto --jobs 16
run vww-gpu16 ${UNTIL:-300} env -- $V --backend webgpu --jobs 16
run dood-gpu16 ${UNTIL:-300} env -- $D --backend webgpu --jobs 16
run vww-wasm1c2 ${UNTIL:-300} taskset -c 0,1 -- $V --jobs 1
run dood-wasm1c2 ${UNTIL:-300} taskset -c 0,1 -- $D --jobs 1
run vww-auto2c ${UNTIL:-300} taskset -c 0,1 -- $V --backend auto --jobs 2
run vww-wasm2c ${UNTIL:-300} taskset -c 0,1 -- $V --jobs 2
run dood-auto2c ${UNTIL:-300} taskset -c 0,1 -- $D --backend auto --jobs 2
run dood-wasm2c ${UNTIL:-300} taskset -c 0,1 -- $D --jobs 2
# the same predictions and confidences on WebGPU and WASM
python3 - <<'PY'
import csv, io, zipfile
for s in ['vww', 'dood']:
    try:
        rows = lambda b: list(csv.DictReader(io.TextIOWrapper(zipfile.ZipFile(f'/tmp/o-{s}-{b}/deploy.zip').open('report.csv'))))
        a = rows('gpu16'); b = {r['file']: r for r in rows('auto16')}
    except Exception as e:
        print(s, 'no reports', e); continue
    diff = sum(1 for r in a if r['predicted_label'] != b[r['file']]['predicted_label'])
    conf = max(abs(float(r['confidence']) - float(b[r['file']]['confidence'])) for r in a)
    print(f'== {s}: webgpu vs auto16 over {len(a)} images: {diff} predicted labels differ, max confidence difference {conf:.2e}')
PY
cp /tmp/log-* "$OUT/" 2>/dev/null; echo "== total $(el) s"
