// Package kpi holds the exact key performance indicators marketing and
// sales share: one definition of each number, computed the same way for
// both teams.
//
// [Ratio] keeps a numerator and a denominator as decimals, so a rate is
// exact, re-aggregates correctly (sum numerators and denominators, never
// average percentages) and is undefined, not 0 or NaN, when its
// denominator is zero ([ErrUndefined]).
//
// The formula functions ([CostPerLead], [CustomerAcquisitionCost],
// [WinRate], [SalesCycleLength], [LifetimeValue], [PipelineVelocity], ...)
// each document their formula, the variant chosen, their behaviour at
// zero and their source. Attribution ([Attribution.Credits]) splits a deal's amount
// over its touches so that the credits add up to the amount to the cent.
// [Scorecard] is the mergeable accumulator that computes every KPI per
// period (day, ISO week, month, quarter, year, in a time zone) and per
// segment ([Dimension]: channel, campaign, owner, product, persona, or
// the caller's own key) from spend, visits, leads, deals and customers.
// Its state holds sums per period and segment, not records, so its memory
// grows with periods × segments (and the number of distinct durations at
// the configured resolution), and any split of the records merged in any
// order gives the identical [Report].
//
// Money is [github.com/shopspring/decimal.Decimal] throughout; float64 is
// offered only for charts ([Ratio.Float64]). The package does no I/O and
// never reads the clock.
//
// # Zero values
//
// The zero [Ratio] is 0/0, undefined. The zero [Scorecard] is a usable
// monthly scorecard in UTC with no segments. A zero [DurationSummary] has
// no values and undefined median and mean.
//
// # Concurrency
//
// Formula and attribution functions are pure and safe for concurrent use.
// A [Scorecard] is not safe for concurrent mutation: give each goroutine
// its own and [Scorecard.Merge] them, which is what the accumulator design
// is for. [Scorecard.Report] only reads and may run concurrently with
// other Report calls.
package kpi
