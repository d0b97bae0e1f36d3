package leadkit

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/period"
)

// Period is a calendar period length: the one period type of every
// leadkit analysis (scorecard periods, funnel cohorts, SLA volume and
// quality periods). Periods are cut in local dates of a [Zone]: a day
// starts at local midnight, a week on Monday (ISO 8601 weeks), a quarter
// in January, April, July or October.
//
// The zero Period means "none"; each analysis documents what it does with
// it (the scorecard reads it as Month, a funnel as no cohorts).
type Period string

// The periods.
const (
	Day     Period = "day"
	Week    Period = "week"
	Month   Period = "month"
	Quarter Period = "quarter"
	Year    Period = "year"
)

// IsValid reports whether p is one of the five named periods.
func (p Period) IsValid() bool {
	_, ok := period.Parse(string(p))
	return ok
}

// Check returns nil for a named period, and otherwise an error that lists
// the valid names. The empty Period is refused too: callers that give it a
// meaning test for it first.
func (p Period) Check() error {
	if p.IsValid() {
		return nil
	}
	return fmt.Errorf("unknown period %q; use day, week, month, quarter or year", string(p))
}

// Start returns the instant the period of p that contains t begins in
// loc (nil means UTC): local midnight of its first day, or the first
// valid instant after it where a DST change skips midnight. An invalid p
// counts as Month.
func (p Period) Start(t time.Time, loc *time.Location) time.Time {
	u := p.unit()
	return period.Start(u, period.Of(u, t, loc), loc)
}

// Next returns the start of the period after the one of p that contains
// t, in loc (nil means UTC).
func (p Period) Next(t time.Time, loc *time.Location) time.Time {
	u := p.unit()
	return period.Start(u, period.Next(u, period.Of(u, t, loc)), loc)
}

// Label names the period of p that contains t, in loc (nil means UTC):
// "2026-03-02" (day), "2026-W10" (ISO week), "2026-03" (month),
// "2026-Q1" (quarter), "2026" (year).
func (p Period) Label(t time.Time, loc *time.Location) string {
	u := p.unit()
	return period.Label(u, period.Of(u, t, loc))
}

func (p Period) unit() period.Unit {
	u, ok := period.Parse(string(p))
	if !ok {
		return period.Month
	}
	return u
}
