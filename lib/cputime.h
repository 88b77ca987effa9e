/* CPU time of the whole process, for the rates that benchmarks and --stats
 * report beside wall-clock time (fair on a loaded machine). */
#ifndef WT_CPUTIME_H
#define WT_CPUTIME_H

/* User + system CPU seconds this process has used so far, all threads. */
double wt_cpu_seconds(void);

#endif
