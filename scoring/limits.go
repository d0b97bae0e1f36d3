package scoring

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/rules"
	"github.com/leadkit/leadkit/lead"
)

// Adjustment is the [Contribution] kind of a reset of the model that
// adjusts engagement ([AdjustEngagement]). It is not a rule kind.
const Adjustment Kind = "adjustment"

// hit is one matching activity of a frequency-limited rule.
type hit struct {
	at  time.Time
	key dkey
	pts float64 // the activity's points after decay
}

// dkey is the value of an activity's Distinct field, comparable without
// allocating for strings and numbers.
type dkey struct {
	k byte // 0 missing, 's' string, 'n' float, 'i' integer, 'o' other (s formatted)
	s string
	n float64
	i int64
}

func cmpKey(a, b dkey) int {
	if c := cmp.Compare(a.k, b.k); c != 0 {
		return c
	}
	if c := cmp.Compare(a.s, b.s); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	return cmp.Compare(a.i, b.i)
}

func cmpHit(a, b hit) int {
	if c := cmpKey(a.key, b.key); c != 0 {
		return c
	}
	return a.at.Compare(b.at)
}

func strKey(s string) dkey {
	if s == "" {
		return dkey{}
	}
	return dkey{k: 's', s: s}
}

// distinctKeyOf returns the value of a's field f. An empty string and a
// missing or null field are the same "missing" value.
func distinctKeyOf(a *lead.Activity, f distinctField) dkey {
	switch f.kind {
	case 'c':
		return strKey(a.Campaign)
	case 'u':
		return strKey(a.URL)
	case 't':
		return strKey(string(a.Type))
	case 'a':
		return strKey(a.Actor)
	case 'f':
		switch v := a.Fields[f.field].(type) {
		case nil:
			return dkey{}
		case string:
			return strKey(v)
		case float64:
			return dkey{k: 'n', n: v}
		case float32:
			return dkey{k: 'n', n: float64(v)}
		case int:
			return dkey{k: 'i', i: int64(v)}
		case int8:
			return dkey{k: 'i', i: int64(v)}
		case int16:
			return dkey{k: 'i', i: int64(v)}
		case int32:
			return dkey{k: 'i', i: int64(v)}
		case int64:
			return dkey{k: 'i', i: v}
		case bool:
			if v {
				return dkey{k: 'i', i: 1}
			}
			return dkey{k: 'i'}
		default:
			// Rare types (decimals, times, lists): their printed form.
			return dkey{k: 'o', s: fmt.Sprint(v)}
		}
	}
	return dkey{}
}

// apply applies the limit to the hits of one lead (in any order; they
// are sorted in place) and returns the number counted and their points,
// the number removed and their points. kept is scratch space, returned
// for reuse.
func (f *compiledFreq) apply(h []hit, kept []time.Time) (n int, pts float64, lim int, limPts float64, _ []time.Time) {
	if len(h) > 1 {
		if f.distinct.kind == 0 {
			slices.SortFunc(h, func(a, b hit) int { return a.at.Compare(b.at) })
		} else {
			slices.SortFunc(h, cmpHit)
		}
	}
	take := func(x *hit, ok bool) {
		if ok {
			n++
			pts += x.pts
		} else {
			lim++
			limPts += x.pts
		}
	}
	for i := 0; i < len(h); {
		j := i + 1
		for j < len(h) && h[j].key == h[i].key {
			j++
		}
		g := h[i:j]
		switch {
		case f.window > 0:
			// At most max counted in any window-long span: an activity
			// counts when fewer than max counted ones are later than
			// its time minus the window.
			kept = kept[:0]
			lo := 0
			for k := range g {
				from := g[k].at.Add(-f.window)
				for lo < len(kept) && !kept[lo].After(from) {
					lo++
				}
				ok := len(kept)-lo < f.max
				if ok {
					kept = append(kept, g[k].at)
				}
				take(&g[k], ok)
			}
		case f.per != "":
			var end time.Time
			cnt := 0
			for k := range g {
				if k == 0 || !g[k].at.Before(end) {
					end = f.per.Next(g[k].at, f.loc)
					cnt = 0
				}
				ok := cnt < f.max
				if ok {
					cnt++
				}
				take(&g[k], ok)
			}
		default:
			for k := range g {
				take(&g[k], k < f.max)
			}
		}
		i = j
	}
	return n, pts, lim, limPts, kept
}

