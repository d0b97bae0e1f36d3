// Package stats holds the numeric helpers that several leadkit packages
// share, so that a median means the same thing everywhere.
package stats

import "math"

// Number is the set of element types Percentile accepts.
type Number interface {
	~int | ~int32 | ~int64 | ~float32 | ~float64
}

// Percentile returns the p-th quantile (0 ≤ p ≤ 1) of sorted, which must be
// sorted in ascending order, by linear interpolation between closest ranks:
// with n values the quantile sits at rank h = (n−1)·p and is
// x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). This is numpy's default method and
// Excel's PERCENTILE.INC. It returns false for an empty slice or a p
// outside [0, 1] (NaN included).
func Percentile[T Number](sorted []T, p float64) (float64, bool) {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return 0, false
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return float64(sorted[n-1]), true
	}
	frac := h - float64(lo)
	a, b := float64(sorted[lo]), float64(sorted[lo+1])
	return a + frac*(b-a), true
}
