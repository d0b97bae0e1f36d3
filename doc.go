// Package leadkit holds the few types that every leadkit analysis shares,
// so that a reader who has learned one package already knows the next:
//
//   - [Duration], the one JSON form of a duration in every definition
//     ("30d", "36h", "1d12h", "90m");
//   - [Period], the one calendar period (day, ISO week, month, quarter,
//     year) that scorecards, funnel cohorts and SLA volume policies cut
//     time into;
//   - [Zone], the one form of a time zone: an IANA name as data;
//   - [DurationSummary], the one summary of a set of durations (count,
//     median, p90, mean), undefined when empty, never 0;
//   - [Error], the one positioned error (path, line, column, cause) that
//     every Validate and the rule compiler return, reachable with
//     [errors.As].
//
// The analyses themselves live in the packages kpi, funnel, sla and
// scoring; the vocabulary of leads lives in package lead. Every analysis
// follows one contract, described in the README: a definition (plain data
// with Validate) is compiled into an immutable, concurrency-safe object
// with a Fingerprint, which makes accumulators as of one instant; an
// accumulator has Add, Merge and Report() (R, error), and its JSON state
// describes itself, so json.Unmarshal into a zero value yields a working
// accumulator.
//
// The package does no I/O and keeps no state. Its zero values are
// documented with each type.
package leadkit
