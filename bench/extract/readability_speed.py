"""Pages per second of readability-lxml (Debian python3-readability) over
the benchmark's pages: Document(html).summary() repeated for >= SECONDS.
The pages are decompressed and decoded before the clock starts."""
import glob
import gzip
import sys
import time

from readability import Document

folder, seconds = sys.argv[1], float(sys.argv[2])
pages = [gzip.open(f).read().decode("utf-8", "replace")
         for f in sorted(glob.glob(folder + "/*.html.gz"))]
done, t0, c0 = 0, time.monotonic(), time.process_time()
while time.monotonic() - t0 < seconds:
    for p in pages:
        Document(p).summary()
        done += 1
el, cpu = time.monotonic() - t0, time.process_time() - c0
print("readability-lxml threads=1 pages=%d seconds=%.2f pages_per_s=%.1f cpu_seconds=%.2f "
      "pages_per_cpu_s=%.1f" % (done, el, done / el, cpu, done / cpu))
