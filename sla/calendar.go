package sla

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
)

// ErrNoWorkingTime is returned (wrapped, test it with errors.Is) by
// [CompileCalendar] and [Calendar.Validate] for a calendar whose weekly
// schedule holds no working time at all: every deadline on it would lie
// beyond the end of time.
var ErrNoWorkingTime = errors.New("sla: calendar has no working time")

// ErrOutOfRange is returned (wrapped, test it with errors.Is) by
// [Schedule.WorkingTime], [Schedule.Deadline] and [Schedule.NextOpen]
// when an instant they are given, or the instant they would return, lies
// outside the supported range 1950-01-01T00:00Z to 2200-01-01T00:00Z.
// No method returns a clamped or sentinel instant instead.
var ErrOutOfRange = errors.New("sla: instant outside the calendar's range 1950-01-01 to 2200-01-01 UTC")

// Calendar is a business calendar as plain data: a time zone, the weekly
// working hours, holidays and date overrides. It is what a host stores,
// diffs and lets an operations person edit; [CompileCalendar] turns it
// into a [Schedule] that answers working-time questions.
//
// Shifts are written "HH:MM-HH:MM" in local wall-clock time, for example
// "09:00-12:30". "00:00-24:00" is a full day. A shift whose end is before
// its start runs overnight ("22:00-06:00") and belongs to the day it
// starts on: a holiday on the next day does not cut it short.
//
// The zero Calendar is not valid: its zone is UTC but its week holds no
// working time ([ErrNoWorkingTime]).
type Calendar struct {
	// Zone is an IANA time zone name ("Europe/Paris"); empty or "UTC"
	// means UTC. The zone database is the standard library's
	// (time.LoadLocation); hosts without a system zoneinfo can import
	// time/tzdata in their main package.
	Zone leadkit.Zone `json:"zone,omitempty"`
	// Week holds the working hours of each weekday.
	Week Week `json:"week"`
	// Holidays are local dates closed all day.
	Holidays []Holiday `json:"holidays,omitempty"`
	// HolidayRules are holidays that come back every year (a fixed date,
	// the nth weekday of a month, a day relative to Easter), expanded over
	// the supported years 1950 to 2199.
	HolidayRules []HolidayRule `json:"holiday_rules,omitempty"`
	// Overrides replace the weekly hours of single local dates, for
	// example a half day on December 24.
	Overrides []Override `json:"overrides,omitempty"`
	// Closures close part of single local dates, whatever their hours
	// (weekly or overridden): 24 December from 13:00, a staff meeting.
	Closures []Closure `json:"closures,omitempty"`
}

// Closure closes the wall-clock interval [From, To) of one local date: a
// partial-day holiday. It cuts the shifts of that date and the part of
// the previous date's overnight shift that runs into it; hours outside
// the interval stay open. Several closures may fall on one date.
type Closure struct {
	// Date is the local date, "YYYY-MM-DD".
	Date string `json:"date"`
	// From is the local time the closure starts, "HH:MM"; empty means
	// 00:00.
	From string `json:"from,omitempty"`
	// To is the local time the closure ends, "HH:MM"; empty means
	// 24:00, the end of the date.
	To string `json:"to,omitempty"`
	// Name says why the calendar is closed, for people.
	Name string `json:"name,omitempty"`
}

// Week holds one list of shifts per weekday; a day with no shifts is
// closed.
type Week struct {
	// Monday to Sunday hold each weekday's shifts, "HH:MM-HH:MM".
	Monday    []string `json:"monday,omitempty"`
	Tuesday   []string `json:"tuesday,omitempty"`
	Wednesday []string `json:"wednesday,omitempty"`
	Thursday  []string `json:"thursday,omitempty"`
	Friday    []string `json:"friday,omitempty"`
	Saturday  []string `json:"saturday,omitempty"`
	Sunday    []string `json:"sunday,omitempty"`
}

// Day returns the shifts of weekday wd.
func (w Week) Day(wd time.Weekday) []string {
	switch wd {
	case time.Monday:
		return w.Monday
	case time.Tuesday:
		return w.Tuesday
	case time.Wednesday:
		return w.Wednesday
	case time.Thursday:
		return w.Thursday
	case time.Friday:
		return w.Friday
	case time.Saturday:
		return w.Saturday
	case time.Sunday:
		return w.Sunday
	}
	return nil
}

// Holiday is a local date on which the calendar is closed all day.
type Holiday struct {
	// Date is the local date, "YYYY-MM-DD".
	Date string `json:"date"`
	// Name says what the holiday is, for people.
	Name string `json:"name,omitempty"`
}

