package sla

import "time"

// dayCtx resolves the wall times of one local date.
type dayCtx struct {
	s    *Schedule
	day  int64
	off  int64
	slow bool
}

func (s *Schedule) dayCtx(day int64) dayCtx {
	c := dayCtx{s: s, day: day, slow: s.isFlagged(day)}
	if !c.slow {
		c.off = s.offsetFor(day)
	}
	return c
}

// at returns the instant (Unix nanoseconds) of sec seconds after the
// date's local midnight (sec may exceed a day for overnight shifts).
func (c dayCtx) at(sec int32) int64 {
	local := c.day*secPerDay + int64(sec)
	if c.slow {
		return c.s.resolveSlow(local)
	}
	return (local - c.off) * nsPerSec
}

// clip returns the working time of date day's shifts inside [from, to).
func (s *Schedule) clip(day, from, to int64) int64 {
	if day < s.firstFull-1 || day > s.lastFull+1 {
		return 0
	}
	p := s.planOf(day)
	if len(p.shifts) == 0 {
		return 0
	}
	c := s.dayCtx(day)
	var sum int64
	for _, sh := range p.shifts {
		a, b := max(c.at(sh.start), from), min(c.at(sh.end), to)
		if b > a {
			sum += b - a
		}
	}
	return sum
}

// full returns the working time of the dates a through b (inclusive), in
// closed form: whole weeks times the weekly hours, the remaining
// weekdays, then the holidays, overrides and offset-change corrections
// in range, each found by binary search.
func (s *Schedule) full(a, b int64) int64 {
	a, b = max(a, s.firstFull), min(b, s.lastFull)
	if a > b {
		return 0
	}
	n := b - a + 1
	w := weekdayOf(a)
	rem := int(n % 7)
	sum := (n/7)*s.weekNominal + s.cum[w+rem] - s.cum[w]
	if len(s.specials) > 0 {
		i := searchSpecial(s.specials, a)
		j := searchSpecial(s.specials, b+1)
		sum += s.specPrefix[j] - s.specPrefix[i]
	}
	if len(s.corrs) > 0 {
		i := searchCorr(s.corrs, a)
		j := searchCorr(s.corrs, b+1)
		sum += s.corrPrefix[j] - s.corrPrefix[i]
	}
	return sum
}

