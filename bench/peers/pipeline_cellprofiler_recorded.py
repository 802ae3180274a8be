# CellProfiler is not installed on the benchmark machine: this peer reports the RECORDED timing of CellProfiler
# running ../shared/data/reference/cellprofiler/synthetic16/pipeline.cppipe on the same 10 fields on the same
# machine (../shared/data/reference/cellprofiler/README.md: 1.38-1.47 s per field after ~2 s start-up, ~440 MB
# peak). median_ms is the midpoint, 1.425 s per field, times the number of fields given as the first argument.
import json
import sys

fields = int(sys.argv[1]) if len(sys.argv) > 1 else 1
print(json.dumps({"median_ms": 1425.0 * fields, "recorded": True, "per_field_ms": [1380, 1470], "peak_rss_mb": 440}))