// resetState is the last engagement reset at or before the instant
// scored.
type resetState struct {
	ok    bool
	index int // in Scorer.resets
	at    time.Time
}

// lastReset finds the last ResetEngagement trigger at or before now; on
// equal instants the first reset of the model wins.
func (s *Scorer) lastReset(c *rules.Ctx, l *lead.Lead, now time.Time) (resetState, error) {
	var st resetState
	offer := func(i int, at time.Time) {
		if !st.ok || at.After(st.at) || (at.Equal(st.at) && i < st.index) {
			st = resetState{ok: true, index: i, at: at}
		}
	}
	for i := range s.resets {
		rs := &s.resets[i]
		if rs.adjust {
			continue
		}
		switch {
		case rs.stage != "":
			for _, tr := range l.History {
				if tr.To == rs.stage && !tr.At.After(now) {
					offer(i, tr.At)
				}
			}
		case rs.prog != nil:
			for j := range l.Activities {
				a := &l.Activities[j]
				if a.At.After(now) {
					continue
				}
				ok, err := rs.matches(c, a)
				if err != nil {
					return resetState{}, &RuleError{LeadID: l.ID, Name: rs.name, Err: err}
				}
				if ok {
					offer(i, a.At)
				}
			}
		case rs.month > 0:
			if at, ok := rs.lastDate(now); ok && at.After(l.CreatedAt) {
				offer(i, at)
			}
		}
	}
	return st, nil
}

func (rs *compiledReset) matches(c *rules.Ctx, a *lead.Activity) (bool, error) {
	if rs.types != nil && !typeIn(a.Type, rs.types) {
		return false, nil
	}
	if rs.exact {
		return true, nil
	}
	return rs.prog.EvalActivity(c, a)
}

// lastDate returns the last yearly date at or before t.
func (rs *compiledReset) lastDate(t time.Time) (time.Time, bool) {
	y := t.In(rs.loc).Year()
	d := rs.date(y)
	if d.After(t) {
		d = rs.date(y - 1)
	}
	return d, !d.After(t)
}

func (rs *compiledReset) date(year int) time.Time {
	return time.Date(year, time.Month(rs.month), rs.day, 0, 0, 0, 0, rs.loc)
}

// occurrences counts an adjustment's triggers at or before now and after
// the last reset.
func (s *Scorer) occurrences(c *rules.Ctx, rs *compiledReset, l *lead.Lead, now time.Time, reset resetState) (int, error) {
	visible := func(at time.Time) bool { return !at.After(now) && (!reset.ok || at.After(reset.at)) }
	n := 0
	switch {
	case rs.stage != "":
		for _, tr := range l.History {
			if tr.To == rs.stage && visible(tr.At) {
				n++
			}
		}
	case rs.prog != nil:
		for j := range l.Activities {
			a := &l.Activities[j]
			if !visible(a.At) {
				continue
			}
			ok, err := rs.matches(c, a)
			if err != nil {
				return 0, &RuleError{LeadID: l.ID, Name: rs.name, Err: err}
			}
			if ok {
				n++
			}
		}
	case rs.month > 0:
		// The dates in (from, now], from the later of the lead's
		// creation and the last reset: counted by year, not walked.
		last, ok := rs.lastDate(now)
		from := l.CreatedAt
		if reset.ok && reset.at.After(from) {
			from = reset.at
		}
		if !ok || !last.After(from) {
			return 0, nil
		}
		y := from.In(rs.loc).Year()
		if !rs.date(y).After(from) {
			y++
		}
		n = last.In(rs.loc).Year() - y + 1
		n = max(n, 0)
	}
	return n, nil
}
