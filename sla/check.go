package sla

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// Status is where a lead stands under a policy, or a period under a
// volume or quality policy.
type Status string

// The statuses.
const (
	// StatusMet: the promise was kept.
	StatusMet Status = "met"
	// StatusBreached: the promise was broken (late, never kept by the
	// deadline, or a rejection without a reason).
	StatusBreached Status = "breached"
	// StatusPending: the clock is running and the deadline is ahead.
	StatusPending Status = "pending"
	// StatusAtRisk: pending with less than the policy's WarnBefore left.
	StatusAtRisk Status = "at_risk"
)

// String returns the status's name.
func (s Status) String() string { return string(s) }

// Causes of a breach, in [Result.Cause].
const (
	CauseLate     = "late"                      // kept, but after the deadline
	CauseMissed   = "missed"                    // not kept by the deadline, and not yet
	CauseNoReason = "rejected without a reason" // acceptance: sales owes marketing the reason
)

// Result is the status of one lead under one per-lead policy (response,
// attempts, acceptance) as of a given time. Its instants are in the
// calendar's zone.
type Result struct {
	// Policy is the policy's name.
	Policy string `json:"policy"`
	// LeadID and Owner identify the lead and its current owner
	// (Lead.Owner; empty when unassigned).
	LeadID string `json:"lead_id"`
	Owner  string `json:"owner,omitempty"`
	// Status is met, breached, pending or at_risk.
	Status Status `json:"status"`
	// ClockStart is when the lead first entered the policy's stage.
	ClockStart time.Time `json:"clock_start"`
	// Deadline is ClockStart plus the time allowed, in the policy's
	// clock.
	Deadline time.Time `json:"deadline"`
	// MetAt is when the promise was kept (the first touch, the N-th
	// touch, the decision), late or not; zero while it is not.
	MetAt time.Time `json:"met_at,omitzero"`
	// Elapsed is the time from ClockStart to MetAt, or to the as-of time
	// while not met, in the policy's clock.
	Elapsed leadkit.Duration `json:"elapsed"`
	// Remaining is the time left before Deadline for a pending lead, in
	// the policy's clock.
	Remaining leadkit.Duration `json:"remaining,omitempty"`
	// Late is how late a breach is: from Deadline to MetAt, or to the
	// as-of time while not met, in the policy's clock.
	Late leadkit.Duration `json:"late,omitempty"`
	// Cause says why a breach is one (CauseLate, CauseMissed,
	// CauseNoReason).
	Cause string `json:"cause,omitempty"`
}

// Scores are values a host computes beside a lead, typically with the
// scoring package, that policy segments may filter on: a segment
// expression names them fit, engagement, total and grade, as the scoring
// rule language's qualification scope does ("grade == 'A' && fit >=
// 60"). sla does not import scoring; the host passes the numbers with
// [Compliance.AddScored] or [Checker.CheckScored]. A segment that names a
// score is an error for a lead added without scores ([Compliance.Add],
// [Checker.Check]); a segment that names none ignores them.
type Scores struct {
	// Fit, Engagement and Total are the lead's scores.
	Fit        float64 `json:"fit"`
	Engagement float64 `json:"engagement"`
	Total      float64 `json:"total"`
	// Grade is the lead's grade ("A" to "F" style).
	Grade string `json:"grade"`
}

// Check returns the status of lead l under each per-lead policy as of
// asOf, in the agreement's order. Policies whose segment excludes the
// lead, or whose clock has not started by asOf (the lead never entered
// the stage), give no result. Events after asOf are invisible. A nil
// lead is an error; so is a segment expression failing on the lead or
// naming a score (use [Checker.CheckScored]), and an instant outside
// the calendar's range (wrapping [ErrOutOfRange]). On an error the
// results are nil.
func (ch *Checker) Check(l *lead.Lead, asOf time.Time) ([]Result, error) {
	return ch.check(l, nil, asOf)
}

// CheckScored is [Checker.Check] for a lead whose scores the host
// supplies, visible to segment expressions (see [Scores]).
func (ch *Checker) CheckScored(l *lead.Lead, s Scores, asOf time.Time) ([]Result, error) {
	return ch.check(l, &s, asOf)
}

func (ch *Checker) check(l *lead.Lead, sc *Scores, asOf time.Time) ([]Result, error) {
	if ch == nil {
		return nil, errNilChecker
	}
	if l == nil {
		return nil, errNilLead
	}
	asOfNS, err := ch.cal.ns(asOf)
	if err != nil {
		return nil, fmt.Errorf("sla: as-of: %w", err)
	}
	var out []Result
	for i := range ch.policies {
		p := &ch.policies[i]
		if !p.perLead {
			continue
		}
		in, err := ch.inSegment(p, l, asOf, sc)
		if err != nil {
			return nil, err
		}
		if !in {
			continue
		}
		start, ok := enteredBy(l, p.stage, asOf)
		if !ok {
			continue
		}
		startNS, err := ch.cal.ns(start)
		if err != nil {
			return nil, fmt.Errorf("sla: policy %q: lead %q: clock start: %w", p.def.Name, l.ID, err)
		}
		o, err := ch.judge(p, l, asOf, asOfNS, startNS)
		if err != nil {
			return nil, err
		}
		out = append(out, ch.result(p, l, &o))
	}
	return out, nil
}

var (
	errNilChecker = errors.New("sla: nil Checker; build one with sla.Compile")
	errNilLead    = errors.New("sla: nil lead")
)

