package funnel

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// Report is the result of an analysis: the funnel's figures overall, per
// cohort period and per segment, and the data-quality findings. It is
// plain data with JSON tags.
type Report struct {
	// Funnel is the funnel's name.
	Funnel string `json:"funnel,omitempty"`
	// AsOf, Cohort, Window, Strict and SegmentBy repeat the options.
	AsOf      time.Time     `json:"as_of,omitzero"`
	Cohort    Period        `json:"cohort,omitempty"`
	Zone      string        `json:"zone,omitempty"`
	Window    time.Duration `json:"window,omitempty"`
	Strict    bool          `json:"strict,omitempty"`
	SegmentBy string        `json:"segment_by,omitempty"`
	// Leads counts every lead added; NotYetCreated those created after
	// AsOf; Unstaged the visible leads that reached no stage. The leads in
	// the funnel are Overall.Leads = Leads − NotYetCreated − Unstaged.
	Leads         int64 `json:"leads"`
	NotYetCreated int64 `json:"not_yet_created"`
	Unstaged      int64 `json:"unstaged"`
	// Overall covers every lead in the funnel; its Key is empty.
	Overall Breakdown `json:"overall"`
	// Cohorts has one breakdown per cohort period, oldest first; empty
	// when Options.Cohort is PeriodNone.
	Cohorts []Breakdown `json:"cohorts,omitempty"`
	// Segments has one breakdown per segment key, in key order; empty when
	// no segment function was given.
	Segments []Breakdown `json:"segments,omitempty"`
	// FindingCounts counts the data-quality findings by kind.
	FindingCounts map[FindingKind]int64 `json:"finding_counts,omitempty"`
	// Findings lists the findings kept, sorted by lead id, path and kind.
	Findings []Finding `json:"findings,omitempty"`
}

// Breakdown holds the funnel's figures for one group of leads.
type Breakdown struct {
	// Key is the cohort label or segment key; empty for Overall.
	Key string `json:"key"`
	// Leads counts the leads of the group in the funnel (those that
	// reached the first stage).
	Leads int64 `json:"leads"`
	// Conversion is the share of Leads that reached the last stage.
	Conversion kpi.Ratio `json:"conversion"`
	// Stages is aligned with the funnel's stages.
	Stages []StageReport `json:"stages"`
}

// StageReport holds the figures of one stage.
type StageReport struct {
	// Stage and Team repeat the funnel's definition.
	Stage lead.Stage `json:"stage"`
	Team  lead.Team  `json:"team"`
	// Reached counts the leads that reached the stage.
	Reached int64 `json:"reached"`
	// Converted counts those that reached the next stage (0 for the last
	// stage).
	Converted int64 `json:"converted"`
	// Conversion is Converted / Reached, undefined when no lead reached
	// the stage, and undefined for the last stage, which has no next.
	Conversion kpi.Ratio `json:"conversion"`
	// FromTop is Reached / the first stage's Reached.
	FromTop kpi.Ratio `json:"from_top"`
	// DropOff = Reached − Converted: the leads that got no further
	// (0 for the last stage). DropOffRate is DropOff / Reached.
	DropOff     int64     `json:"drop_off"`
	DropOffRate kpi.Ratio `json:"drop_off_rate"`
	// Exits counts the leads that left the funnel from this stage, by
	// exit and reason, most frequent first.
	Exits []ExitCount `json:"exits,omitempty"`
	// StillIn counts the leads whose latest transition went into this
	// stage.
	StillIn int64 `json:"still_in"`
	// Reentered counts the leads that entered the stage more than once.
	Reentered int64 `json:"reentered"`
	// TimeToNext summarises the time from this stage to the next.
	TimeToNext Timing `json:"time_to_next"`
}

// ExitCount counts the leads that left through one exit for one reason.
type ExitCount struct {
	// Exit is the exit stage ("disqualified").
	Exit lead.Stage `json:"exit"`
	// Reason is the reason given on the transition; empty when none was.
	Reason string `json:"reason"`
	// Leads counts the leads.
	Leads int64 `json:"leads"`
}

