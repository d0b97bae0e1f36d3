// Package funnel is the shared map of the lead lifecycle and the tools to
// measure and plan it.
//
// A [Funnel] is an ordered list of stages, each owned by a team
// (marketing owns the top, sales the bottom), the handoff point between
// them, and the exits through which leads leave (recycled,
// disqualified), optionally with the agreed exit reasons. [Standard]
// returns the demand waterfall and [HubSpot] a HubSpot-style lifecycle;
// hosts may define their own (it is plain data with JSON tags) and check
// them with [Funnel.Validate], which reports every problem with its path.
//
// An [Analysis] measures a funnel over lead histories: per stage, the
// leads that reached it and the next one, conversion and drop-off rates
// (as exact [kpi.Ratio] values), exits by reason (the feedback sales
// gives marketing), time to the next stage (median, p90, mean) and the
// leads still in it; overall, per cohort period and per segment; plus
// the data-quality problems it met, with lead ids. It is a mergeable
// accumulator (Add, Merge, Report) whose state round-trips through JSON.
// [Analyze] wraps it for a slice of leads. The rules for skipped stages,
// windows, as-of times, re-entries and exits are in the [Analysis] doc.
//
// [Plan] runs the funnel backwards: from a revenue target to the number
// of leads needed at each stage, by when, and the marketing budget.
//
// The package is not a CRM: it stores nothing, reads no files, and never
// reads the clock; the as-of time is an argument.
//
// # Zero values
//
// The zero [Funnel] is invalid (no stages). The zero [Options] means no
// as-of cut, no cohorts, no window, implied skips, no segments and exact
// percentiles. The zero [Analysis] refuses leads; create one with
// [NewAnalysis]. An undefined figure (a conversion rate of a stage that
// no lead reached, the median time of a stage with no timed lead) is an
// undefined [kpi.Ratio] or a nil duration, never 0.
//
// # Memory
//
// Counts take constant memory per stage, cohort and segment. Exact
// percentiles ([TimingExact], the default) keep one 8-byte duration per
// lead and timed stage pair: at most 8 × (stages − 1) bytes per lead (40
// for [Standard]), stored in chunks that waste at most one partly filled
// chunk per stage, cohort and segment. On the sample generator's data a
// whole analysis by month and channel holds about 10 bytes per lead, so
// 1 GB per 100 million leads. [TimingHistogram] bounds the timing part
// by [HistogramBuckets] counts per stage, cohort and segment whatever the
// number of leads, with medians and p90s within [HistogramRelativeError]
// (0.5%) of the exact figures; the count and mean stay exact.
// Data-quality findings are kept one per problem; [Options.MaxFindings]
// caps them.
//
// # Concurrency
//
// Funnel, Report and the plan types are plain data, safe to share for
// reading; so is Options when its Segment function is safe for concurrent
// use. [Analyze] and [Plan] may be called from any number of goroutines.
// An [Analysis] is not safe for concurrent use: give each goroutine its
// own and [Analysis.Merge] them (TestConcurrentAnalyze checks this under
// the race detector).
package funnel
