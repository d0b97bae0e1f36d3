// Package period cuts time into calendar periods (days, ISO weeks,
// months, quarters, years) in a time zone, the one way every leadkit
// package does: kpi's scorecard periods, funnel's cohorts and sla's volume
// and quality periods.
//
// A period is identified by an ordinal, an int64 that is cheap to compute,
// compare and use as a map key: days since 1970-01-01 for a day, the day
// number of its Monday for a week, year×12+month−1 for a month,
// year×4+quarter−1 for a quarter, and the year for a year.
package period

import (
	"fmt"
	"time"
)

// Unit is a period length.
type Unit uint8

// The units. Weeks are ISO weeks: they start on Monday.
const (
	Day Unit = iota + 1
	Week
	Month
	Quarter
	Year
)

// Parse returns the unit named "day", "week", "month", "quarter" or
// "year", and false for any other name.
func Parse(name string) (Unit, bool) {
	switch name {
	case "day":
		return Day, true
	case "week":
		return Week, true
	case "month":
		return Month, true
	case "quarter":
		return Quarter, true
	case "year":
		return Year, true
	}
	return 0, false
}

// Of returns the ordinal of the period of unit u that contains t, in loc
// (nil means UTC). An invalid unit counts as Month.
func Of(u Unit, t time.Time, loc *time.Location) int64 {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return OfDate(u, y, m, d)
}

// OfDate returns the ordinal of the period of unit u that contains the
// date y-m-d.
func OfDate(u Unit, y int, m time.Month, d int) int64 {
	switch u {
	case Day:
		return daysFromCivil(y, m, d)
	case Week:
		n := daysFromCivil(y, m, d)
		return n - floorMod(n+3, 7) // 1970-01-01 was a Thursday, 3 days after Monday
	case Quarter:
		return int64(y)*4 + int64(m-1)/3
	case Year:
		return int64(y)
	default:
		return int64(y)*12 + int64(m-1)
	}
}

// Next returns the ordinal of the period after p: p+7 for a week (whose
// ordinal is its Monday's day number), p+1 for the other units.
func Next(u Unit, p int64) int64 {
	if u == Week {
		return p + 7
	}
	return p + 1
}

// FirstDay returns the first date of the period with ordinal p.
func FirstDay(u Unit, p int64) (int, time.Month, int) {
	switch u {
	case Day, Week:
		return civilFromDays(p)
	case Quarter:
		y, q := floorDiv(p, 4)
		return int(y), time.Month(q*3 + 1), 1
	case Year:
		return int(p), time.January, 1
	default:
		y, m := floorDiv(p, 12)
		return int(y), time.Month(m + 1), 1
	}
}

// Start returns the instant the period with ordinal p begins in loc (nil
// means UTC): midnight of its first day, or the first valid instant after
// it where a DST change skips midnight.
func Start(u Unit, p int64, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := FirstDay(u, p)
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Label names the period with ordinal p: "2026-03-02" (day), "2026-W10"
// (ISO week), "2026-03" (month), "2026-Q1" (quarter), "2026" (year).
func Label(u Unit, p int64) string {
	y, m, d := FirstDay(u, p)
	switch u {
	case Day:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case Week:
		iy, iw := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", iy, iw)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", y, (int(m)-1)/3+1)
	case Year:
		return fmt.Sprintf("%04d", y)
	default:
		return fmt.Sprintf("%04d-%02d", y, m)
	}
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's days_from_civil).
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (int, time.Month, int) {
	return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(z)).Date()
}

// floorMod returns a mod b in [0, b).
func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// floorDiv returns a / b rounded down and the matching remainder.
func floorDiv(a, b int64) (int64, int64) {
	m := floorMod(a, b)
	return (a - m) / b, m
}
