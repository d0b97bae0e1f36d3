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
//   - the calendar is closed outside 1950-01-01 to 2200-01-01 UTC, which
//     keeps every search bounded and every duration exact; an instant
//     outside that range, given or to be returned, is an error wrapping
//     [ErrOutOfRange] (a deadline past 2200 is not "2200"), so no method
//     ever returns a clamped or sentinel instant;
//   - a calendar whose week holds no working time is an error,
//     [ErrNoWorkingTime], never an endless search.
//
// The zone database is the standard library's (time.LoadLocation, read
// once at compile time). Hosts that run without a system zoneinfo should
// import time/tzdata in their main package; the library leaves that
// choice to them. Holidays are data: [HolidayRule] values say the ones
// that come back every year (a fixed date, the nth weekday of a month, a
// day relative to Easter, moved off the weekend or not), so a calendar
// is right for any year; [Holiday] values list single dates (convert any
// source's list to them, see the example).
//
// # Policies and compliance
//
// An [Agreement] holds the calendar and the [Policy] list: response
// (first sales touch after entering a stage), attempts (N touches within
// a window), acceptance (accepted or rejected with a reason within a
// time), next_response (every inbound prospect activity of the chosen
// types, such as a demo request, followed by a touch within a time;
// each occurrence judged), periodic (while the lead is in the chosen
// stages, such as an open opportunity, no gap between touches longer
// than a time), volume (N leads entering a stage per week, month or
// quarter) and quality (a share of the handed-off leads accepted). It
// is plain data in the shared vocabulary: the zone is a [leadkit.Zone],
// durations are [leadkit.Duration] ("8h", "2d" in JSON), periods are
// [leadkit.Period]. [ParseAgreement] loads one from JSON strictly
// (unknown fields refused with their path); [Agreement.Validate] and
// [Compile] report every problem at once as *[leadkit.Error] values with
// their JSON paths, joined with errors.Join. A policy may be restricted
// to a segment by an expression in the scoring rule language, over the
// lead and, when the host supplies them ([Scores]), its fit,
// engagement, total and grade: sla does not import scoring.
//
// What real agreements between teams need besides:
//   - Pauses: a per-lead policy's PauseIn stages stop its clock (a lead
//     parked in nurture at the prospect's request). Working time and
//     deadlines skip the paused intervals exactly, in business or
//     calendar time, at a cost that grows with the number of pauses,
//     never with the span; [Result.Paused] shows the time skipped
//     beside [Result.Elapsed].
//   - Calendars per owner or team: [Agreement.Calendars] maps owners to
//     [TeamCalendar]s; a lead's business clock runs on its owner's
//     calendar, the default one otherwise (see [TeamCalendar] for
//     handoffs). Calendars take partial-day [Closure]s (24 December
//     from 13:00) beside holidays and overrides.
//   - Versions: policies sharing a name are versions, each with its
//     EffectiveFrom; a clock is judged by the version in force when it
//     started, each result names it ([Result.Version]), and the report
//     merges the versions of a name.
//   - Warnings: WarnBefore (time left) and WarnAt (share of the time
//     allowed elapsed) make a pending lead at risk;
//     [Checker.DueSoon] lists the leads that will breach within a given
//     working time, soonest first.
//   - An audit trail: [Checker.Check] gives each result its [Event]s —
//     start, pauses and resumes, deadline, the touch or decision that
//     kept the promise or the breach, with the version and calendar
//     applied.
//
// [Compile] gives an immutable [Checker] with a [Checker.Fingerprint]
// (the SHA-256 of the canonical agreement). [Checker.Check] gives one
// lead its [Result] under each per-lead policy: met, breached, pending
// or at risk, with the clock start, the deadline, when it was met, how
// late, and the trail.
//
// # The Compliance accumulator
//
// [Checker.NewCompliance] (asOf) makes a [Compliance] accumulator, the
// leadkit analysis contract's shape: Add (or AddScored) leads, Merge
// accumulators built on other shards, and Report. Events after asOf are
// invisible; leads created after it are counted as skipped. The
// [Report] gives, per policy name, per owner and per team, the counts
// (of leads; of occurrences for next_response), the
// compliance rate met / (met + breached) as a kpi.Ratio (pending leads
// excluded, undefined when nothing is decided), the time to keep the
// promise as a [leadkit.DurationSummary] (exact up to 128 leads, within
// 0.5% beyond; undefined when empty), the latest breaches (at most
// [Agreement.MaxBreaches], default 100, with the true count in
// Breached), and the volume and quality periods.
//
// The accumulator is opaque and its memory is bounded: it never grows
// with the number of leads (under 1 MB of JSON for a million leads). Its
// JSON state is self-describing ({"format": "leadkit.sla/1", the
// agreement, its fingerprint, the as-of time, the state}): json.Unmarshal
// into a zero Compliance gives a working accumulator, and decoding
// checks everything, so a tampered state is an error, never a panic or
// a wrong number later. Merge refuses another agreement, another as-of
// time, itself and overflowing counts.
//
// Time is an argument: every status is computed as of a time the caller
// passes. The package never reads the clock.
//
// # Nil, zero values and concurrency
//
// The zero Calendar and the zero Agreement are not valid (no working
// time; no policies). A nil lead, a nil or zero accumulator and a nil
// checker are errors, never panics. Schedule and Checker are immutable
// and safe for concurrent use. A Compliance is not: give each goroutine
// its own and Merge them; merging any split in any order gives the
// identical report.
package sla
