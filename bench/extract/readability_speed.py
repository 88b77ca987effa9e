"""Pages per second of readability-lxml (Debian python3-readability) over a
folder of <id>.html.gz pages, in process: Document(html).summary(), each run
a pass over all pages repeated for >= SECONDS; one warm-up run, then RUNS
timed runs, one line per run. The pages are decompressed and decoded (UTF-8,
invalid bytes replaced) before the clock starts, as `extract speed` reads
them into memory first."""
import glob
import gzip
import sys
import time

from readability import Document

folder, seconds, runs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
pages = [gzip.open(f).read().decode("utf-8", "replace")
         for f in sorted(glob.glob(folder + "/*.html.gz"))]
for run in range(runs + 1):
    done, t0, c0 = 0, time.monotonic(), time.process_time()
    while time.monotonic() - t0 < seconds:
        for p in pages:
            try:
                Document(p).summary()
            except Exception:  # readability raises on some empty pages
                pass
            done += 1
    el, cpu = time.monotonic() - t0, time.process_time() - c0
    if run:
        print("readability-lxml threads=1 pages=%d seconds=%.2f pages_per_s=%.1f cpu_seconds=%.2f "
              "pages_per_cpu_s=%.1f" % (done, el, done / el, cpu, done / cpu), flush=True)
