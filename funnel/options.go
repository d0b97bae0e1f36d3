package funnel

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
)

// Period is the length of a cohort period. The zero Period means no
// cohorts: every lead is in one group.
type Period string

// The cohort periods, cut and labelled the way every leadkit package
// does (kpi's scorecard periods, sla's periods). Weeks are ISO weeks,
// Monday to Sunday, labelled with their ISO year and number.
const (
	PeriodNone    Period = ""
	PeriodDay     Period = "day"     // label "2006-01-02"
	PeriodWeek    Period = "week"    // label "2006-W01"
	PeriodMonth   Period = "month"   // label "2006-01"
	PeriodQuarter Period = "quarter" // label "2006-Q1"
	PeriodYear    Period = "year"    // label "2006"
)

// String returns the period's name.
func (p Period) String() string { return string(p) }

// IsValid reports whether p is one of the Period constants.
func (p Period) IsValid() bool {
	switch p {
	case PeriodNone, PeriodDay, PeriodWeek, PeriodMonth, PeriodQuarter, PeriodYear:
		return true
	}
	return false
}

// TimingMode says how an analysis keeps the durations behind the median
// and p90 of the time to the next stage.
type TimingMode string

// The timing modes.
const (
	// TimingExact keeps every duration: exact percentiles, at a cost of 8
	// bytes per lead and stage pair timed (at most 8 × (stages − 1) bytes
	// per lead, 40 for [Standard]; see the package doc for measured
	// figures). This is the zero value and the default.
	TimingExact TimingMode = ""
	// TimingHistogram keeps counts in logarithmic buckets instead: memory
	// is bounded by [HistogramBuckets] buckets per stage, cohort and
	// segment, whatever the number of leads, and every reported median
	// and p90 is within [HistogramRelativeError] of the exact value. The
	// mean and the count stay exact.
	TimingHistogram TimingMode = "histogram"
)

// Options configures an [Analysis]. The zero Options is valid: no as-of
// cut, no cohorts, no window, implied skips, no segments, exact timing.
type Options struct {
	// AsOf hides every transition after it and every lead created after
	// it: the analysis sees the funnel as it was at that instant. The zero
	// time means no cut.
	AsOf time.Time `json:"as_of,omitzero"`
	// Cohort groups leads by the period in which they entered the
	// funnel's first stage (see [Analysis] for leads that skipped it).
	Cohort Period `json:"cohort,omitempty"`
	// Location is the time zone in which cohort periods begin; nil means
	// UTC. It is not serialized: see Zone.
	Location *time.Location `json:"-"`
	// Zone is the name of Location, set by [NewAnalysis]. After an
	// analysis is decoded from JSON, Location is nil; set it again to
	// the same zone before calling [Analysis.Add] (Merge and Report do
	// not need it).
	Zone string `json:"zone,omitempty"`
	// Window, when positive, is the conversion window: a lead counts as
	// having reached a stage only if it got there at most Window after it
	// entered the first stage (the boundary counts as inside). Zero means
	// no window.
	Window time.Duration `json:"window,omitempty"`
	// Strict makes a skipped stage break the chain: a lead reaches a
	// stage only if it entered that stage and every stage before it. By
	// default reaching a later stage implies the earlier ones.
	Strict bool `json:"strict,omitempty"`
	// SegmentBy names the segment key ("channel", "owner"). It is
	// required when Segment is set, and labels the report.
	SegmentBy string `json:"segment_by,omitempty"`
	// Segment returns a lead's segment key; nil means no segments. It is
	// called once per lead and must be safe to call from the goroutine
	// that calls Add. It is not serialized: after decoding an analysis
	// from JSON, set it again before calling [Analysis.Add].
	Segment func(*lead.Lead) string `json:"-"`
	// Timing chooses exact percentiles or a bounded-memory histogram.
	Timing TimingMode `json:"timing,omitempty"`
	// MaxFindings, when positive, keeps at most that many data-quality
	// findings: the first ones in (lead id, path, kind) order, so the kept
	// list does not depend on the order leads were added or merged.
	// Counts by kind stay exact. Zero keeps every finding.
	MaxFindings int `json:"max_findings,omitempty"`
}

func (o *Options) validate() []error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, &Error{Path: "options." + path, Msg: fmt.Sprintf(format, args...)})
	}
	if !o.Cohort.IsValid() {
		add("cohort", "unknown period %q; use day, week, month, quarter or year", o.Cohort)
	}
	if o.Window < 0 {
		add("window", "negative (%v)", o.Window)
	}
	if o.Segment != nil && o.SegmentBy == "" {
		add("segment_by", "empty; name the segment key when Segment is set")
	}
	if o.Segment == nil && o.SegmentBy != "" {
		add("segment", "nil but segment_by is %q", o.SegmentBy)
	}
	if o.Timing != TimingExact && o.Timing != TimingHistogram {
		add("timing", "unknown mode %q; use \"\" (exact) or %q", o.Timing, TimingHistogram)
	}
	if o.MaxFindings < 0 {
		add("max_findings", "negative (%d)", o.MaxFindings)
	}
	return errs
}

// sameConfig reports whether two options describe the same analysis, so
// that their accumulators may be merged.
func (o *Options) sameConfig(p *Options) bool {
	return o.AsOf.Equal(p.AsOf) && o.Cohort == p.Cohort && o.Zone == p.Zone &&
		o.Window == p.Window && o.Strict == p.Strict && o.SegmentBy == p.SegmentBy &&
		o.Timing == p.Timing && o.MaxFindings == p.MaxFindings
}

// unit returns the internal/period unit of p; ok is false for
// PeriodNone.
func (p Period) unit() (period.Unit, bool) { return period.Parse(string(p)) }
