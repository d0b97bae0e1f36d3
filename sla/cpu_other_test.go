//go:build !unix

package sla

// processCPU is not measured on this platform: the cpu-ns/lead metric
// reads 0.
func processCPU() int64 { return 0 }