// searchSpecial returns the index of the first special on or after day.
func searchSpecial(sp []special, day int64) int {
	lo, hi := 0, len(sp)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if sp[m].day < day {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchCorr returns the index of the first correction on or after day.
func searchCorr(cs []correction, day int64) int {
	lo, hi := 0, len(cs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cs[m].day < day {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ns clamps t into the supported range and returns it as Unix
// nanoseconds.
func (s *Schedule) ns(t time.Time) int64 {
	if t.Before(minInstant) {
		return s.lowNS
	}
	if !t.Before(maxInstant) {
		return s.highNS
	}
	return t.UnixNano()
}

func (s *Schedule) time(ns int64) time.Time { return time.Unix(0, ns).In(s.loc) }

// WorkingTime returns the working time in [from, to): the elapsed time
// during which the calendar is open. When to is before from it returns
// the negative of WorkingTime(to, from), so that working time is
// additive: WorkingTime(a, c) = WorkingTime(a, b) + WorkingTime(b, c)
// for any a, b, c. Its cost does not depend on the span.
func (s *Schedule) WorkingTime(from, to time.Time) time.Duration {
	f, t := s.ns(from), s.ns(to)
	if t < f {
		return -time.Duration(s.working(t, f))
	}
	return time.Duration(s.working(f, t))
}

func (s *Schedule) working(f, t int64) int64 {
	if f == t {
		return 0
	}
	dA, dB := s.localDay(f), s.localDay(t)
	// A date's shifts lie within [its midnight, two midnights later), so
	// dates dA+2 .. dB-2 lie wholly inside [f, t). Dates dA+1 and dB+1
	// are clipped too: where a zone sets its clocks back across midnight,
	// an instant can carry date D after date D+1 has begun.
	if dB-dA <= 3 {
		var sum int64
		for d := dA - 1; d <= dB+1; d++ {
			sum += s.clip(d, f, t)
		}
		return sum
	}
	return s.clip(dA-1, f, t) + s.clip(dA, f, t) + s.clip(dA+1, f, t) + s.full(dA+2, dB-2) +
		s.clip(dB-1, f, t) + s.clip(dB, f, t) + s.clip(dB+1, f, t)
}

// Deadline returns the instant at which d of working time has elapsed
// since from: the earliest t at or after from with WorkingTime(from, t)
// = d. A d of zero gives from itself; a deadline that falls exactly at a
// closing time is that closing time, not the next opening. A negative d
// goes backwards: the latest t at or before from with WorkingTime(t,
// from) = −d, so a result exactly at an opening time is that opening
// time. A deadline beyond the supported range (2200) returns the range's
// end (its start when going backwards). The result is in the calendar's
// zone. Its cost does not depend on d.
func (s *Schedule) Deadline(from time.Time, d time.Duration) time.Time {
	if d == 0 {
		return from.In(s.loc)
	}
	f := s.ns(from)
	if d > 0 {
		return s.time(s.forward(f, int64(d)))
	}
	if d == -1<<63 {
		d++ // −MinInt64 overflows; one nanosecond less is out of range anyway
	}
	return s.time(s.backward(f, int64(-d)))
}

// forward returns the earliest instant t ≥ f with working(f, t) = rem.
func (s *Schedule) forward(f, rem int64) int64 {
	dA := s.localDay(f)
	for day := dA - 1; day <= dA+1; day++ {
		if day < s.firstFull-1 || day > s.lastFull+1 {
			continue
		}
		p := s.planOf(day)
		if len(p.shifts) == 0 {
			continue
		}
		c := s.dayCtx(day)
		for _, sh := range p.shifts {
			a, b := max(c.at(sh.start), f), c.at(sh.end)
			if b <= a {
				continue
			}
			if b-a >= rem {
				return a + rem
			}
			rem -= b - a
		}
	}
	// Dates after dA+1 lie wholly after f. Find the smallest date e with
	// full(dA+2, e) ≥ rem.
	first := dA + 2
	lo, sLo := dA+1, int64(0) // full(first, lo) = sLo < rem
	hi := s.lastFull
	if hi < first || s.full(first, hi) < rem {
		return s.highNS
	}
	for iter := 0; hi-lo > 1; iter++ {
		var e int64
		if iter < 4 {
			// Interpolate with the weekly rate: the whole weeks needed for
			// the remaining time, in days, rounded up.
			r := rem - sLo
			step := (r/s.weekNominal)*7 + ((r%s.weekNominal)*7+s.weekNominal-1)/s.weekNominal
			e = lo + max(step, 1)
		} else {
			e = lo + (hi-lo)/2
		}
		e = min(e, hi-1)
		if v := s.full(first, e); v >= rem {
			hi = e
		} else {
			lo, sLo = e, v
		}
	}
	rem -= sLo
	c := s.dayCtx(hi)
	for _, sh := range s.planOf(hi).shifts {
		a, b := c.at(sh.start), c.at(sh.end)
		if b-a >= rem {
			return a + rem
		}
		rem -= b - a
	}
	return s.highNS // unreachable: full(first, hi) ≥ rem
}

// backward returns the latest instant t ≤ f with working(t, f) = rem.
func (s *Schedule) backward(f, rem int64) int64 {
	dA := s.localDay(f)
	for day := dA + 1; day >= dA-1; day-- {
		if day < s.firstFull-1 || day > s.lastFull+1 {
			continue
		}
		p := s.planOf(day)
		c := s.dayCtx(day)
		for i := len(p.shifts) - 1; i >= 0; i-- {
			sh := p.shifts[i]
			a, b := c.at(sh.start), min(c.at(sh.end), f)
			if b <= a {
				continue
			}
			if b-a >= rem {
				return b - rem
			}
			rem -= b - a
		}
	}
	// Dates before dA-1 lie wholly before f. Find the largest date e with
	// full(e, dA-2) ≥ rem.
	last := dA - 2
	hi, sHi := dA-1, int64(0) // full(hi, last) = sHi < rem
	lo := s.firstFull
	if lo > last || s.full(lo, last) < rem {
		return s.lowNS
	}
	for iter := 0; hi-lo > 1; iter++ {
		var e int64
		if iter < 4 {
			r := rem - sHi
			step := (r/s.weekNominal)*7 + ((r%s.weekNominal)*7+s.weekNominal-1)/s.weekNominal
			e = hi - max(step, 1)
		} else {
			e = hi - (hi-lo)/2
		}
		e = max(e, lo+1)
		if v := s.full(e, last); v >= rem {
			lo = e
		} else {
			hi, sHi = e, v
		}
	}
	rem -= sHi
	p := s.planOf(lo)
	c := s.dayCtx(lo)
	for i := len(p.shifts) - 1; i >= 0; i-- {
		sh := p.shifts[i]
		a, b := c.at(sh.start), c.at(sh.end)
		if b-a >= rem {
			return b - rem
		}
		rem -= b - a
	}
	return s.lowNS // unreachable: full(lo, last) ≥ rem
}

// IsOpen reports whether the calendar is open at t: whether t lies in a
// shift (shifts include their opening instant, not their closing one).
func (s *Schedule) IsOpen(t time.Time) bool {
	if t.Before(minInstant) || !t.Before(maxInstant) {
		return false
	}
	f := t.UnixNano()
	dA := s.localDay(f)
	for day := dA - 1; day <= dA+1; day++ {
		if day < s.firstFull-1 || day > s.lastFull+1 {
			continue
		}
		p := s.planOf(day)
		c := s.dayCtx(day)
		for _, sh := range p.shifts {
			if a, b := c.at(sh.start), c.at(sh.end); a <= f && f < b {
				return true
			}
		}
	}
	return false
}

// NextOpen returns the earliest instant at or after t at which the
// calendar is open: t itself when it is open, otherwise the next opening
// time. When the calendar never opens again before the end of the
// supported range it returns that end. The result is in the calendar's
// zone.
func (s *Schedule) NextOpen(t time.Time) time.Time {
	// The first nanosecond of working time after t starts at the
	// opening instant.
	n := s.forward(s.ns(t), 1)
	if n == s.highNS {
		return s.time(n)
	}
	return s.time(n - 1)
}
