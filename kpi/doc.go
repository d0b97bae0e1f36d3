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
// zero and their source. Attribution ([Attribution.Credits]) splits a
// deal's amount over its touches so that the credits add up to the amount
// to the cent.
//
// # Web figures
//
// A [Visits] record is one row of a web analytics export: the sessions of
// a period and segment (channel, [Medium], landing page), with their
// GA4 engagement ([Engagement]: engaged sessions and engagement time)
// when the export measures it; never one row per visitor. From them each
// scorecard row's [Web] section gives the sessions by medium ([Traffic]),
// the bounce and engagement rates ([BounceRate], [EngagementRate]: GA4's
// definitions, over the measured sessions), the average engagement time
// per session ([AverageEngagementTime]) and the organic and paid shares
// of traffic ([OrganicTrafficShare], [PaidTrafficShare]). With the
// landing page as a dimension ([ByLandingPage]) a row's TrafficToLead is
// the page's traffic→lead ([LandingPageConversionRate]), and
// [Report.ContentGaps] lists the pages that bring visits but few leads.
//
// # The scorecard
//
// The scorecard follows leadkit's analysis contract:
//
//	kpi.Config (data, JSON, Validate, ParseConfig)
//	   -> kpi.Compile -> *kpi.Meter (immutable, Fingerprint)
//	   -> meter.NewScorecard(asOf) -> *kpi.Scorecard
//	   -> AddLead / AddDeal / AddSpend / AddVisits / AddCustomer, Merge, Report
//
// A [Config] says how to cut time (period length and zone), how to
// segment (each [Dimension] a field path), which stages of the host's
// funnel are MQL, SQL and customer ([Stages]), the cohort window and the
// gross margin. A [Scorecard] reports every KPI per period and segment
// as of one instant: events after it are invisible and records after it
// are counted as skipped (see [Scorecard]). Its state holds sums, counts
// and bounded duration histograms per period and segment, never records,
// so its memory grows with periods × segments, not with the number of
// records; any split of the records merged in any order gives the
// identical [Report]. Its JSON describes itself (format version,
// definition, fingerprint, as-of): json.Unmarshal into a zero Scorecard
// gives one that adds, merges and reports. [Compute] is the batch form
// for records in memory; it refuses duplicate ids.
//
// # Segments
//
// A record's segment under a dimension is, in this order:
//
//  1. Keys[dimension name], if the record's Keys map has that entry;
//  2. otherwise what its own fields give for the dimension's key: a
//     lead's value for the key ([lead.Key.Of]); spend's Channel for
//     "source.channel" and Campaign for "source.campaign"; visits'
//     Channel for "source.channel" and LandingPage for
//     "source.landing_page"; a deal's Owner for "owner" and
//     Product for [KeyProduct]; a customer has none;
//  3. otherwise none: the record counts in the totals but in no segment
//     of that dimension.
//
// A deal does not know its lead's channel or campaign. A host that joins
// deals to their leads attaches the lead's keys to the deal,
// deal.Keys = meter.KeysOf(lead) ([Meter.KeysOf]), and likewise to a
// customer, so that revenue, win rates, CAC and ROAS come out per channel
// with no lookup map in the host. When deals and leads arrive on
// different shards (a Beam pipeline, say), join them by lead id first (a
// CoGroupByKey on Deal.LeadID and Lead.ID), set each deal's Keys from its
// lead there, and only then Add the deals (and the leads) to scorecards,
// which then merge freely. Whether marketing sourced or influenced a deal
// is data as well: [Deal.MarketingSourced] and [Deal.MarketingInfluenced],
// set by the host at the same join.
//
// A dimension's Func is an escape hatch for a lead segment no key can
// name; it makes the state non-portable: [Scorecard.MarshalJSON] then
// returns an error. Prefer a key on a custom field the host fills
// ("fields.persona", [ByPersona]).
//
// Money is [github.com/shopspring/decimal.Decimal] throughout; float64 is
// offered only for charts ([Ratio.Float64]). Durations are summarized by
// [github.com/leadkit/leadkit.DurationSummary]: exact up to 128 values,
// within 0.5% beyond. The package does no I/O and never reads the clock.
//
// # Zero values and nil
//
// The zero [Ratio] is 0/0, undefined. The zero [Config] is a monthly
// scorecard in UTC on the standard lifecycle with no segments. The zero
// [Scorecard] is empty and unusable until state is decoded into it: its
// methods return an error. Methods on a nil *Scorecard return an error
// (AsOf and Fingerprint return zero values); a nil *Meter makes
// scorecards of the zero Config. Adding a nil record is an error.
//
// # Concurrency
//
// Formula and attribution functions are pure and safe for concurrent
// use. A [Meter] is immutable and safe for concurrent use. A [Scorecard]
// is not safe for concurrent mutation: give each goroutine its own and
// [Scorecard.Merge] them, which is what the accumulator design is for.
// [Scorecard.Report] only reads and may run concurrently with other
// Report calls.
package kpi
