package sla

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
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
	// Paused is the time, in the policy's clock, during which the clock
	// was stopped (the policy's PauseIn stages) between ClockStart and
	// MetAt (or the as-of time while not met). Elapsed excludes it.
	Paused leadkit.Duration `json:"paused,omitempty"`
	// Version is the EffectiveFrom of the policy version that judged the
	// lead; zero for a version in force since always.
	Version time.Time `json:"version,omitzero"`
	// Calendar names the [TeamCalendar] the business clock ran on; empty
	// for the agreement's default calendar (and for calendar clocks).
	Calendar string `json:"calendar,omitempty"`
	// Trail is the audit trail of the clock: when it started, paused and
	// resumed, the deadline, the touch or decision that met it or the
	// breach, and the version applied, in time order. [Checker.Check]
	// fills it in; the breaches of a [Report] leave it out to keep the
	// accumulator's state bounded (Check the lead for its trail).
	Trail []Event `json:"trail,omitempty"`
}

// Event is one entry of a [Result]'s audit trail.
type Event struct {
	// At is when it happened, in the calendar's zone.
	At time.Time `json:"at"`
	// What is one of the Event constants ("start", "pause", ...).
	What string `json:"what"`
	// Detail says more, for people: the stage or the touch concerned,
	// the version applied.
	Detail string `json:"detail,omitempty"`
}

// The events of an audit trail, in [Event.What].
const (
	EventStart    = "start"    // the clock started
	EventPause    = "pause"    // the clock stopped: the lead entered a PauseIn stage
	EventResume   = "resume"   // the clock runs again (or the as-of time, for a pause still running)
	EventDeadline = "deadline" // the promise falls due
	EventMet      = "met"      // the touch or decision that kept the promise, on time or late
	EventBreach   = "breach"   // the deadline passed with the promise not kept
)

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
// asOf, in the agreement's order, each with its audit trail
// ([Result.Trail]). A next_response policy gives one result per
// inbound activity. Policies whose segment excludes the lead, whose
// clock has not started by asOf (the lead never entered the stage), or
// with no version in force at the clock start, give no result. Events
// after asOf are invisible. A nil lead is an error; so is a segment
// expression failing on the lead or naming a score (use
// [Checker.CheckScored]), and an instant outside the calendar's range
// (wrapping [ErrOutOfRange]). On an error the results are nil.
func (ch *Checker) Check(l *lead.Lead, asOf time.Time) ([]Result, error) {
	return ch.check(l, nil, asOf, true)
}

// CheckScored is [Checker.Check] for a lead whose scores the host
// supplies, visible to segment expressions (see [Scores]).
func (ch *Checker) CheckScored(l *lead.Lead, s Scores, asOf time.Time) ([]Result, error) {
	return ch.check(l, &s, asOf, true)
}

func (ch *Checker) check(l *lead.Lead, sc *Scores, asOf time.Time, trail bool) ([]Result, error) {
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
	var sk scratch
	ups, err := ch.verdicts(l, sc, asOf, asOfNS, &sk, trail)
	if err != nil {
		return nil, err
	}
	var out []Result
	for i := range ups {
		if p := &ch.policies[ups[i].pol]; p.perLead {
			out = append(out, ch.result(p, l, &ups[i].o, trail))
		}
	}
	return out, nil
}

