// Package sla keeps the score of the service-level agreement between
// marketing and sales, exactly and in business time.
//
// # Calendars and business time
//
// A [Calendar] is plain data (JSON): an IANA time zone, weekly shifts
// ("09:00-12:30", "13:30-18:00"; "00:00-24:00" for a whole day; a shift
// that ends before it starts runs overnight and belongs to the day it
// starts), holidays and date overrides. [CompileCalendar] validates it
// and compiles it once into a [Schedule], which answers
// [Schedule.WorkingTime], [Schedule.Deadline], [Schedule.IsOpen] and
// [Schedule.NextOpen] at a cost that does not grow with the span: whole
// days are summed in closed form (whole weeks times the weekly hours,
// plus holidays, overrides and daylight-saving corrections found by
// binary search), only the dates at the ends are built shift by shift.
//
// Where business-time libraries disagree, this package chooses:
//   - wall-clock shifts per local date, elapsed durations (a 00:00-24:00
//     day on the autumn change holds 25 hours); a shift boundary in a
//     daylight-saving gap moves forward to the first valid instant, an
//     ambiguous one takes its first occurrence;
//   - shifts are half-open: open at the opening instant, closed at the
//     closing one; WorkingTime counts [from, to) and is negative when to
//     is before from;
//   - Deadline(from, d) is the earliest instant t with WorkingTime(from,
//     t) = d, so a deadline landing exactly at a closing time is that
//     closing time; a negative d goes backwards symmetrically;
//   - the calendar is closed outside 1950-2200 UTC, which keeps every
//     search bounded and every duration exact;
//   - a calendar whose week holds no working time is an error,
//     [ErrNoWorkingTime], never an endless search.
//
// The zone database is the standard library's (time.LoadLocation, read
// once at compile time). Hosts that run without a system zoneinfo should
// import time/tzdata in their main package; the library leaves that
// choice to them. Country holiday lists are data: convert any source's
// dates to [Holiday] values (see the example).
//
// # Policies and compliance
//
// An [Agreement] holds the calendar and the [Policy] list: response
// (first sales touch after entering a stage), attempts (N touches within
// a window), acceptance (accepted or rejected with a reason within a
// time), volume (N leads entering a stage per week, month or quarter)
// and quality (a share of the handed-off leads accepted). A policy may be
// restricted to a segment by an expression over the lead in the scoring
// rule language. [Compile] validates everything (every problem, with its
// path) and compiles it once into a [Checker].
//
// [Checker.Check] gives one lead its [Status] under each per-lead
// policy: met, breached, pending or at risk, with the clock start, the
// deadline, when it was met and how late. A [Compliance] accumulator
// (Add, Merge, Report) builds the [Report]: per policy, per owner and per
// team, the counts, the compliance rate met / (met + breached) as a
// kpi.Ratio (pending leads excluded, undefined when nothing is decided),
// the median time to meet the promise in the policy's clock, the breach
// list sorted by lateness, and the volume and quality periods.
//
// Time is an argument: every status is computed as of a time the caller
// passes, and events after it are invisible. The package never reads the
// clock.
//
// # Zero values and concurrency
//
// The zero Calendar and the zero Agreement are not valid (no working
// time; no policies). Schedule and Checker are immutable and safe for
// concurrent use. A Compliance is not: give each goroutine its own and
// Merge them; merging any split in any order gives the identical report,
// and its exported state round-trips through encoding/json (decode into
// an accumulator made by [Checker.NewCompliance]).
package sla