// Override gives one local date its own hours instead of its weekday's.
// An override with no hours closes the date, like a [Holiday].
type Override struct {
	// Date is the local date, "YYYY-MM-DD".
	Date string `json:"date"`
	// Hours are the shifts of the date, in the same form as [Week]'s.
	Hours []string `json:"hours"`
	// Name says why the date is special, for people.
	Name string `json:"name,omitempty"`
}

// The supported range: the calendar is closed outside
// [1950-01-01, 2200-01-01) UTC, and instants outside [minInstant,
// maxInstant] are refused with ErrOutOfRange. 250 years of nanoseconds
// fit a time.Duration, so every working time is exact.
var (
	minInstant = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	secPerDay = 86400
	nsPerSec  = int64(time.Second)
)

// shift is one working interval of a date in seconds from its local
// midnight; end may exceed secPerDay for an overnight shift.
type shift struct{ start, end int32 }

// plan is the list of shifts of one date, sorted, with their nominal
// (wall-clock) length in nanoseconds.
type plan struct {
	shifts  []shift
	nominal int64
}

// special is a date with a plan of its own (holiday or override).
type special struct {
	day   int64
	plan  plan
	delta int64 // plan.nominal − the weekday's nominal
}

// correction is the difference between the elapsed and the nominal
// working time of a date on which the zone's offset changes.
type correction struct {
	day   int64
	delta int64
}

// dayRange is an inclusive range of day numbers.
type dayRange struct{ lo, hi int64 }

// Schedule is a compiled [Calendar]. It answers how much working time
// lies between two instants and when a working duration runs out, in
// time independent of the span: whole days are summed in closed form
// (whole weeks times the weekly hours, plus holidays, overrides and
// daylight-saving corrections looked up by binary search) and only the
// dates at the ends are built from their shifts.
//
// Semantics, where business-time libraries differ:
//   - Shifts are local wall-clock times built per local date in the
//     calendar's zone; durations are elapsed time (a 00:00-24:00 day on
//     the autumn change holds 25 hours). A shift boundary inside a
//     daylight-saving gap moves forward to the first valid instant; an
//     ambiguous local time takes its first occurrence.
//   - Shifts are half-open: the calendar is open at the opening instant
//     and closed at the closing instant.
//   - The calendar is closed outside 1950-01-01 to 2200-01-01 UTC.
//     An instant outside that range, given or to be returned, is an
//     error wrapping [ErrOutOfRange]: no clamped or sentinel instant is
//     ever returned.
//
// A Schedule is immutable and safe for concurrent use. The zero Schedule
// is not usable; build one with [CompileCalendar].
type Schedule struct {
	def         Calendar
	loc         *time.Location
	week        [7]plan // by time.Weekday
	weekNominal int64
	cum         [15]int64 // cum[k] = Σ week[i%7].nominal for i < k
	specials    []special
	specPrefix  []int64
	corrs       []correction
	corrPrefix  []int64
	flagged     []dayRange
	fixed       bool    // the zone's offset never changes in the supported range
	fixedOff    int64   // that offset, in seconds
	zoneTrans   []int64 // the zone's offset changes in the range, Unix seconds
	zoneOffs    []int64 // zoneOffs[i]: the offset after i changes, in seconds
	lowNS       int64
	highNS      int64
	firstFull   int64 // first date whose shifts all lie at or after lowNS
	lastFull    int64 // last date whose shifts all lie before highNS
	dayLo       int64 // first date whose shifts may reach past lowNS
	dayHi       int64 // last date whose shifts may start before highNS
}

// Validate reports every problem of the calendar as a *[leadkit.Error]
// with its path ("week.monday[1]"), joined with errors.Join; nil means
// [CompileCalendar] will succeed.
func (c Calendar) Validate() error {
	_, err := compileCalendar(c, false)
	return err
}

// CompileCalendar checks c and compiles it into a [Schedule]. The zone
// is loaded once and the weekly schedule, holidays, overrides and the
// zone's offset changes over the supported range are precomputed. A
// calendar whose week holds no working time fails with an error wrapping
// [ErrNoWorkingTime].
func CompileCalendar(c Calendar) (*Schedule, error) {
	return compileCalendar(c, true)
}

