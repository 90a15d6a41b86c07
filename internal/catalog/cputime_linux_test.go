package catalog

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time the calling OS thread has used. A
// benchmark that locks its goroutine to its thread measures with it the
// work of one search without the time it waited for a core: on a shared
// 2-core machine the wall-clock percentiles are mostly other people's work.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
