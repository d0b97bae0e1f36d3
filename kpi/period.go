package kpi

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/period"
)

// unitOf returns the period unit of p; an invalid or empty period counts
// as Month, which is what an empty one means.
func unitOf(p leadkit.Period) period.Unit {
	u, ok := period.Parse(string(p))
	if !ok {
		return period.Month
	}
	return u
}

// periodLabel returns the period's name ("2026-03-02", "2026-W10",
// "2026-03", "2026-Q1", "2026") and its first day ("2026-03-02").
func periodLabel(p int64, u period.Unit) (label, start string) {
	return period.Label(u, p), periodStart(p, u)
}

// periodStart returns the first day of period p as "2006-01-02", the
// period's key in the scorecard's state.
func periodStart(p int64, u period.Unit) string {
	y, m, d := period.FirstDay(u, p)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// parsePeriodStart returns the ordinal of the period that starts on the
// date s, and an error when s is not a date from year 1 to 9999 or not
// the first day of a period of unit u.
func parsePeriodStart(s string, u period.Unit) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("period %q is not a date (2006-01-02)", s)
	}
	p := period.OfDate(u, t.Year(), t.Month(), t.Day())
	if periodStart(p, u) != s {
		return 0, fmt.Errorf("period %q is not the first day of a period", s)
	}
	return p, nil
}
