package sla

import (
	"fmt"
	"slices"
	"time"

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
// attempts, acceptance) as of a given time.
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
	Elapsed time.Duration `json:"elapsed"`
	// Remaining is the time left before Deadline for a pending lead, in
	// the policy's clock.
	Remaining time.Duration `json:"remaining,omitempty"`
	// Late is how late a breach is: from Deadline to MetAt, or to the
	// as-of time while not met, in the policy's clock.
	Late time.Duration `json:"late,omitempty"`
	// Cause says why a breach is one (CauseLate, CauseMissed,
	// CauseNoReason).
	Cause string `json:"cause,omitempty"`
}

// Check returns the status of lead l under each per-lead policy as of
// asOf, in the agreement's order. Policies whose segment excludes the
// lead, or whose clock has not started by asOf (the lead never entered
// the stage), give no result. Events after asOf are invisible. An error
// comes only from a segment expression failing on this lead.
func (ch *Checker) Check(l *lead.Lead, asOf time.Time) ([]Result, error) {
	var out []Result
	for i := range ch.policies {
		p := &ch.policies[i]
		if !p.def.Kind.perLead() {
			continue
		}
		in, err := ch.inSegment(p, l, asOf)
		if err != nil {
			return out, err
		}
		if !in {
			continue
		}
		if start, ok := enteredBy(l, p.stage, asOf); ok {
			out = append(out, ch.evalLead(p, l, asOf, start))
		}
	}
	return out, nil
}

func (ch *Checker) inSegment(p *policy, l *lead.Lead, asOf time.Time) (bool, error) {
	if !p.hasSegment {
		return true, nil
	}
	ok, err := p.segment.Eval(l, asOf)
	if err != nil {
		return false, fmt.Errorf("sla: policy %q: segment: lead %q: %w", p.def.Name, l.ID, err)
	}
	return ok, nil
}

// deadline returns start plus the policy's time allowed.
func (ch *Checker) deadline(p *policy, start time.Time) time.Time {
	if p.business {
		return ch.cal.Deadline(start, p.within)
	}
	return start.Add(p.within)
}

// elapsed measures [a, b) in the policy's clock.
func (ch *Checker) elapsed(p *policy, a, b time.Time) time.Duration {
	if p.business {
		return ch.cal.WorkingTime(a, b)
	}
	return b.Sub(a)
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

// evalLead gives lead l, which first entered p's stage at start, its
// status under per-lead policy p.
func (ch *Checker) evalLead(p *policy, l *lead.Lead, asOf, start time.Time) Result {
	r := Result{Policy: p.def.Name, LeadID: l.ID, Owner: l.Owner, ClockStart: start, Deadline: ch.deadline(p, start)}
	var metAt time.Time
	met := false
	noReason := false
	switch p.def.Kind {
	case KindResponse:
		for i := range l.Activities {
			a := &l.Activities[i]
			if isTouch(p, a) && !a.At.Before(start) && !a.At.After(asOf) && (!met || a.At.Before(metAt)) {
				metAt, met = a.At, true
			}
		}
	case KindAttempts:
		var buf [16]time.Time
		times := buf[:0]
		for i := range l.Activities {
			a := &l.Activities[i]
			if isTouch(p, a) && !a.At.Before(start) && !a.At.After(asOf) {
				times = append(times, a.At)
			}
		}
		if n := p.def.Attempts; len(times) >= n {
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			metAt, met = times[n-1], true
		}
	case KindAcceptance:
		if tr, ok := decision(p, l, start, asOf); ok {
			metAt, met = tr.At, true
			noReason = slices.Contains(p.reject, tr.To) && tr.Reason == ""
		}
	}
	switch {
	case met:
		r.MetAt = metAt
		r.Elapsed = ch.elapsed(p, start, metAt)
		if metAt.After(r.Deadline) {
			r.Status, r.Cause = StatusBreached, CauseLate
			r.Late = ch.elapsed(p, r.Deadline, metAt)
		} else {
			r.Status = StatusMet
		}
		if noReason {
			r.Status, r.Cause = StatusBreached, CauseNoReason
		}
	case !asOf.Before(r.Deadline):
		r.Status, r.Cause = StatusBreached, CauseMissed
		r.Elapsed = ch.elapsed(p, start, asOf)
		r.Late = ch.elapsed(p, r.Deadline, asOf)
	default:
		r.Elapsed = ch.elapsed(p, start, asOf)
		r.Remaining = ch.elapsed(p, asOf, r.Deadline)
		r.Status = StatusPending
		if r.Remaining < p.warn {
			r.Status = StatusAtRisk
		}
	}
	return r
}
