package leadkit

// DurationSummary summarizes a set of durations: how many, their median,
// 90th percentile and mean. It is the one duration summary of every
// leadkit report.
//
// When Count is zero the figures are undefined: Median, P90 and Mean are
// nil (JSON null), never 0. Percentiles use linear interpolation between
// closest ranks (numpy's default, Excel's PERCENTILE.INC). The mean is
// exact, rounded to the nanosecond. The percentiles are exact while the
// set is small, and come from a bounded histogram beyond that:
// RelativeError then says how far they may be from the exact figures.
type DurationSummary struct {
	// Count is the number of durations summarized.
	Count int64 `json:"count"`
	// Median is the 0.5 percentile; nil when Count is zero.
	Median *Duration `json:"median"`
	// P90 is the 0.9 percentile; nil when Count is zero.
	P90 *Duration `json:"p90"`
	// Mean is the arithmetic mean; nil when Count is zero.
	Mean *Duration `json:"mean"`
	// RelativeError bounds the relative error of Median and P90: 0 when
	// they are exact.
	RelativeError float64 `json:"relative_error,omitempty"`
}
