#!/bin/sh
# Renders the simulator fields that scripts/train/train_nuclei_unet.py adds to its training split (--sim): five
# 4-well plates of 512x512 fields at 8, 12 and 16 bits with nuclei of 80 to 450 pixels, no out-of-focus or
# saturated fields. Deterministic (fixed seeds). Usage: sh scripts/train/simulate_training_fields.sh OUT_DIR
set -e
out=${1:?usage: simulate_training_fields.sh OUT_DIR}
cd "$(dirname "$0")/../.."
# seed bit-depth nuclear-area cells-per-field
for cfg in "1 16 200 150" "2 12 120 150" "3 8 300 100" "4 16 80 150" "5 12 450 70"; do
  set -- $cfg
  node bin/phenoscope.js simulate --out "$out/sim$1" --wells A01-A04 --sites 1 --size 512 --seed "$1" \
    --bit-depth "$2" --nuclear-area "$3" --cells-per-field "$4" --out-of-focus 0 --saturated 0 --no-progress >/dev/null
done
echo "$out/sim1 $out/sim2 $out/sim3 $out/sim4 $out/sim5"
