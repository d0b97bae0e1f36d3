package sla

import (
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
)

// HolidayRule is a holiday that comes back every year, so that a
// calendar is right for any year without a list of dates: a fixed date
// (25 December), the nth weekday of a month (the fourth Thursday of
// November), or a number of days from Easter Sunday (Good Friday is −2),
// each optionally moved off the weekend.
//
// Exactly one form is given: Day (with Month), Weekday and Nth (with
// Month), or Easter. A date that a rule yields and that Holidays or
// Overrides also name is taken from those (an override can open a rule's
// holiday); two rules may close the same date.
type HolidayRule struct {
	// Name says what the holiday is, for people.
	Name string `json:"name,omitempty"`
	// Month is the month, 1 to 12, of a fixed date or an nth weekday.
	Month int `json:"month,omitempty"`
	// Day is the day of the month of a fixed date, 1 to 31 (29 February
	// is refused: it is not there every year).
	Day int `json:"day,omitempty"`
	// Weekday ("monday" ... "sunday") and Nth (1 to 4, or −1 for the
	// last) name the nth weekday of Month.
	Weekday string `json:"weekday,omitempty"`
	Nth     int    `json:"nth,omitempty"`
	// Easter, when set, makes the date Western (Gregorian) Easter Sunday
	// plus Offset days: −2 is Good Friday, 1 Easter Monday, 39 Ascension
	// Day, 50 Whit Monday.
	Easter bool `json:"easter,omitempty"`
	Offset int  `json:"offset,omitempty"`
	// Observed moves a date that falls on a weekend: "monday" moves
	// Saturday and Sunday to the Monday after; "nearest" moves Saturday
	// to the Friday before and Sunday to the Monday after. Empty: the
	// date stays where it falls.
	Observed string `json:"observed,omitempty"`
	// From and To bound the years the rule applies to, inclusive; zero
	// means no bound (the calendar's range, 1950 to 2199).
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
}

// Date returns the rule's local date in year, or false when the rule
// does not apply that year (outside From..To). The rule must be valid.
func (r HolidayRule) Date(year int) (time.Time, bool) {
	if (r.From != 0 && year < r.From) || (r.To != 0 && year > r.To) {
		return time.Time{}, false
	}
	var d time.Time
	switch {
	case r.Easter:
		d = easter(year).AddDate(0, 0, r.Offset)
	case r.Weekday != "":
		wd := weekdayNamed(r.Weekday)
		if r.Nth > 0 {
			first := time.Date(year, time.Month(r.Month), 1, 0, 0, 0, 0, time.UTC)
			d = first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(r.Nth-1))
		} else {
			last := time.Date(year, time.Month(r.Month)+1, 0, 0, 0, 0, 0, time.UTC)
			d = last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
		}
	default:
		d = time.Date(year, time.Month(r.Month), r.Day, 0, 0, 0, 0, time.UTC)
	}
	switch {
	case r.Observed == "monday" && d.Weekday() == time.Saturday:
		d = d.AddDate(0, 0, 2)
	case r.Observed != "" && d.Weekday() == time.Sunday:
		d = d.AddDate(0, 0, 1)
	case r.Observed == "nearest" && d.Weekday() == time.Saturday:
		d = d.AddDate(0, 0, -1)
	}
	return d, true
}

// validate reports every problem with the rule at path.
func (r HolidayRule) validate(path string) []error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, leadkit.Errorf(path+field, format, args...))
	}
	forms := 0
	if r.Day != 0 {
		forms++
	}
	if r.Weekday != "" || r.Nth != 0 {
		forms++
	}
	if r.Easter {
		forms++
	}
	if forms != 1 {
		add("", "give exactly one of day (with month), weekday and nth (with month), or easter")
		return errs
	}
	if r.Easter {
		if r.Month != 0 {
			add(".month", "an Easter rule has no month; give offset in days from Easter Sunday")
		}
		if r.Offset < -100 || r.Offset > 100 {
			add(".offset", "%d is more than 100 days from Easter", r.Offset)
		}
	} else {
		if r.Offset != 0 {
			add(".offset", "offset applies to Easter rules only")
		}
		if r.Month < 1 || r.Month > 12 {
			add(".month", "%d is not a month (1 to 12)", r.Month)
		}
	}
	if r.Day != 0 && r.Month >= 1 && r.Month <= 12 {
		days := time.Date(2001, time.Month(r.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day() // a common year
		switch {
		case r.Month == 2 && r.Day == 29:
			add(".day", "29 February is not there every year; list the leap years' dates in holidays")
		case r.Day < 1 || r.Day > days:
			add(".day", "%d is not a day of month %d", r.Day, r.Month)
		}
	}
	if r.Weekday != "" || r.Nth != 0 {
		if weekdayNamed(r.Weekday) < 0 {
			add(".weekday", "%q is not a weekday; use monday ... sunday", r.Weekday)
		}
		if r.Nth != -1 && (r.Nth < 1 || r.Nth > 4) {
			add(".nth", "%d: use 1 to 4, or -1 for the last", r.Nth)
		}
	}
	switch r.Observed {
	case "", "monday", "nearest":
	default:
		add(".observed", "%q: use \"monday\" or \"nearest\"", r.Observed)
	}
	for _, y := range []struct {
		field string
		v     int
	}{{".from", r.From}, {".to", r.To}} {
		if y.v != 0 && (y.v < 1950 || y.v > 2199) {
			add(y.field, "%d is outside the supported years 1950 to 2199", y.v)
		}
	}
	if r.From != 0 && r.To != 0 && r.From > r.To {
		add("", "from %d is after to %d", r.From, r.To)
	}
	return errs
}

// weekdayNamed returns the weekday named name, or -1.
func weekdayNamed(name string) time.Weekday {
	for i, n := range weekdayNames {
		if n == name {
			return time.Weekday(i)
		}
	}
	return -1
}

// easter returns Western Easter Sunday of year (the Gregorian computus,
// in the "anonymous" form of Meeus, Astronomical Algorithms, ch. 8).
func easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// ruleDays returns the days (since 1970-01-01) the rules close in the
// supported years, without duplicates, and the path of the rule behind
// each.
func ruleDays(rules []HolidayRule) (map[int64]string, error) {
	days := map[int64]string{}
	var errs []error
	for i, r := range rules {
		path := fmt.Sprintf("holiday_rules[%d]", i)
		if e := r.validate(path); len(e) > 0 {
			errs = append(errs, e...)
			continue
		}
		for y := 1950; y <= 2199; y++ {
			if d, ok := r.Date(y); ok {
				if _, dup := days[dayOfUTC(d)]; !dup {
					days[dayOfUTC(d)] = path
				}
			}
		}
	}
	return days, errors.Join(errs...)
}