// MustCompileCalendar is like [CompileCalendar] but panics on an error.
// It is meant for calendars written as literals in tests and examples.
func MustCompileCalendar(c Calendar) *Schedule {
	s, err := CompileCalendar(c)
	if err != nil {
		panic(fmt.Sprintf("sla: MustCompileCalendar(%q): %v", string(c.Zone), err))
	}
	return s
}

// Calendar returns a deep copy of the definition the schedule was
// compiled from: changing it does not change the schedule. A nil
// Schedule returns the zero Calendar.
func (s *Schedule) Calendar() Calendar {
	if s == nil {
		return Calendar{}
	}
	return s.def.clone()
}

// clone returns a deep copy of c.
func (c Calendar) clone() Calendar {
	w := c.Week
	w.Monday, w.Tuesday, w.Wednesday = slices.Clone(w.Monday), slices.Clone(w.Tuesday), slices.Clone(w.Wednesday)
	w.Thursday, w.Friday = slices.Clone(w.Thursday), slices.Clone(w.Friday)
	w.Saturday, w.Sunday = slices.Clone(w.Saturday), slices.Clone(w.Sunday)
	c.Week = w
	c.Holidays = slices.Clone(c.Holidays)
	c.HolidayRules = slices.Clone(c.HolidayRules)
	c.Closures = slices.Clone(c.Closures)
	if c.Overrides != nil {
		ov := make([]Override, len(c.Overrides))
		for i, o := range c.Overrides {
			o.Hours = slices.Clone(o.Hours)
			ov[i] = o
		}
		c.Overrides = ov
	}
	return c
}

// Location returns the calendar's time zone; nil for a nil Schedule.
func (s *Schedule) Location() *time.Location {
	if s == nil {
		return nil
	}
	return s.loc
}