func (ch *Checker) inSegment(p *policy, l *lead.Lead, asOf time.Time, sc *Scores) (bool, error) {
	if !p.hasSegment {
		return true, nil
	}
	var ok bool
	var err error
	if sc != nil {
		ok, err = p.segment.Eval(l, asOf, sc.Fit, sc.Engagement, sc.Total, sc.Grade)
	} else if p.segment.UsesScores() {
		err = errors.New("the segment names a score (fit, engagement, total or grade); add the lead with its scores (AddScored, CheckScored)")
	} else {
		ok, err = p.segment.Eval(l, asOf, 0, 0, 0, "")
	}
	if err != nil {
		return false, fmt.Errorf("sla: policy %q: segment: lead %q: %w", p.def.Name, l.ID, err)
	}
	return ok, nil
}

// enteredBy returns the lead's first entry into stage s, if it happened
// at or before asOf.
func enteredBy(l *lead.Lead, s lead.Stage, asOf time.Time) (time.Time, bool) {
	t, ok := l.EnteredAt(s)
	if !ok || t.After(asOf) {
		return time.Time{}, false
	}
	return t, true
}

// isTouch reports whether a counts as a sales touch for p.
func isTouch(p *policy, a *lead.Activity) bool {
	return a.Actor != "" && (len(p.touches) == 0 || slices.Contains(p.touches, a.Type))
}

// decision returns the first transition in [start, asOf] to an accepting
// or rejecting stage of p.
func decision(p *policy, l *lead.Lead, start, asOf time.Time) (*lead.Transition, bool) {
	var best *lead.Transition
	for i := range l.History {
		tr := &l.History[i]
		if tr.At.Before(start) || tr.At.After(asOf) {
			continue
		}
		if best != nil && !tr.At.Before(best.At) {
			continue
		}
		if slices.Contains(p.accept, tr.To) || slices.Contains(p.reject, tr.To) {
			best = tr
		}
	}
	return best, best != nil
}

// outcome is the status of one lead under one per-lead policy, with its
// instants as Unix nanoseconds inside the calendar's range.
type outcome struct {
	status                 Status
	cause                  string
	met                    bool
	start, deadline, metAt int64
	elapsed, remaining     time.Duration
	late                   time.Duration
}

// judge gives lead l, which first entered p's stage at start (Unix ns,
// in range), its status under per-lead policy p as of asOf (in range).
func (ch *Checker) judge(p *policy, l *lead.Lead, asOf time.Time, asOfNS, start int64) (outcome, error) {
	o := outcome{start: start}
	if p.business {
		dl, ok := ch.cal.forward(start, int64(p.within))
		if !ok {
			return o, ch.lateError(p, l)
		}
		o.deadline = dl
	} else {
		if int64(p.within) > ch.cal.highNS-start {
			return o, ch.lateError(p, l)
		}
		o.deadline = start + int64(p.within)
	}
	var metAt time.Time
	noReason := false
	switch p.kind {
	case KindResponse:
		st := time.Unix(0, start)
		for i := range l.Activities {
			a := &l.Activities[i]
			if isTouch(p, a) && !a.At.Before(st) && !a.At.After(asOf) && (!o.met || a.At.Before(metAt)) {
				metAt, o.met = a.At, true
			}
		}
	case KindAttempts:
		st := time.Unix(0, start)
		var buf [16]time.Time
		times := buf[:0]
		for i := range l.Activities {
			a := &l.Activities[i]
			if isTouch(p, a) && !a.At.Before(st) && !a.At.After(asOf) {
				times = append(times, a.At)
			}
		}
		if n := p.def.Attempts; len(times) >= n {
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			metAt, o.met = times[n-1], true
		}
	case KindAcceptance:
		if tr, ok := decision(p, l, time.Unix(0, start), asOf); ok {
			metAt, o.met = tr.At, true
			noReason = slices.Contains(p.reject, tr.To) && tr.Reason == ""
		}
	}
	switch {
	case o.met:
		o.metAt = metAt.UnixNano() // in [start, asOf], so in range
		o.elapsed = ch.elapsed(p, start, o.metAt)
		if o.metAt > o.deadline {
			o.status, o.cause = StatusBreached, CauseLate
			o.late = ch.elapsed(p, o.deadline, o.metAt)
		} else {
			o.status = StatusMet
		}
		if noReason {
			o.status, o.cause = StatusBreached, CauseNoReason
		}
	case asOfNS >= o.deadline:
		o.status, o.cause = StatusBreached, CauseMissed
		o.elapsed = ch.elapsed(p, start, asOfNS)
		o.late = ch.elapsed(p, o.deadline, asOfNS)
	default:
		o.elapsed = ch.elapsed(p, start, asOfNS)
		o.remaining = ch.elapsed(p, asOfNS, o.deadline)
		o.status = StatusPending
		if o.remaining < p.warn {
			o.status = StatusAtRisk
		}
	}
	return o, nil
}

func (ch *Checker) lateError(p *policy, l *lead.Lead) error {
	return fmt.Errorf("sla: policy %q: lead %q: the deadline lies beyond the calendar's range: %w", p.def.Name, l.ID, ErrOutOfRange)
}

// elapsed measures [a, b) in the policy's clock; a and b are in range.
func (ch *Checker) elapsed(p *policy, a, b int64) time.Duration {
	if p.business {
		return ch.cal.workingNS(a, b)
	}
	return time.Duration(b - a)
}

// result builds the Result of an outcome.
func (ch *Checker) result(p *policy, l *lead.Lead, o *outcome) Result {
	r := Result{Policy: p.def.Name, LeadID: l.ID, Owner: l.Owner, Status: o.status, Cause: o.cause,
		ClockStart: ch.cal.time(o.start), Deadline: ch.cal.time(o.deadline),
		Elapsed: leadkit.Duration(o.elapsed), Remaining: leadkit.Duration(o.remaining), Late: leadkit.Duration(o.late)}
	if o.met {
		r.MetAt = ch.cal.time(o.metAt)
	}
	return r
}
