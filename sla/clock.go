package sla

import (
	"slices"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// span is a half-open interval [s, e) of Unix nanoseconds.
type span struct{ s, e int64 }

// clock measures one lead's durations under one policy: working time on
// the lead's calendar (or elapsed time for a calendar clock) minus the
// time the lead spent paused. Its cost grows with the number of pauses,
// never with the span.
type clock struct {
	cal    *Schedule // nil: elapsed time
	pauses []span    // sorted, disjoint, non-empty
}

// base returns the clock's time in [a, b), a ≤ b, ignoring pauses.
func (k *clock) base(a, b int64) int64 {
	if b <= a {
		return 0
	}
	if k.cal == nil {
		return b - a
	}
	return k.cal.working(a, b)
}

// fwd returns the earliest instant t ≥ a with base(a, t) = d (d > 0),
// and false when it lies beyond the supported range.
func (k *clock) fwd(a, d int64) (int64, bool) {
	if k.cal == nil {
		if d > maxInstant.UnixNano()-a {
			return 0, false
		}
		return a + d, true
	}
	return k.cal.forward(a, d)
}

// paused returns the clock's time in [a, b) that falls inside a pause.
func (k *clock) paused(a, b int64) int64 {
	var sum int64
	for _, p := range k.pauses {
		if p.s >= b {
			break
		}
		sum += k.base(max(a, p.s), min(b, p.e))
	}
	return sum
}

// measure returns the clock's time in [a, b) outside the pauses;
// negative when b is before a.
func (k *clock) measure(a, b int64) time.Duration {
	if b < a {
		return -k.measure(b, a)
	}
	return time.Duration(k.base(a, b) - k.paused(a, b))
}

// deadline returns the earliest instant t ≥ a with measure(a, t) = d
// (d > 0): the deadline moves past every pause it meets, by exactly the
// clock's time inside the pause. False when it lies beyond the range.
func (k *clock) deadline(a, d int64) (int64, bool) {
	cur, rem := a, d
	for _, p := range k.pauses {
		if p.e <= cur {
			continue
		}
		if p.s > cur {
			t, ok := k.fwd(cur, rem)
			if ok && t <= p.s {
				return t, true
			}
			// Less than rem lies in [cur, p.s): base(cur, p.s) < rem.
			rem -= k.base(cur, p.s)
		}
		cur = p.e
	}
	return k.fwd(cur, rem)
}

// stays returns the intervals, up to asOf, during which the lead's
// stage (as its sorted history h says) is one of stages; the last one is
// cut at asOf when the lead is still in such a stage then. The result
// is appended to dst.
func stays(dst []span, h []lead.Transition, stages []lead.Stage, asOf time.Time) []span {
	asOfNS := asOf.UnixNano()
	open := int64(0)
	in := false
	for i := range h {
		tr := &h[i]
		if tr.At.After(asOf) {
			break
		}
		at := tr.At.UnixNano()
		now := slices.Contains(stages, tr.To)
		switch {
		case now && !in:
			open, in = at, true
		case !now && in:
			if at > open {
				dst = append(dst, span{open, at})
			}
			in = false
		}
	}
	if in && asOfNS > open {
		dst = append(dst, span{open, asOfNS})
	}
	return dst
}

// sortedVisible appends to dst the lead's transitions at or before asOf,
// sorted by time (stably, so that equal instants keep their order).
func sortedVisible(dst []lead.Transition, l *lead.Lead, asOf time.Time) []lead.Transition {
	for i := range l.History {
		if !l.History[i].At.After(asOf) {
			dst = append(dst, l.History[i])
		}
	}
	slices.SortStableFunc(dst, func(a, b lead.Transition) int { return a.At.Compare(b.At) })
	return dst
}
