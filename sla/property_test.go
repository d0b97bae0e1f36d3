package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// zonesForTests covers half-hour DST (Lord Howe), changes at midnight
// (Santiago, Havana), a skipped calendar day (Apia, 2011-12-30), negative
// and positive offsets, and no DST at all.
var zonesForTests = []string{
	"UTC", "Europe/Paris", "America/Los_Angeles", "Australia/Lord_Howe",
	"America/Santiago", "America/Havana", "Pacific/Apia", "Asia/Kolkata",
	"America/St_Johns", "Europe/London", "America/Goose_Bay",
}

// randomCalendar returns a valid calendar with random shifts (overnight
// ones included) in a random zone, with random holidays and overrides in
// 2000-2040.
func randomCalendar(r *rand.Rand) Calendar {
	for {
		c := Calendar{Zone: leadkit.Zone(zonesForTests[r.IntN(len(zonesForTests))])}
		days := []*[]string{&c.Week.Sunday, &c.Week.Monday, &c.Week.Tuesday, &c.Week.Wednesday, &c.Week.Thursday, &c.Week.Friday, &c.Week.Saturday}
		for _, d := range days {
			*d = randomShifts(r)
		}
		for range r.IntN(6) {
			day := time.Date(2000+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			if r.IntN(2) == 0 {
				c.Holidays = append(c.Holidays, Holiday{Date: day.Format(time.DateOnly)})
			} else {
				c.Overrides = append(c.Overrides, Override{Date: day.Format(time.DateOnly), Hours: randomShifts(r)})
			}
		}
		if c.Validate() == nil {
			return c
		}
	}
}

// randomShifts returns zero to three shifts on a quarter-hour grid, in
// increasing order, the last possibly overnight.
func randomShifts(r *rand.Rand) []string {
	n := r.IntN(4)
	var out []string
	at := r.IntN(8 * 4) // quarter hours
	for i := 0; i < n && at < 96; i++ {
		end := at + 1 + r.IntN(40)
		if end > 96 {
			if r.IntN(2) == 0 {
				end = 96
			} else {
				end = end % 96
				if end >= at || end == 0 {
					end = 96
				}
				out = append(out, fmt.Sprintf("%02d:%02d-%02d:%02d", at/4, at%4*15, end/4, end%4*15))
				break
			}
		}
		out = append(out, fmt.Sprintf("%02d:%02d-%02d:%02d", at/4, at%4*15, end/4, end%4*15))
		at = end + r.IntN(16)
	}
	return out
}

// instantFor returns a random instant for schedule s: half the time
// within six hours of one of its zone's offset changes, where the
// arithmetic is hardest, otherwise anywhere in 2000-2040.
func instantFor(r *rand.Rand, s *Schedule) time.Time {
	if r.IntN(2) == 0 {
		t := time.Date(2000+r.IntN(40), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, s.Location())
		if _, end := t.ZoneBounds(); !end.IsZero() && end.Year() < 2041 {
			return end.Add(time.Duration(r.Int64N(int64(12*time.Hour))) - 6*time.Hour)
		}
	}
	return randomInstant(r)
}

// randomInstant returns an instant in 2000-2040 on a random second.
func randomInstant(r *rand.Rand) time.Time {
	lo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(lo+r.Int64N(hi-lo), int64(r.IntN(3))*int64(time.Millisecond))
}

// referenceWorking is the slow, independent reference: it walks every
// local date of the span, resolves each shift boundary one by one and
// clips it to [f, t).
func referenceWorking(s *Schedule, f, t time.Time) time.Duration {
	fn, tn := f.UnixNano(), t.UnixNano()
	var sum int64
	for d := s.localDay(fn) - 1; d <= s.localDay(tn)+1; d++ {
		for _, sh := range s.planOf(d).shifts {
			a := max(s.resolveSlow(d*secPerDay+int64(sh.start)), fn)
			b := min(s.resolveSlow(d*secPerDay+int64(sh.end)), tn)
			if b > a {
				sum += b - a
			}
		}
	}
	return time.Duration(sum)
}

func TestWorkingTimeMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		c := randomCalendar(r)
		s := MustCompileCalendar(c)
		for range 20 {
			a := instantFor(r, s)
			b := a.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
			if r.IntN(2) == 0 {
				b = a.Add(time.Duration(r.Int64N(int64(50 * time.Hour))))
			}
			if got, want := mustWT(s, a, b), referenceWorking(s, a, b); got != want {
				j, _ := json.Marshal(c)
				t.Fatalf("calendar %d %s: WorkingTime(%v, %v) = %v, reference %v", i, j, a, b, got, want)
			}
		}
	}
}

func TestWorkingTimeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 80 {
		c := randomCalendar(r)
		s := MustCompileCalendar(c)
		fail := func(format string, args ...any) {
			t.Helper()
			j, _ := json.Marshal(c)
			t.Fatalf("calendar %d %s: "+format, append([]any{i, j}, args...)...)
		}
		for range 40 {
			a, b, cc := instantFor(r, s), instantFor(r, s), instantFor(r, s)
			// Additivity over any three instants in any order.
			if ab, bc, ac := mustWT(s, a, b), mustWT(s, b, cc), mustWT(s, a, cc); ab+bc != ac {
				fail("W(a,b)+W(b,c) = %v+%v != W(a,c) = %v (a=%v b=%v c=%v)", ab, bc, ac, a, b, cc)
			}
			// Deadline and WorkingTime are inverses, the deadline is the
			// earliest such instant, and it is monotonic in d.
			d1 := time.Duration(r.Int64N(int64(3000 * time.Hour)))
			d2 := d1 + time.Duration(r.Int64N(int64(100*time.Hour)))
			if r.IntN(2) == 0 {
				d1, d2 = -d2, -d1
			}
			t1, t2 := mustDL(s, a, d1), mustDL(s, a, d2)
			if got := mustWT(s, a, t1); got != d1 {
				fail("W(a, Deadline(a, %v)) = %v (a=%v, deadline %v)", d1, got, a, t1)
			}
			if d1 > 0 && mustWT(s, a, t1.Add(-1)) >= d1 {
				fail("Deadline(%v, %v) = %v is not the earliest", a, d1, t1)
			}
			if d1 < 0 && mustWT(s, a, t1.Add(1)) <= d1 {
				fail("Deadline(%v, %v) = %v is not the latest", a, d1, t1)
			}
			if t2.Before(t1) {
				fail("Deadline not monotonic: d1=%v -> %v, d2=%v -> %v", d1, t1, d2, t2)
			}
			// NextOpen is open and no working time lies before it.
			n := mustNext(s, a)
			if !s.IsOpen(n) || mustWT(s, a, n) != 0 || n.Before(a) {
				fail("NextOpen(%v) = %v: open %v, W = %v", a, n, s.IsOpen(n), mustWT(s, a, n))
			}
		}
	}
}

// naiveCal is the minute-stepping baseline's own view of a Calendar:
// shifts as minute pairs per weekday, and special dates by their
// YYYYMMDD number. It is built from the plain Calendar, independently of
// Schedule.
type naiveCal struct {
	loc     *time.Location
	week    [7][][2]int
	special map[int][][2]int // holidays map to nil
}

func newNaiveCal(c Calendar, loc *time.Location) *naiveCal {
	n := &naiveCal{loc: loc, special: map[int][][2]int{}}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		n.week[wd] = naiveSpans(c.Week.Day(wd))
	}
	key := func(date string) int {
		var y, m, d int
		fmt.Sscanf(date, "%d-%d-%d", &y, &m, &d)
		return y*10000 + m*100 + d
	}
	for _, h := range c.Holidays {
		n.special[key(h.Date)] = nil
	}
	for _, o := range c.Overrides {
		n.special[key(o.Date)] = naiveSpans(o.Hours)
	}
	return n
}

