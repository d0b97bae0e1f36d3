package kpi

import (
	"fmt"
	"time"
)

// Granularity is the length of a scorecard period.
type Granularity string

// The period lengths. Periods are calendar periods in the scorecard's
// time zone; weeks are ISO weeks, starting on Monday.
const (
	Day     Granularity = "day"
	Week    Granularity = "week"
	Month   Granularity = "month"
	Quarter Granularity = "quarter"
	Year    Granularity = "year"
)

// String returns the granularity's name.
func (g Granularity) String() string { return string(g) }

// IsValid reports whether g is one of Day, Week, Month, Quarter, Year.
func (g Granularity) IsValid() bool {
	switch g {
	case Day, Week, Month, Quarter, Year:
		return true
	}
	return false
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

// periodOf returns the ordinal of the period of granularity g that
// contains t in loc: days since 1970-01-01 for Day, the day number of the
// week's Monday for Week, year×12+month−1 for Month, year×4+quarter−1 for
// Quarter and the year for Year.
func periodOf(t time.Time, g Granularity, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	switch g {
	case Day:
		return daysFromCivil(y, m, d)
	case Week:
		n := daysFromCivil(y, m, d)
		return n - floorMod(n+3, 7) // 1970-01-01 was a Thursday (3 days after Monday)
	case Quarter:
		return int64(y)*4 + int64(m-1)/3
	case Year:
		return int64(y)
	default:
		return int64(y)*12 + int64(m-1)
	}
}

// periodLabel returns the period's name ("2026-03-02", "2026-W10",
// "2026-03", "2026-Q1", "2026") and its first day ("2026-03-02").
func periodLabel(p int64, g Granularity) (label, start string) {
	switch g {
	case Day:
		y, m, d := civilFromDays(p)
		s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		return s, s
	case Week:
		y, m, d := civilFromDays(p)
		iy, iw := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", iy, iw), fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case Quarter:
		y, q := floorDiv(p, 4)
		return fmt.Sprintf("%04d-Q%d", y, q+1), fmt.Sprintf("%04d-%02d-01", y, q*3+1)
	case Year:
		return fmt.Sprintf("%04d", p), fmt.Sprintf("%04d-01-01", p)
	default:
		y, m := floorDiv(p, 12)
		return fmt.Sprintf("%04d-%02d", y, m+1), fmt.Sprintf("%04d-%02d-01", y, m+1)
	}
}

// floorDiv returns a / b rounded down and the matching remainder.
func floorDiv(a, b int64) (int64, int64) {
	m := floorMod(a, b)
	return (a - m) / b, m
}