// DueSoon returns the pending and at-risk results of the leads that
// will breach within the given time, as of asOf, sorted by the time
// left (then lead id, then policy): the list a sales manager acts on
// each morning. The time left ([Result.Remaining]) is measured in each
// policy's clock, so "8h" under a business clock means the next eight
// working hours. At most limit results are returned (all of them when
// limit ≤ 0). The leads' trails are left out; Check a lead for its
// trail. A nil or empty slice gives no results. Errors are those of
// [Checker.Check], for the first lead that fails; nothing is returned
// then.
func (ch *Checker) DueSoon(leads []lead.Lead, asOf time.Time, within time.Duration, limit int) ([]Result, error) {
	if ch == nil {
		return nil, errNilChecker
	}
	if within < 0 {
		return nil, fmt.Errorf("sla: DueSoon: negative time %v", within)
	}
	var out []Result
	for i := range leads {
		rs, err := ch.check(&leads[i], nil, asOf, false)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if (r.Status == StatusPending || r.Status == StatusAtRisk) && r.Remaining.Std() <= within {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(x, y Result) int {
		return cmp.Or(cmp.Compare(x.Remaining, y.Remaining), cmp.Compare(x.LeadID, y.LeadID),
			cmp.Compare(x.Policy, y.Policy), x.ClockStart.Compare(y.ClockStart))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit:limit]
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

// outcome is the status of one clock of a lead under one per-lead
// policy, with its instants as Unix nanoseconds inside the calendar's
// range.
type outcome struct {
	status                 Status
	cause                  string
	met                    bool
	start, deadline, metAt int64
	elapsed, remaining     time.Duration
	late, paused           time.Duration
	cal                    int    // index in Checker.calendars; -1: the default
	owner                  string // the lead's owner when the clock started
	// For the trail only (Check): the pauses, what kept the promise.
	pauses []span
	metAct *lead.Activity
	metTr  *lead.Transition
}

// verdict is one policy's verdict on a lead (one clock of it), applied
// once every policy has judged the lead without error.
type verdict struct {
	pol      int // the version, an index in Checker.policies
	o        outcome
	start    int64 // volume, quality: the clock start
	decided  bool  // quality: accepted or rejected by the as-of time
	accepted bool
}

// scratch is the space verdicts reuses from lead to lead.
type scratch struct {
	histDone    bool // hist holds the lead's sorted visible history
	touchesDone bool // touches holds the lead's sales touches, sorted
	touches     []*lead.Activity
	entries     []int64
	entered     []bool
	firsts      []time.Time
	seg         []int8 // per version: 0 unknown, 1 in the segment, 2 out
	hist        []lead.Transition
	pauses      []span
	stays       []span
	times       []time.Time
	ups         []verdict
}

// verdicts judges lead l (created by asOf) under every policy: the
// verdicts to apply, in sk.ups.
func (ch *Checker) verdicts(l *lead.Lead, sc *Scores, asOf time.Time, asOfNS int64, sk *scratch, trail bool) ([]verdict, error) {
	// The first entry into each stage the policies use, in one pass.
	n := len(ch.stages)
	if len(sk.entries) < n {
		sk.entries, sk.entered, sk.firsts = make([]int64, n), make([]bool, n), make([]time.Time, n)
	}
	if len(sk.seg) < len(ch.policies) {
		sk.seg = make([]int8, len(ch.policies))
	}
	entries, entered, firsts := sk.entries[:n], sk.entered[:n], sk.firsts[:n]
	clear(entered)
	clear(sk.seg)
	for i := range l.History {
		tr := &l.History[i]
		k := -1
		for j, s := range ch.stages {
			if s == tr.To {
				k = j
				break
			}
		}
		if k < 0 || tr.At.After(asOf) {
			continue
		}
		if !entered[k] || tr.At.Before(firsts[k]) {
			firsts[k], entered[k] = tr.At, true
		}
	}
	for k := range n {
		if entered[k] {
			ns, err := ch.cal.ns(firsts[k])
			if err != nil {
				return nil, fmt.Errorf("sla: lead %q: first entry into %q: %w", l.ID, ch.stages[k], err)
			}
			entries[k] = ns
		}
	}
	lc := leadCtx{l: l, asOf: asOf, asOfNS: asOfNS, cal: ch.cal, calIdx: -1}
	if len(ch.calendars) > 0 {
		if i, ok := ch.owners[l.Owner]; ok {
			lc.cal, lc.calIdx = ch.calendars[i].cal, i
		}
	}
	sk.hist, sk.histDone = sk.hist[:0], false
	sk.touches, sk.touchesDone = sk.touches[:0], false
	lc.sk = sk
	ups := sk.ups[:0]
	in := func(v int) (bool, error) {
		if sk.seg[v] == 0 {
			ok, err := ch.inSegment(&ch.policies[v], l, asOf, sc)
			if err != nil {
				return false, err
			}
			sk.seg[v] = 2
			if ok {
				sk.seg[v] = 1
			}
		}
		return sk.seg[v] == 1, nil
	}
	for gi := range ch.groups {
		g := &ch.groups[gi]
		p0 := &ch.policies[g.versions[0]]
		switch p0.kind {
		case KindPeriodic:
			if !entersAny(l, p0.def.During, asOf) {
				continue
			}
			sk.stays = stays(sk.stays[:0], lc.history(), p0.def.During, asOf)
			if len(sk.stays) == 0 {
				continue
			}
			v := ch.version(g, sk.stays[0].s)
			if v < 0 {
				continue
			}
			if ok, err := in(v); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			o, err := ch.periodic(&ch.policies[v], &lc, sk, trail)
			if err != nil {
				return nil, err
			}
			ups = append(ups, verdict{pol: v, o: o})
			continue
		case KindNextResponse:
			if !entered[p0.stageIdx] {
				continue
			}
			from := firsts[p0.stageIdx]
			for ai := range l.Activities {
				a := &l.Activities[ai]
				if a.Actor != "" || a.At.Before(from) || a.At.After(asOf) || !slices.Contains(ch.policies[g.versions[0]].def.Inbound, a.Type) && !ch.inboundAny(g, a.Type) {
					continue
				}
				start := a.At.UnixNano() // in [first entry, asOf]: in range
				v := ch.version(g, start)
				if v < 0 || !slices.Contains(ch.policies[v].def.Inbound, a.Type) {
					continue
				}
				if ok, err := in(v); err != nil {
					return nil, err
				} else if !ok {
					continue
				}
				o, err := ch.judge(&ch.policies[v], &lc, sk, start, trail)
				if err != nil {
					return nil, err
				}
				ups = append(ups, verdict{pol: v, o: o})
			}
			continue
		}
		if !entered[p0.stageIdx] {
			continue
		}
		start := entries[p0.stageIdx]
		v := ch.version(g, start)
		if v < 0 {
			continue
		}
		if ok, err := in(v); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		p := &ch.policies[v]
		u := verdict{pol: v, start: start}
		if p.perLead {
			o, err := ch.judge(p, &lc, sk, start, trail)
			if err != nil {
				return nil, err
			}
			u.o = o
		} else if p.kind == KindQuality {
			if tr, ok := decision(p, l, firsts[p.stageIdx], asOf); ok {
				u.decided, u.accepted = true, slices.Contains(p.accept, tr.To)
			}
		}
		ups = append(ups, u)
	}
	sk.ups = ups[:0]
	return ups, nil
}

// entersAny reports whether the lead enters one of stages by asOf.
func entersAny(l *lead.Lead, stages []lead.Stage, asOf time.Time) bool {
	for i := range l.History {
		if tr := &l.History[i]; slices.Contains(stages, tr.To) && !tr.At.After(asOf) {
			return true
		}
	}
	return false
}

// inboundAny reports whether any version of g counts t as inbound.
func (ch *Checker) inboundAny(g *group, t lead.ActivityType) bool {
	for _, v := range g.versions[1:] {
		if slices.Contains(ch.policies[v].def.Inbound, t) {
			return true
		}
	}
	return false
}

// version returns the version of g in force at start (Unix ns): the one
// with the latest EffectiveFrom at or before it; -1 when none is.
func (ch *Checker) version(g *group, start int64) int {
	v := -1
	for _, i := range g.versions {
		if ch.policies[i].from > start {
			break
		}
		v = i
	}
	return v
}

// history returns the lead's visible history sorted by time, computed
// once per lead.
func (lc *leadCtx) history() []lead.Transition {
	sk := lc.sk
	if !sk.histDone {
		sk.hist, sk.histDone = sortedVisible(sk.hist[:0], lc.l, lc.asOf), true
	}
	return sk.hist
}

// salesTouches returns the lead's activities with an actor at or
// before the as-of time, sorted by time, computed once per lead.
func (lc *leadCtx) salesTouches() []*lead.Activity {
	sk := lc.sk
	if !sk.touchesDone {
		t := sk.touches[:0]
		for i := range lc.l.Activities {
			if a := &lc.l.Activities[i]; a.Actor != "" && !a.At.After(lc.asOf) {
				t = append(t, a)
			}
		}
		slices.SortStableFunc(t, func(a, b *lead.Activity) int { return a.At.Compare(b.At) })
		sk.touches, sk.touchesDone = t, true
	}
	return sk.touches
}

// firstTouch returns p's first touch at or after t (and by the as-of
// time), or nil.
func (lc *leadCtx) firstTouch(p *policy, t time.Time) *lead.Activity {
	ts := lc.salesTouches()
	i, _ := slices.BinarySearchFunc(ts, t, func(a *lead.Activity, t time.Time) int { return a.At.Compare(t) })
	for ; i < len(ts); i++ {
		if isTouch(p, ts[i]) {
			return ts[i]
		}
	}
	return nil
}

// leadCtx is what judging needs of one lead.
type leadCtx struct {
	sk     *scratch
	l      *lead.Lead
	asOf   time.Time
	asOfNS int64
	cal    *Schedule // the current owner's calendar
	calIdx int
}

// calAt returns the calendar a clock started at startNS runs on, its
// index, and the owner it belongs to: the lead's owner at the start
// (Lead.OwnerAt), so a lead handed off to another rep keeps the calendar
// and owner of the clock it started with.
func (ch *Checker) calAt(lc *leadCtx, startNS int64) (*Schedule, int, string) {
	l := lc.l
	if len(l.Assignments) == 0 {
		return lc.cal, lc.calIdx, l.Owner
	}
	owner := l.OwnerAt(time.Unix(0, startNS))
	if i, ok := ch.owners[owner]; ok && len(ch.calendars) > 0 {
		return ch.calendars[i].cal, i, owner
	}
	return ch.cal, -1, owner
}

// clockFor returns p's clock for the lead started at startNS, with its
// pauses, and the calendar index and owner of that clock (see calAt).
func (ch *Checker) clockFor(p *policy, lc *leadCtx, sk *scratch, startNS int64) (clock, int, string) {
	k := clock{}
	cal, idx, owner := ch.calAt(lc, startNS)
	if p.business {
		k.cal = cal
	}
	if len(p.def.PauseIn) > 0 {
		sk.pauses = stays(sk.pauses[:0], lc.history(), p.def.PauseIn, lc.asOf)
		k.pauses = sk.pauses
	}
	return k, idx, owner
}

// judge gives the clock of a response, attempts, acceptance or
// next_response policy p started at start (Unix ns, in range) its
// status as of the lead's as-of time.
func (ch *Checker) judge(p *policy, lc *leadCtx, sk *scratch, start int64, trail bool) (outcome, error) {
	l, asOf := lc.l, lc.asOf
	k, ci, owner := ch.clockFor(p, lc, sk, start)
	o := outcome{start: start, cal: ci, owner: owner}
	dl, ok := k.deadline(start, int64(p.within))
	if !ok {
		return o, ch.lateError(p, l)
	}
	o.deadline = dl
	var metAt time.Time
	noReason := false
	st := time.Unix(0, start)
	switch p.kind {
	case KindNextResponse:
		if a := lc.firstTouch(p, st); a != nil {
			metAt, o.met, o.metAct = a.At, true, a
		}
	case KindResponse:
		for i := range l.Activities {
			a := &l.Activities[i]
			if isTouch(p, a) && !a.At.Before(st) && !a.At.After(asOf) && (!o.met || a.At.Before(metAt)) {
				metAt, o.met, o.metAct = a.At, true, a
			}
		}
	case KindAttempts:
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
			if trail {
				for i := range l.Activities {
					if a := &l.Activities[i]; isTouch(p, a) && a.At.Equal(metAt) {
						o.metAct = a
						break
					}
				}
			}
		}
	case KindAcceptance:
		if tr, ok := decision(p, l, st, asOf); ok {
			metAt, o.met, o.metTr = tr.At, true, tr
			noReason = slices.Contains(p.reject, tr.To) && tr.Reason == ""
		}
	}
	end := lc.asOfNS
	if o.met {
		end = metAt.UnixNano() // in [start, asOf], so in range
	}
	ch.settle(p, &k, &o, end, noReason)
	if trail {
		o.pauses = slices.Clone(k.pauses)
	}
	return o, nil
}

// settle sets o's status and durations from its start, deadline and
// whether (o.met, at end) or not (end = the as-of time) it was met.
func (ch *Checker) settle(p *policy, k *clock, o *outcome, end int64, noReason bool) {
	switch {
	case o.met:
		o.metAt = end
		o.elapsed = k.measure(o.start, end)
		if end > o.deadline {
			o.status, o.cause = StatusBreached, CauseLate
			o.late = k.measure(o.deadline, end)
		} else {
			o.status = StatusMet
		}
		if noReason {
			o.status, o.cause = StatusBreached, CauseNoReason
		}
	case end >= o.deadline:
		o.status, o.cause = StatusBreached, CauseMissed
		o.elapsed = k.measure(o.start, end)
		o.late = k.measure(o.deadline, end)
	default:
		o.elapsed = k.measure(o.start, end)
		o.remaining = k.measure(end, o.deadline)
		o.status = StatusPending
		if o.remaining < p.warn || (p.warnAt > 0 && o.elapsed >= p.warnAt) {
			o.status = StatusAtRisk
		}
	}
	if len(k.pauses) > 0 {
		o.paused = time.Duration(k.paused(o.start, end))
	}
}

// periodic judges a periodic policy p on the lead's stays in its During
// stages (sk.stays, not empty): the first gap between touches longer
// than Within is a breach; a lead still in those stages whose current
// gap is within the promise is pending; otherwise the promise is met
// and the result shows the longest gap.
func (ch *Checker) periodic(p *policy, lc *leadCtx, sk *scratch, trail bool) (outcome, error) {
	l := lc.l
	// A periodic promise runs on the calendar of the owner when the lead
	// first entered its stages.
	k, ci, owner := ch.clockFor(p, lc, sk, sk.stays[0].s)
	times := sk.times[:0]
	for _, a := range lc.salesTouches() {
		if isTouch(p, a) {
			times = append(times, a.At)
		}
	}
	sk.times = times
	// The longest gap kept so far: [bestFrom, bestTo), ended by a
	// touch (bestTouch) or by leaving the stages.
	var bestFrom, bestTo int64
	var bestM time.Duration = -1
	bestTouch := -1
	j := 0
	for si, s := range sk.stays {
		open := si == len(sk.stays)-1 && s.e == lc.asOfNS && ch.stillIn(p, lc.history(), lc.asOf)
		from := s.s
		for {
			for j < len(times) && times[j].UnixNano() <= from {
				j++
			}
			var to int64
			touched := j < len(times) && times[j].UnixNano() < s.e
			switch {
			case touched:
				to = times[j].UnixNano()
			case open:
				to = lc.asOfNS
			default:
				to = s.e
			}
			closed := touched || !open
			m := k.measure(from, to)
			kept := closed && m < p.within // surely before the deadline
			if !kept {
				// At or past the time allowed, or still open: the
				// deadline decides.
				o := outcome{start: from, cal: ci, owner: owner}
				dl, ok := k.deadline(from, int64(p.within))
				if !ok {
					return o, ch.lateError(p, l)
				}
				o.deadline = dl
				if !closed || to > dl {
					// The current gap (pending, at risk or breached), or
					// a gap that ran past its deadline: touched late, or
					// left without a touch.
					o.met = touched
					ch.settle(p, &k, &o, to, false)
					if touched && trail {
						o.metAct = ch.touchAt(p, l, times[j])
					}
					return ch.withPauses(o, &k, trail), nil
				}
			}
			if m > bestM {
				bestFrom, bestTo, bestM, bestTouch = from, to, m, -1
				if touched {
					bestTouch = j
				}
			}
			if !touched {
				break
			}
			from = to
		}
	}
	// Every gap kept the promise: the result shows the longest.
	o := outcome{start: bestFrom, cal: ci, owner: owner, met: true}
	dl, ok := k.deadline(bestFrom, int64(p.within))
	if !ok {
		return o, ch.lateError(p, l)
	}
	o.deadline = dl
	ch.settle(p, &k, &o, bestTo, false)
	if trail && bestTouch >= 0 {
		o.metAct = ch.touchAt(p, l, times[bestTouch])
	}
	return ch.withPauses(o, &k, trail), nil
}

func (ch *Checker) withPauses(o outcome, k *clock, trail bool) outcome {
	if trail {
		o.pauses = slices.Clone(k.pauses)
	}
	return o
}

// stillIn reports whether the lead, by the as-of time, is in one of p's
// During stages: its last visible transition went to one.
func (ch *Checker) stillIn(p *policy, h []lead.Transition, asOf time.Time) bool {
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].At.After(asOf) {
			return slices.Contains(p.def.During, h[i].To)
		}
	}
	return false
}

