// Package funnel is the shared map of the lead lifecycle and the tools to
// measure and plan it.
//
// A [Funnel] is an ordered list of stages, each owned by a team
// (marketing owns the top, sales the bottom), the handoff point between
// them, and the exits through which leads leave (recycled,
// disqualified), optionally with the agreed exit reasons. [Standard]
// returns the demand waterfall and [HubSpot] a HubSpot-style lifecycle;
// hosts may define their own (it is plain data with JSON tags), load it
// strictly with [ParseFunnel] and check it with [Funnel.Validate], which
// reports every problem with its path. [Funnel.Ladder] gives the stage
// names in order, for siblings such as kpi's scorecard that must not
// import this package.
//
// # Analysis: the v1 analysis contract
//
// Measuring a funnel follows the shape every leadkit analysis shares:
//
//	Definition (data, JSON, Validate, ParseDefinition)
//	  -> Compile -> *Analyzer              immutable, concurrent, Fingerprint
//	  -> analyzer.NewAnalysis(asOf) -> *Analysis
//	  -> Add(lead) / Merge(other) / Report() (Report, error)
//
// A [Definition] holds the funnel and how leads are grouped and counted:
// cohort period, zone, conversion window, strict chains, a segment key
// (a lead field path such as "source.channel", not a Go func, so the
// state describes itself) and the findings cap. [Compile] checks it and
// returns an [Analyzer]. An [Analysis] made by [Analyzer.NewAnalysis]
// sees the funnel as it was at its as-of time: transitions after it are
// invisible, leads created after it are counted as not yet created. It
// reports per stage the leads that reached it and the next one,
// conversion and drop-off rates (exact [kpi.Ratio] values), exits by
// reason (the feedback sales gives marketing), the time to the next stage
// (a [leadkit.DurationSummary]) and the leads still in it; overall, per
// cohort period and per segment; plus the data-quality problems it met,
// with lead ids. Accumulators merge ([Analysis.Merge]) in any order and
// encode to self-describing JSON ([Analysis.MarshalJSON]) that decodes
// into a zero Analysis, ready to Add, Merge and Report. [Analyze] wraps
// it all for a slice of leads. The rules for skipped stages, windows,
// as-of times, re-entries and exits are in the [Analysis] doc.
//
// [Plan] runs the funnel backwards: from a revenue target to the number
// of leads needed at each stage, by when, and the marketing budget.
// [RatesFrom] and [StageTimesFrom] feed it a report's figures.
//
// The package is not a CRM: it stores nothing, reads no files (except
// the zone database, through time.LoadLocation, for a named zone), and
// never reads the clock; the as-of time is an argument.
//
// # Errors
//
// [Funnel.Validate], [Definition.Validate], [ParseDefinition],
// [ParseFunnel] and [Plan] report every problem at once, joined with
// errors.Join; each is a *[leadkit.Error] with the JSON path of the field
// (and, for the parsers, the line and column where the decoder knows
// them), which a host reaches with errors.As.
//
// # Zero values
//
// The zero [Funnel] is invalid (no stages). In a [Definition] every
// other zero field is the default: no cohorts, UTC, no window, implied
// skips, no segments, [DefaultMaxFindings] findings kept. The zero
// [Analysis] has no definition: its methods return errors until it is
// decoded from JSON. A zero as-of time means no cut. An undefined figure
// (a conversion rate of a stage that no lead reached, the median time of
// a stage with no timed lead) is an undefined [kpi.Ratio] or a nil
// duration, never 0. Nil pointers (a nil lead, a nil analysis to merge,
// a nil receiver) are errors, never panics.
//
// # Memory
//
// An analysis's state grows with cohorts × segments × stages, never with
// the number of leads: counts are constant per cell, the times to the
// next stage are kept exactly up to 128 per stage and cell and in a
// histogram of at most 4368 counters beyond (percentiles then within
// 0.5%, the mean and count stay exact), and the findings list is capped
// by [Definition.MaxFindings] while their counts by kind stay exact. In
// memory, Add also batches up to 4096 durations (32 KB) per stage and
// cell before moving them into the histogram, for speed; the batch is
// never larger than 8 bytes per timed lead, and not part of the state. On
// the sample generator's data an analysis by month and channel encodes
// to about 0.9 MB of JSON at 100k leads and grows more and more slowly
// from there as its histograms fill.
//
// # Concurrency
//
// Funnel, Definition, Report and the plan types are plain data, safe to
// share for reading. An [Analyzer] is immutable and safe for concurrent
// use; [Analyze] and [Plan] may be called from any number of goroutines.
// An [Analysis] is not safe for concurrent use: give each goroutine its
// own from the same Analyzer and [Analysis.Merge] them
// (TestConcurrentAnalyze checks this under the race detector).
package funnel
