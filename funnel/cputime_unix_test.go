//go:build unix

package funnel

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used, all
// threads included (so the garbage collector's work counts).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