// Report computes the figures. It does not change the analysis, so Add
// and Merge may continue afterwards.
func (a *Analysis) Report() *Report {
	o := &a.Options
	r := &Report{
		Funnel: a.Funnel.Name, AsOf: o.AsOf, Cohort: o.Cohort, Zone: o.Zone,
		Window: o.Window, Strict: o.Strict, SegmentBy: o.SegmentBy,
		Leads: a.Leads, NotYetCreated: a.NotYetCreated, Unstaged: a.Unstaged,
	}
	n := len(a.Funnel.Stages)
	total := &Cell{Stages: make([]StageState, n)}
	bySeg := map[string]*Cell{}
	for _, label := range slices.Sorted(maps.Keys(a.Cells)) {
		cohort := &Cell{Stages: make([]StageState, n)}
		for _, seg := range slices.Sorted(maps.Keys(a.Cells[label])) {
			c := a.Cells[label][seg]
			cohort.merge(c)
			if bySeg[seg] == nil {
				bySeg[seg] = &Cell{Stages: make([]StageState, n)}
			}
			bySeg[seg].merge(c)
		}
		total.merge(cohort)
		if o.Cohort != PeriodNone {
			r.Cohorts = append(r.Cohorts, a.breakdown(label, cohort))
		}
	}
	if o.SegmentBy != "" {
		for _, seg := range slices.Sorted(maps.Keys(bySeg)) {
			r.Segments = append(r.Segments, a.breakdown(seg, bySeg[seg]))
		}
	}
	r.Overall = a.breakdown("", total)
	if len(a.FindingCounts) > 0 {
		r.FindingCounts = maps.Clone(a.FindingCounts)
	}
	if len(a.Findings) > 0 {
		r.Findings = slices.Clone(a.Findings)
		slices.SortFunc(r.Findings, compareFindings)
		if max := o.MaxFindings; max > 0 && len(r.Findings) > max {
			r.Findings = r.Findings[:max]
		}
	}
	return r
}

func (a *Analysis) breakdown(key string, c *Cell) Breakdown {
	n := len(c.Stages)
	if n == 0 {
		return Breakdown{Key: key} // a zero Analysis
	}
	top := c.Stages[0].Reached
	b := Breakdown{Key: key, Leads: top, Conversion: kpi.RatioOf(c.Stages[n-1].Reached, top)}
	for i := range c.Stages {
		s := &c.Stages[i]
		sr := StageReport{
			Stage: a.Funnel.Stages[i].Name, Team: a.Funnel.Stages[i].Team,
			Reached: s.Reached, FromTop: kpi.RatioOf(s.Reached, top),
			StillIn: s.StillIn, Reentered: s.Reentered,
			TimeToNext: s.Time.summary(a.Options.Timing),
		}
		if i < n-1 {
			sr.Converted = c.Stages[i+1].Reached
			sr.Conversion = kpi.RatioOf(sr.Converted, s.Reached)
			sr.DropOff = s.Reached - sr.Converted
			sr.DropOffRate = kpi.RatioOf(sr.DropOff, s.Reached)
		}
		sr.Exits = slices.Clone(s.Exits)
		slices.SortFunc(sr.Exits, func(x, y ExitCount) int {
			return cmp.Or(cmp.Compare(y.Leads, x.Leads), cmp.Compare(x.Exit, y.Exit), cmp.Compare(x.Reason, y.Reason))
		})
		b.Stages = append(b.Stages, sr)
	}
	return b
}

// Analyze analyses leads in one pass: NewAnalysis, Add for each lead,
// Report. It is safe to call from several goroutines at once, as long as
// opts.Segment is.
func Analyze(f Funnel, leads []lead.Lead, opts Options) (*Report, error) {
	a, err := NewAnalysis(f, opts)
	if err != nil {
		return nil, err
	}
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			return nil, err
		}
	}
	return a.Report(), nil
}