// touchAt returns the first touch of p at t.
func (ch *Checker) touchAt(p *policy, l *lead.Lead, t time.Time) *lead.Activity {
	for i := range l.Activities {
		if a := &l.Activities[i]; isTouch(p, a) && a.At.Equal(t) {
			return a
		}
	}
	return nil
}

func (ch *Checker) lateError(p *policy, l *lead.Lead) error {
	return fmt.Errorf("sla: policy %q: lead %q: the deadline lies beyond the calendar's range: %w", p.def.Name, l.ID, ErrOutOfRange)
}

// loc returns the zone of calendar i (-1: the default).
func (ch *Checker) loc(i int) *time.Location {
	if i >= 0 {
		return ch.calendars[i].cal.loc
	}
	return ch.cal.loc
}

// result builds the Result of an outcome, with its trail when asked.
func (ch *Checker) result(p *policy, l *lead.Lead, o *outcome, trail bool) Result {
	loc := ch.loc(o.cal)
	at := func(ns int64) time.Time { return time.Unix(0, ns).In(loc) }
	r := Result{Policy: p.def.Name, LeadID: l.ID, Owner: o.owner, Status: o.status, Cause: o.cause,
		ClockStart: at(o.start), Deadline: at(o.deadline),
		Elapsed: leadkit.Duration(o.elapsed), Remaining: leadkit.Duration(o.remaining), Late: leadkit.Duration(o.late),
		Paused: leadkit.Duration(o.paused), Version: p.def.EffectiveFrom}
	if !r.Version.IsZero() {
		r.Version = r.Version.In(loc)
	}
	if o.cal >= 0 && p.business {
		r.Calendar = ch.calendars[o.cal].name
	}
	if o.met {
		r.MetAt = at(o.metAt)
	}
	if trail {
		r.Trail = ch.trail(p, o, &r, at)
	}
	return r
}

