//go:build unix

package sla

import "syscall"

// processCPU returns the CPU time the process has used (user and
// system, GC workers included), in nanoseconds: on a shared machine it
// is steadier than wall time.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
