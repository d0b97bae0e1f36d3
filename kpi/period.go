package kpi

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/period"
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

// unit returns g's period unit; an invalid granularity counts as Month,
// which is what an empty one means.
func (g Granularity) unit() period.Unit {
	u, ok := period.Parse(string(g))
	if !ok {
		return period.Month
	}
	return u
}

// periodOf returns the ordinal of the period of granularity g that
// contains t in loc (see internal/period).
func periodOf(t time.Time, g Granularity, loc *time.Location) int64 {
	return period.Of(g.unit(), t, loc)
}

// periodLabel returns the period's name ("2026-03-02", "2026-W10",
// "2026-03", "2026-Q1", "2026") and its first day ("2026-03-02").
func periodLabel(p int64, g Granularity) (label, start string) {
	y, m, d := period.FirstDay(g.unit(), p)
	return period.Label(g.unit(), p), fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}
