package sla

import (
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
)

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
	if day < s.dayLo || day > s.dayHi {
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

var errNilSchedule = errors.New("sla: nil Schedule; build one with sla.CompileCalendar")

// ns returns t as Unix nanoseconds, or an error wrapping ErrOutOfRange
// when t lies outside [minInstant, maxInstant]. A nil s is an error.
func (s *Schedule) ns(t time.Time) (int64, error) {
	if s == nil {
		return 0, errNilSchedule
	}
	if t.Before(minInstant) || t.After(maxInstant) {
		return 0, fmt.Errorf("%w: %s", ErrOutOfRange, t.Format(time.RFC3339Nano))
	}
	return t.UnixNano(), nil
}

func (s *Schedule) time(ns int64) time.Time { return time.Unix(0, ns).In(s.loc) }

// WorkingTime returns the working time in [from, to): the elapsed time
// during which the calendar is open. When to is before from it returns
// the negative of WorkingTime(to, from), so that working time is
// additive: WorkingTime(a, c) = WorkingTime(a, b) + WorkingTime(b, c)
// for any a, b, c. Both instants must lie in the supported range,
// 1950-01-01T00:00Z to 2200-01-01T00:00Z inclusive; otherwise the error
// wraps [ErrOutOfRange]. Its cost does not depend on the span. A nil
// Schedule is an error.
func (s *Schedule) WorkingTime(from, to time.Time) (time.Duration, error) {
	f, err := s.ns(from)
	if err != nil {
		return 0, err
	}
	t, err := s.ns(to)
	if err != nil {
		return 0, err
	}
	return s.workingNS(f, t), nil
}

// workingNS is WorkingTime on instants known to be in range.
func (s *Schedule) workingNS(f, t int64) time.Duration {
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
// time. The result is in the calendar's zone. Its cost does not depend
// on d.
//
// When from lies outside the supported range (1950-01-01T00:00Z to
// 2200-01-01T00:00Z inclusive), or the calendar does not hold d of
// working time between from and the end of the range (its start when
// going backwards), Deadline returns an error wrapping [ErrOutOfRange]
// and the zero time: never a clamped instant. A nil Schedule is an
// error.
func (s *Schedule) Deadline(from time.Time, d time.Duration) (time.Time, error) {
	f, err := s.ns(from)
	if err != nil {
		return time.Time{}, err
	}
	if d == 0 {
		return from.In(s.loc), nil
	}
	var t int64
	var ok bool
	switch {
	case d > 0 && int64(d) <= s.highNS-f:
		t, ok = s.forward(f, int64(d))
	case d < 0 && d != -1<<63 && int64(-d) <= f-s.lowNS:
		t, ok = s.backward(f, int64(-d))
	}
	if !ok {
		dir := "after"
		if d < 0 {
			dir = "before"
		}
		return time.Time{}, fmt.Errorf("%w: less than %v of working time lies between %s and the range's end %s it",
			ErrOutOfRange, leadkit.Duration(d.Abs()), from.Format(time.RFC3339Nano), dir)
	}
	return s.time(t), nil
}

// forward returns the earliest instant t ≥ f with working(f, t) = rem,
// and false when the range ends first.
func (s *Schedule) forward(f, rem int64) (int64, bool) {
	dA := s.localDay(f)
	for day := dA - 1; day <= dA+1; day++ {
		if t, ok := s.walkForward(day, f, &rem); ok {
			return t, true
		}
	}
	// Dates after dA+1 lie wholly after f. Find the smallest full date e
	// with full(dA+2, e) ≥ rem.
	first := dA + 2
	tail := first
	if hi := s.lastFull; first <= hi {
		total := s.full(first, hi)
		if total >= rem {
			lo, sLo := dA+1, int64(0) // full(first, lo) = sLo < rem
			for iter := 0; hi-lo > 1; iter++ {
				var e int64
				if iter < 4 {
					// Interpolate with the weekly rate: the whole weeks
					// needed for the remaining time, in days, rounded up.
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
			return s.walkForward(hi, f, &rem)
		}
		rem -= total
		tail = hi + 1
	}
	// The last dates of the range, cut at its end.
	for day := tail; day <= s.dayHi; day++ {
		if t, ok := s.walkForward(day, f, &rem); ok {
			return t, true
		}
	}
	return 0, false
}

// walkForward walks the shifts of date day inside [f, highNS),
// subtracting their working time from *rem, and returns the instant at
// which *rem runs out, if it does on that date.
func (s *Schedule) walkForward(day, f int64, rem *int64) (int64, bool) {
	if day < s.dayLo || day > s.dayHi {
		return 0, false
	}
	p := s.planOf(day)
	if len(p.shifts) == 0 {
		return 0, false
	}
	c := s.dayCtx(day)
	for _, sh := range p.shifts {
		a, b := max(c.at(sh.start), f), min(c.at(sh.end), s.highNS)
		if b <= a {
			continue
		}
		if b-a >= *rem {
			return a + *rem, true
		}
		*rem -= b - a
	}
	return 0, false
}

// backward returns the latest instant t ≤ f with working(t, f) = rem,
// and false when the range starts first.
func (s *Schedule) backward(f, rem int64) (int64, bool) {
	dA := s.localDay(f)
	for day := dA + 1; day >= dA-1; day-- {
		if t, ok := s.walkBackward(day, f, &rem); ok {
			return t, true
		}
	}
	// Dates before dA-1 lie wholly before f. Find the largest full date
	// e with full(e, dA-2) ≥ rem.
	last := dA - 2
	tail := last
	if lo := s.firstFull; lo <= last {
		total := s.full(lo, last)
		if total >= rem {
			hi, sHi := dA-1, int64(0) // full(hi, last) = sHi < rem
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
			return s.walkBackward(lo, f, &rem)
		}
		rem -= total
		tail = lo - 1
	}
	// The first dates of the range, cut at its start.
	for day := tail; day >= s.dayLo; day-- {
		if t, ok := s.walkBackward(day, f, &rem); ok {
			return t, true
		}
	}
	return 0, false
}

// walkBackward walks the shifts of date day inside [lowNS, f) from the
// last, subtracting their working time from *rem, and returns the
// instant at which *rem runs out, if it does on that date.
func (s *Schedule) walkBackward(day, f int64, rem *int64) (int64, bool) {
	if day < s.dayLo || day > s.dayHi {
		return 0, false
	}
	p := s.planOf(day)
	if len(p.shifts) == 0 {
		return 0, false
	}
	c := s.dayCtx(day)
	for i := len(p.shifts) - 1; i >= 0; i-- {
		sh := p.shifts[i]
		a, b := max(c.at(sh.start), s.lowNS), min(c.at(sh.end), f)
		if b <= a {
			continue
		}
		if b-a >= *rem {
			return b - *rem, true
		}
		*rem -= b - a
	}
	return 0, false
}

// IsOpen reports whether the calendar is open at t: whether t lies in a
// shift (shifts include their opening instant, not their closing one).
// The calendar is closed outside its supported range; a nil Schedule is
// never open.
func (s *Schedule) IsOpen(t time.Time) bool {
	if s == nil || t.Before(minInstant) || !t.Before(maxInstant) {
		return false
	}
	f := t.UnixNano()
	dA := s.localDay(f)
	for day := dA - 1; day <= dA+1; day++ {
		if day < s.dayLo || day > s.dayHi {
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
// time, in the calendar's zone. When t lies outside the supported range,
// or the calendar never opens again before the range's end
// (2200-01-01T00:00Z), the error wraps [ErrOutOfRange]. A nil Schedule
// is an error.
func (s *Schedule) NextOpen(t time.Time) (time.Time, error) {
	f, err := s.ns(t)
	if err != nil {
		return time.Time{}, err
	}
	// The first nanosecond of working time after t starts at the
	// opening instant.
	n, ok := s.forward(f, 1)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: the calendar does not open after %s", ErrOutOfRange, t.Format(time.RFC3339Nano))
	}
	return s.time(n - 1), nil
}
