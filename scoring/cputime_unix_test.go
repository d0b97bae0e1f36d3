//go:build unix

package scoring_test

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used, or
// false where it cannot be read.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