var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func compileCalendar(c Calendar, build bool) (*Schedule, error) {
	var errs []error
	s := &Schedule{def: c.clone()}
	if loc, err := c.Zone.Location(); err != nil {
		errs = append(errs, leadkit.Errorf("zone", "%v", err))
	} else {
		s.loc = loc
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		p, perrs := parsePlan("week."+weekdayNames[wd], c.Week.Day(wd))
		errs = append(errs, perrs...)
		s.week[wd] = p
		s.weekNominal += p.nominal
	}
	if len(errs) == 0 {
		for wd := range 7 {
			prev := (wd + 6) % 7
			if spillOverlaps(s.week[prev], s.week[wd]) {
				errs = append(errs, leadkit.Errorf("week."+weekdayNames[wd], "a shift overlaps the overnight shift of %s", weekdayNames[prev]))
			}
		}
	}
	if s.weekNominal == 0 && len(errs) == 0 {
		errs = append(errs, leadkit.Errorf("week", "%w; add at least one shift such as \"09:00-17:00\"", ErrNoWorkingTime))
	}
	minDay, maxDay := dayOfUTC(minInstant), dayOfUTC(maxInstant)-1
	seen := map[int64]string{}
	addSpecial := func(path, date string, hours []string) {
		day, err := parseDate(date)
		if err != nil {
			errs = append(errs, leadkit.Errorf(path+".date", "%v", err))
			return
		}
		if day < minDay || day > maxDay {
			errs = append(errs, leadkit.Errorf(path+".date", "%s is outside the supported range 1950-01-01 to 2199-12-31", date))
			return
		}
		if other, dup := seen[day]; dup {
			errs = append(errs, leadkit.Errorf(path+".date", "%s is already given by %s", date, other))
			return
		}
		seen[day] = path
		p, perrs := parsePlan(path+".hours", hours)
		errs = append(errs, perrs...)
		s.specials = append(s.specials, special{day: day, plan: p})
	}
	for i, h := range c.Holidays {
		addSpecial(fmt.Sprintf("holidays[%d]", i), h.Date, nil)
	}
	for i, o := range c.Overrides {
		addSpecial(fmt.Sprintf("overrides[%d]", i), o.Date, o.Hours)
	}
	// Holidays from rules, on the dates Holidays and Overrides leave.
	rdays, rerr := ruleDays(c.HolidayRules)
	if rerr != nil {
		errs = append(errs, rerr)
	}
	for day, path := range rdays {
		if _, taken := seen[day]; !taken && day >= minDay && day <= maxDay {
			seen[day] = path
			s.specials = append(s.specials, special{day: day})
		}
	}
	slices.SortFunc(s.specials, func(a, b special) int { return cmp.Compare(a.day, b.day) })
	for i, cl := range c.Closures {
		path := fmt.Sprintf("closures[%d]", i)
		day, err := parseDate(cl.Date)
		if err != nil {
			errs = append(errs, leadkit.Errorf(path+".date", "%v", err))
			continue
		}
		if day < minDay || day > maxDay {
			errs = append(errs, leadkit.Errorf(path+".date", "%s is outside the supported range 1950-01-01 to 2199-12-31", cl.Date))
			continue
		}
		from, to := int32(0), int32(secPerDay)
		if cl.From != "" {
			if from, err = parseClock(cl.From); err != nil {
				errs = append(errs, leadkit.Errorf(path+".from", "%v", err))
				continue
			}
		}
		if cl.To != "" {
			if to, err = parseClock(cl.To); err != nil {
				errs = append(errs, leadkit.Errorf(path+".to", "%v", err))
				continue
			}
		}
		if from >= to {
			errs = append(errs, leadkit.Errorf(path, "from %s is not before to %s", clockString(from), clockString(to)))
			continue
		}
		if _, ok := seen[day]; !ok {
			seen[day] = path
		}
		s.setPlan(day, s.planOf(day).without(from, to))
		if prev := s.planOf(day - 1); spills(prev) {
			if _, ok := seen[day-1]; !ok {
				seen[day-1] = path
			}
			s.setPlan(day-1, prev.without(from+secPerDay, to+secPerDay))
		}
	}
	if len(errs) == 0 {
		for _, sp := range s.specials {
			path := seen[sp.day]
			if spillOverlaps(s.planOf(sp.day-1), sp.plan) {
				errs = append(errs, leadkit.Errorf(path, "a shift overlaps the overnight shift of the day before"))
			}
			if spillOverlaps(sp.plan, s.planOf(sp.day+1)) {
				errs = append(errs, leadkit.Errorf(path, "an overnight shift overlaps the hours of the day after"))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if !build {
		return s, nil
	}
	for k := 1; k < len(s.cum); k++ {
		s.cum[k] = s.cum[k-1] + s.week[(k-1)%7].nominal
	}
	s.specPrefix = make([]int64, len(s.specials)+1)
	for i := range s.specials {
		sp := &s.specials[i]
		sp.delta = sp.plan.nominal - s.week[weekdayOf(sp.day)].nominal
		s.specPrefix[i+1] = s.specPrefix[i] + sp.delta
	}
	s.lowNS, s.highNS = minInstant.UnixNano(), maxInstant.UnixNano()
	s.buildTransitions()
	// Shifts of a date lie within [its midnight, two midnights later).
	s.firstFull = s.localDay(s.lowNS) + 1
	s.lastFull = s.localDay(s.highNS) - 2
	s.dayLo = s.localDay(s.lowNS) - 1
	s.dayHi = s.localDay(s.highNS)
	return s, nil
}

// buildTransitions records every change of the zone's offset in the
// supported range: the dates around it are resolved slowly (flagged) and
// their elapsed-minus-nominal working time is kept as a correction.
func (s *Schedule) buildTransitions() {
	var trans []int64
	t := minInstant.In(s.loc)
	for range 10000 { // bounded: real zones change at most a few times a year
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(maxInstant) {
			break
		}
		if !end.After(t) {
			// The standard library reports some rule-based year ends as
			// empty periods; step over them.
			t = t.Add(time.Hour)
			continue
		}
		_, before := end.Add(-time.Second).Zone()
		if _, after := end.Zone(); before != after {
			trans = append(trans, end.Unix())
		}
		t = end
	}
	_, off0 := minInstant.In(s.loc).Zone()
	if len(trans) == 0 {
		s.fixed, s.fixedOff = true, int64(off0)
	} else {
		// The offsets in force between the changes, so that the hot
		// paths look them up without the time package.
		s.zoneTrans = trans
		s.zoneOffs = make([]int64, 0, len(trans)+1)
		s.zoneOffs = append(s.zoneOffs, int64(off0))
		for _, tr := range trans {
			_, off := time.Unix(tr, 0).In(s.loc).Zone()
			s.zoneOffs = append(s.zoneOffs, int64(off))
		}
	}
	days := map[int64]bool{}
	for _, tr := range trans {
		d1 := s.localDaySec(tr - 1)
		d2 := s.localDaySec(tr)
		lo, hi := min(d1, d2)-4, max(d1, d2)+1
		if n := len(s.flagged); n > 0 && s.flagged[n-1].hi >= lo-1 {
			s.flagged[n-1].hi = max(s.flagged[n-1].hi, hi)
		} else {
			s.flagged = append(s.flagged, dayRange{lo, hi})
		}
		for d := min(d1, d2) - 1; d <= max(d1, d2); d++ {
			days[d] = true
		}
	}
	for d := range days {
		p := s.planOf(d)
		var actual int64
		for _, sh := range p.shifts {
			actual += s.resolveSlow(d*secPerDay+int64(sh.end)) - s.resolveSlow(d*secPerDay+int64(sh.start))
		}
		if delta := actual - p.nominal; delta != 0 {
			s.corrs = append(s.corrs, correction{day: d, delta: delta})
		}
	}
	slices.SortFunc(s.corrs, func(a, b correction) int { return cmp.Compare(a.day, b.day) })
	s.corrPrefix = make([]int64, len(s.corrs)+1)
	for i, c := range s.corrs {
		s.corrPrefix[i+1] = s.corrPrefix[i] + c.delta
	}
}

// setPlan gives date day the plan p, as a special.
func (s *Schedule) setPlan(day int64, p plan) {
	i, ok := slices.BinarySearchFunc(s.specials, day, func(sp special, d int64) int { return cmp.Compare(sp.day, d) })
	if ok {
		s.specials[i].plan = p
		return
	}
	s.specials = slices.Insert(s.specials, i, special{day: day, plan: p})
}

// spills reports whether a shift of p runs past midnight.
func spills(p plan) bool {
	return len(p.shifts) > 0 && p.shifts[len(p.shifts)-1].end > secPerDay
}

// without returns p with the interval [a, b) (seconds from the date's
// midnight) cut out of its shifts; p is not modified.
func (p plan) without(a, b int32) plan {
	var out plan
	for _, sh := range p.shifts {
		if sh.end <= a || sh.start >= b {
			out.shifts = append(out.shifts, sh)
			continue
		}
		if sh.start < a {
			out.shifts = append(out.shifts, shift{sh.start, a})
		}
		if sh.end > b {
			out.shifts = append(out.shifts, shift{b, sh.end})
		}
	}
	for _, sh := range out.shifts {
		out.nominal += int64(sh.end-sh.start) * nsPerSec
	}
	return out
}

// clockString formats seconds from midnight as "HH:MM".
func clockString(sec int32) string { return fmt.Sprintf("%02d:%02d", sec/3600, sec%3600/60) }

// parsePlan parses the shifts of one date, reporting each bad shift and
// each overlap with its path.
func parsePlan(path string, hours []string) (plan, []error) {
	var p plan
	var errs []error
	for i, h := range hours {
		sh, err := parseShift(h)
		if err != nil {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("%s[%d]", path, i), "%v", err))
			continue
		}
		p.shifts = append(p.shifts, sh)
	}
	slices.SortFunc(p.shifts, func(a, b shift) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(p.shifts); i++ {
		if p.shifts[i].start < p.shifts[i-1].end {
			errs = append(errs, leadkit.Errorf(path, "shifts %s and %s overlap", p.shifts[i-1], p.shifts[i]))
		}
	}
	for _, sh := range p.shifts {
		p.nominal += int64(sh.end-sh.start) * nsPerSec
	}
	return p, errs
}

// spillOverlaps reports whether an overnight shift of plan a runs into a
// shift of b, the plan of the next date.
func spillOverlaps(a, b plan) bool {
	if len(a.shifts) == 0 || len(b.shifts) == 0 {
		return false
	}
	last := a.shifts[len(a.shifts)-1]
	return int64(last.end)-secPerDay > int64(b.shifts[0].start)
}

func (sh shift) String() string {
	end := sh.end
	if end > secPerDay {
		end -= secPerDay
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sh.start/3600, sh.start%3600/60, end/3600, end%3600/60)
}

// parseShift parses "HH:MM-HH:MM".
func parseShift(s string) (shift, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return shift{}, fmt.Errorf("shift %q: want \"HH:MM-HH:MM\", such as \"09:00-17:30\"", s)
	}
	start, err := parseClock(strings.TrimSpace(a))
	if err != nil {
		return shift{}, fmt.Errorf("shift %q: start: %w", s, err)
	}
	end, err := parseClock(strings.TrimSpace(b))
	if err != nil {
		return shift{}, fmt.Errorf("shift %q: end: %w", s, err)
	}
	switch {
	case start == secPerDay:
		return shift{}, fmt.Errorf("shift %q: a shift cannot start at 24:00; start at 00:00", s)
	case start == end:
		return shift{}, fmt.Errorf("shift %q: empty shift; use \"00:00-24:00\" for a full day", s)
	case end < start:
		if end == 0 {
			end = secPerDay // "18:00-00:00" ends at midnight
		} else {
			end += secPerDay // overnight
		}
	}
	return shift{start: start, end: end}, nil
}

// parseClock parses "HH:MM" with 00 ≤ HH ≤ 24 and 00 ≤ MM ≤ 59, and
// "24:00" as the end of the day.
func parseClock(s string) (int32, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("bad time %q; want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || h[0] == '+' || m[0] == '+' {
		return 0, fmt.Errorf("bad time %q; want HH:MM", s)
	}
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q out of range 00:00 to 24:00", s)
	}
	return int32(hh*3600 + mm*60), nil
}