func naiveSpans(shifts []string) [][2]int {
	var out [][2]int
	for _, sh := range shifts {
		var h1, m1, h2, m2 int
		fmt.Sscanf(sh, "%d:%d-%d:%d", &h1, &m1, &h2, &m2)
		start, end := h1*60+m1, h2*60+m2
		if end <= start {
			end += 1440
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

func (n *naiveCal) shifts(y int, m time.Month, d int, wd time.Weekday) [][2]int {
	if sp, ok := n.special[y*10000+int(m)*100+d]; ok {
		return sp
	}
	return n.week[wd]
}

// open reports, by the local wall clock of t, whether a shift of t's
// date (or an overnight shift of the date before) covers it.
func (n *naiveCal) open(t time.Time) bool {
	lt := t.In(n.loc)
	mins := lt.Hour()*60 + lt.Minute()
	y, m, d := lt.Date()
	for _, sp := range n.shifts(y, m, d, lt.Weekday()) {
		if mins >= sp[0] && mins < min(sp[1], 1440) {
			return true
		}
	}
	yd := lt.AddDate(0, 0, -1)
	y, m, d = yd.Date()
	for _, sp := range n.shifts(y, m, d, yd.Weekday()) {
		if sp[1] > 1440 && mins < sp[1]-1440 {
			return true
		}
	}
	return false
}

// naiveMinuteWorking is the minute-stepping baseline: it walks the span a
// minute at a time and counts the open minutes. It agrees with
// WorkingTime on minute-aligned spans away from daylight-saving changes.
func naiveMinuteWorking(n *naiveCal, from, to time.Time) time.Duration {
	var sum time.Duration
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if n.open(t) {
			sum += time.Minute
		}
	}
	return sum
}

func TestWorkingTimeMatchesMinuteStepping(t *testing.T) {
	c := Calendar{
		Zone:      "Europe/Paris",
		Week:      Week{Monday: []string{"09:00-12:30", "13:30-18:00"}, Tuesday: []string{"22:00-06:00"}, Saturday: []string{"10:00-14:00"}},
		Holidays:  []Holiday{{Date: "2026-05-01"}},
		Overrides: []Override{{Date: "2026-05-05", Hours: []string{"08:00-09:15"}}},
	}
	s := MustCompileCalendar(c)
	loc := s.Location()
	// 2026-04-06 to 2026-06-01: no offset change inside.
	from := time.Date(2026, 4, 6, 7, 13, 0, 0, loc)
	for _, days := range []int{1, 3, 10, 40} {
		to := from.AddDate(0, 0, days).Add(17 * time.Minute)
		if got, want := mustWT(s, from, to), naiveMinuteWorking(newNaiveCal(c, loc), from, to); got != want {
			t.Errorf("%d days: WorkingTime = %v, minute stepping = %v", days, got, want)
		}
	}
}

func TestScheduleConcurrentUse(t *testing.T) {
	s := MustCompileCalendar(Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-17:00"), Holidays: []Holiday{{Date: "2026-12-25"}}})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := time.Date(2026, 1, 1, g, 0, 0, 0, time.UTC)
			for i := range 200 {
				b := mustDL(s, a, time.Duration(i)*time.Hour)
				if mustWT(s, a, b) != time.Duration(i)*time.Hour {
					t.Error("inverse broken under concurrency")
				}
				s.IsOpen(b)
				mustNext(s, b)
			}
		}()
	}
	wg.Wait()
}

// TestRangeBoundsProperties checks Deadline and WorkingTime right up to
// the ends of the supported range, in random zones and calendars: a
// deadline is returned exactly when the range holds enough working time
// (by the independent reference walk), it is then the earliest instant
// with that working time (the latest, backwards), and WorkingTime agrees
// with the reference up to the bound. Issue 10 item 7: on a 24/7 UTC
// calendar, deadlines in the last days before 2200 used to come back as
// 2200-01-01.
func TestRangeBoundsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 7))
	cals := []Calendar{{Week: everyDay("00:00-24:00")}, {Zone: "Pacific/Kiritimati", Week: everyDay("22:00-06:00")},
		{Zone: "Pacific/Pago_Pago", Week: weekdays("09:00-17:00")}}
	for range 20 {
		cals = append(cals, randomCalendar(r))
	}
	const span = 10 * 24 * time.Hour
	for i, c := range cals {
		s := MustCompileCalendar(c)
		for j := range 40 {
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("calendar %d (%s) case %d: %s", i, c.Zone, j, fmt.Sprintf(format, args...))
			}
			// Forwards, from the last ten days before the end.
			from := maxInstant.Add(-time.Duration(r.Int64N(int64(span))))
			d := time.Duration(1 + r.Int64N(int64(span)))
			left := referenceWorking(s, from, maxInstant)
			if w := mustWT(s, from, maxInstant); w != left {
				fail("WorkingTime(%v, end) = %v, reference %v", from, w, left)
			}
			got, err := s.Deadline(from, d)
			switch {
			case err != nil && !errors.Is(err, ErrOutOfRange):
				fail("Deadline(%v, %v): %v", from, d, err)
			case err != nil && left >= d:
				fail("Deadline(%v, %v): out of range, but %v are left", from, d, left)
			case err == nil && left < d:
				fail("Deadline(%v, %v) = %v, but only %v are left", from, d, got, left)
			case err == nil:
				if got.After(maxInstant) || mustWT(s, from, got) != d || referenceWorking(s, from, got) != d {
					fail("Deadline(%v, %v) = %v: W = %v", from, d, got, mustWT(s, from, got))
				}
				if mustWT(s, from, got.Add(-1)) >= d {
					fail("Deadline(%v, %v) = %v is not the earliest", from, d, got)
				}
			}
			// Backwards, from the first ten days after the start.
			from = minInstant.Add(time.Duration(r.Int64N(int64(span))))
			before := referenceWorking(s, minInstant, from)
			if w := mustWT(s, minInstant, from); w != before {
				fail("WorkingTime(start, %v) = %v, reference %v", from, w, before)
			}
			got, err = s.Deadline(from, -d)
			switch {
			case err != nil && !errors.Is(err, ErrOutOfRange):
				fail("Deadline(%v, -%v): %v", from, d, err)
			case err != nil && before >= d:
				fail("Deadline(%v, -%v): out of range, but %v lie before", from, d, before)
			case err == nil && before < d:
				fail("Deadline(%v, -%v) = %v, but only %v lie before", from, d, got, before)
			case err == nil:
				if got.Before(minInstant) || mustWT(s, got, from) != d || referenceWorking(s, got, from) != d {
					fail("Deadline(%v, -%v) = %v: W = %v", from, d, got, mustWT(s, got, from))
				}
				if mustWT(s, got.Add(1), from) >= d {
					fail("Deadline(%v, -%v) = %v is not the latest", from, d, got)
				}
			}
			// NextOpen either finds an open instant with no working time
			// before it, or says the calendar never opens again.
			n, err := s.NextOpen(from)
			if err != nil {
				if referenceWorking(s, from, maxInstant) != 0 {
					fail("NextOpen(%v): %v, but working time is left", from, err)
				}
			} else if !s.IsOpen(n) || mustWT(s, from, n) != 0 {
				fail("NextOpen(%v) = %v", from, n)
			}
		}
	}
}
