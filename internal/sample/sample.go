package sample

import (
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// Config says what to generate. The zero Config is valid: no leads over
// the default period.
type Config struct {
	// Seed selects the data set: the same Config gives the same data.
	Seed uint64
	// Leads is the number of leads to create; 0 to 1,000,000 is the
	// tested range, larger values work. Negative is an error.
	Leads int
	// Start and End bound the creation times of the leads: every
	// CreatedAt lies in [Start, End). A zero Start means 2025-01-01 UTC
	// and a zero End 2026-01-01 UTC. End must be after Start. All
	// generated times are in UTC.
	Start, End time.Time
}

// Dataset is one generated data set: the leads and the records that
// belong with them.
type Dataset struct {
	// Leads holds the leads, sorted by CreatedAt, with IDs L0000001,
	// L0000002, ... in that order.
	Leads []lead.Lead `json:"leads"`
	// Deals holds one deal per opportunity (new business, LeadID set)
	// followed by expansion deals with existing customers.
	Deals []kpi.Deal `json:"deals"`
	// Customers holds one record per won account, sorted by Since.
	Customers []kpi.Customer `json:"customers"`
	// Spend holds marketing spend per channel, campaign and day.
	Spend []kpi.Spend `json:"spend"`
	// Visits holds website visits per channel and day.
	Visits []kpi.Visits `json:"visits"`
}

// FollowOn is how long after Config.End the generated histories keep
// running: stage changes, activities, deals, churn and evangelists of
// leads created before End can fall in [End, End+FollowOn]; nothing is
// later. A lead whose next step would fall later stays where it is, so a
// deal can still be open.
const FollowOn = 90 * 24 * time.Hour

// Reps is the number of sales reps, with ids "rep-01" to "rep-20".
const Reps = 20

// Automation is the Transition.By of stage changes that marketing
// automation makes (lead to MQL, a recycled lead coming back, marketing
// disqualifications, customer to evangelist).
const Automation = "marketing-automation"

// The business calendar the generator places sales work in: Monday to
// Friday, WorkdayStart to WorkdayEnd hours UTC, no holidays. A sales
// touch, an acceptance, a rejection or a deal decision happens in these
// hours; a prospect acts at any time.
const (
	WorkdayStart = 9
	WorkdayEnd   = 17
)

// ResponseSLA is the sales response time the generated first touches are
// measured against: one business day, 8 working hours of the calendar
// above, counted from the lead's first entry into MQL.
const ResponseSLA = (WorkdayEnd - WorkdayStart) * time.Hour

// MaxPeriod is the longest period from Start to End that Generate
// accepts: 100 years of 365.25 days.
const MaxPeriod = 36525 * 24 * time.Hour

func minTime() time.Time { return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }

// maxTime keeps End+FollowOn inside year 9999, the last year that
// encoding/json can write.
func maxTime() time.Time { return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }

func defaultStart() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
func defaultEnd() time.Time   { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Generate returns the data set cfg describes. The same cfg always gives
// the same data set, down to the bytes of its JSON encoding. It returns an
// error, naming the field, when Leads is negative, End is not after
// Start, the period holds no whole second or is longer than [MaxPeriod],
// or a bound lies outside years 1 to 9998.
func Generate(cfg Config) (*Dataset, error) {
	start, end := cfg.Start, cfg.End
	if start.IsZero() {
		start = defaultStart()
	}
	if end.IsZero() {
		end = defaultEnd()
	}
	var errs []error
	if cfg.Leads < 0 {
		errs = append(errs, fmt.Errorf("sample: leads: negative (%d)", cfg.Leads))
	}
	startSec, endSec := ceilSec(start), ceilSec(end)
	switch {
	case start.Before(minTime()) || end.After(maxTime()):
		errs = append(errs, fmt.Errorf("sample: start %s and end %s must lie in years 1 to 9998", start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano)))
	case !end.After(start):
		errs = append(errs, fmt.Errorf("sample: end %s is not after start %s", end.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano)))
	case endSec <= startSec:
		errs = append(errs, fmt.Errorf("sample: start %s to end %s holds no whole second", start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano)))
	case end.Sub(start) > MaxPeriod:
		errs = append(errs, fmt.Errorf("sample: start %s to end %s is longer than 100 years", start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano)))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	g := newGen(cfg.Seed, cfg.Leads, startSec, endSec)
	return g.run(), nil
}

// ceilSec returns t in Unix seconds, rounded up.
func ceilSec(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}