// parseDate parses "YYYY-MM-DD" into a day number.
func parseDate(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("bad date %q; want YYYY-MM-DD", s)
	}
	return dayOfUTC(t), nil
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// dayOfUTC returns the number of the UTC date of t, days since
// 1970-01-01.
func dayOfUTC(t time.Time) int64 { return floorDiv(t.Unix(), secPerDay) }

// weekdayOf returns the weekday of day number d (1970-01-01 was a
// Thursday).
func weekdayOf(d int64) int { return int((d%7 + 7 + 4) % 7) }

// planOf returns the shifts of local date day.
func (s *Schedule) planOf(day int64) plan {
	if len(s.specials) > 0 {
		if i := searchSpecial(s.specials, day); i < len(s.specials) && s.specials[i].day == day {
			return s.specials[i].plan
		}
	}
	return s.week[weekdayOf(day)]
}

// localDaySec returns the local date of Unix second sec.
func (s *Schedule) localDaySec(sec int64) int64 {
	return floorDiv(sec+s.offsetAt(sec), secPerDay)
}

// offsetAt returns the zone's offset at Unix second sec: from the table
// of changes inside the supported range, from the time package outside
// it.
func (s *Schedule) offsetAt(sec int64) int64 {
	if s.fixed {
		return s.fixedOff
	}
	if s.zoneOffs != nil && sec >= s.lowNS/nsPerSec && sec < s.highNS/nsPerSec {
		// The number of changes at or before sec.
		lo, hi := 0, len(s.zoneTrans)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if s.zoneTrans[m] <= sec {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return s.zoneOffs[lo]
	}
	_, off := time.Unix(sec, 0).In(s.loc).Zone()
	return int64(off)
}

// localDay returns the local date of the instant ns (Unix nanoseconds).
func (s *Schedule) localDay(ns int64) int64 { return s.localDaySec(floorDiv(ns, nsPerSec)) }

// isFlagged reports whether day lies near an offset change, where wall
// times must be resolved one by one.
func (s *Schedule) isFlagged(day int64) bool {
	i, _ := slices.BinarySearchFunc(s.flagged, day, func(r dayRange, d int64) int { return cmp.Compare(r.hi, d) })
	return i < len(s.flagged) && s.flagged[i].lo <= day
}

// offsetFor returns the zone offset valid on all shifts of an unflagged
// day.
func (s *Schedule) offsetFor(day int64) int64 {
	return s.offsetAt(day*secPerDay + secPerDay/2)
}

// resolveSlow returns the instant (Unix nanoseconds) of the local wall
// time local (seconds since 1970-01-01T00:00 local): the first
// occurrence of an ambiguous time, the end of the gap for a skipped one.
func (s *Schedule) resolveSlow(local int64) int64 {
	w := time.Unix(local, 0).UTC()
	y, m, d := w.Date()
	hh, mm, ss := w.Clock()
	t := time.Date(y, m, d, hh, mm, ss, 0, s.loc)
	u := t.Unix()
	_, off := t.Zone()
	wall := u + int64(off)
	start, end := t.ZoneBounds()
	if wall == local {
		if !start.IsZero() {
			_, offPrev := start.Add(-time.Second).Zone()
			if cand := local - int64(offPrev); cand < start.Unix() && cand < u {
				_, o := time.Unix(cand, 0).In(s.loc).Zone()
				if cand+int64(o) == local {
					return cand * nsPerSec
				}
			}
		}
		return u * nsPerSec
	}
	// In a gap: the first valid instant is the change itself.
	if wall > local && !start.IsZero() {
		return start.Unix() * nsPerSec
	}
	if wall < local && !end.IsZero() {
		return end.Unix() * nsPerSec
	}
	return u * nsPerSec
}