// trail builds the audit trail of an outcome.
func (ch *Checker) trail(p *policy, o *outcome, r *Result, at func(int64) time.Time) []Event {
	version := "version in force since always"
	if !p.def.EffectiveFrom.IsZero() {
		version = "version effective from " + r.Version.Format(time.RFC3339)
	}
	cal := "calendar time"
	if p.business {
		cal = "default calendar"
		if r.Calendar != "" {
			cal = "calendar " + strconv.Quote(r.Calendar)
		}
	}
	ev := []Event{{At: r.ClockStart, What: EventStart, Detail: fmt.Sprintf("%s; %s; within %s", version, cal, p.def.Within)}}
	for _, s := range o.pauses {
		if s.e <= o.start || (o.met && s.s >= o.metAt) {
			continue
		}
		if s.s >= o.start {
			ev = append(ev, Event{At: at(s.s), What: EventPause})
		}
		ev = append(ev, Event{At: at(s.e), What: EventResume})
	}
	ev = append(ev, Event{At: r.Deadline, What: EventDeadline})
	switch {
	case o.met:
		d := "kept"
		switch {
		case o.metAct != nil:
			d = fmt.Sprintf("%s by %s", o.metAct.Type, o.metAct.Actor)
		case o.metTr != nil:
			d = "moved to " + string(o.metTr.To)
			if o.metTr.Reason != "" {
				d += ": " + o.metTr.Reason
			}
		}
		if o.cause != "" {
			d += " (" + o.cause + ")"
		}
		ev = append(ev, Event{At: r.MetAt, What: EventMet, Detail: d})
	case o.status == StatusBreached:
		ev = append(ev, Event{At: r.Deadline, What: EventBreach, Detail: o.cause})
	}
	slices.SortStableFunc(ev, func(a, b Event) int { return a.At.Compare(b.At) })
	return ev
}
