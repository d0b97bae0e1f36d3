package funnel

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// Report is the result of an analysis: the funnel's figures overall, per
// cohort period and per segment, and the data-quality findings. It is
// plain data with JSON tags. The same leads added in any order, or split
// over merged analyses, give the identical Report.
type Report struct {
	// Funnel is the funnel's name.
	Funnel string `json:"funnel,omitempty"`
	// Fingerprint identifies the definition (see [Analyzer.Fingerprint]).
	Fingerprint string `json:"fingerprint"`
	// AsOf is the analysis's as-of time; zero (omitted) means no cut.
	AsOf time.Time `json:"as_of,omitzero"`
	// Cohort, Zone, Window, Strict and Segment repeat the definition.
	Cohort  leadkit.Period   `json:"cohort,omitempty"`
	Zone    leadkit.Zone     `json:"zone"`
	Window  leadkit.Duration `json:"window,omitempty"`
	Strict  bool             `json:"strict,omitempty"`
	Segment lead.Key         `json:"segment,omitempty"`
	// Leads counts every lead added. NotYetCreated counts the leads
	// skipped because they were created after AsOf; Unstaged the visible
	// leads that reached no stage. The leads in the funnel are
	// Overall.Leads = Leads − NotYetCreated − Unstaged.
	Leads         int64 `json:"leads"`
	NotYetCreated int64 `json:"not_yet_created"`
	Unstaged      int64 `json:"unstaged"`
	// Overall covers every lead in the funnel; its Key is empty.
	Overall Breakdown `json:"overall"`
	// Cohorts has one breakdown per cohort period, oldest first; empty
	// without cohorts.
	Cohorts []Breakdown `json:"cohorts,omitempty"`
	// Segments has one breakdown per segment value, in key order; empty
	// without segments.
	Segments []Breakdown `json:"segments,omitempty"`
	// FindingCounts counts every data-quality finding by kind, exactly.
	FindingCounts map[FindingKind]int64 `json:"finding_counts,omitempty"`
	// Findings lists the findings kept, at most the definition's
	// MaxFindings: the first ones by lead id, path, kind and problem.
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
	// TimeToNext summarizes the time from this stage to the next (see
	// [Analysis] for which leads are timed); its figures are nil when no
	// lead was.
	TimeToNext leadkit.DurationSummary `json:"time_to_next"`
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
// and Merge may continue afterwards. It returns an error for a nil or
// zero Analysis, and when a duration sum over cohorts or segments would
// overflow (only a tampered state gets there).
func (a *Analysis) Report() (Report, error) {
	if a == nil || a.an == nil {
		return Report{}, errNoDefinition
	}
	d := &a.an.def
	r := Report{
		Funnel: d.Funnel.Name, Fingerprint: a.an.fingerprint, AsOf: a.asOf,
		Cohort: d.Cohort, Zone: d.Zone, Window: d.Window, Strict: d.Strict, Segment: d.Segment,
		Leads: a.leads, NotYetCreated: a.notYetCreated, Unstaged: a.unstaged,
	}
	n := len(d.Funnel.Stages)
	newCell := func() *cell { return &cell{stages: make([]stageState, n)} }
	total := newCell()
	bySeg := map[string]*cell{}
	for _, key := range slices.Sorted(maps.Keys(a.cells)) {
		cohort := newCell()
		for _, seg := range slices.Sorted(maps.Keys(a.cells[key])) {
			c := a.cells[key][seg]
			if err := cohort.add(c); err != nil {
				return Report{}, err
			}
			if bySeg[seg] == nil {
				bySeg[seg] = newCell()
			}
			if err := bySeg[seg].add(c); err != nil {
				return Report{}, err
			}
		}
		if err := total.add(cohort); err != nil {
			return Report{}, err
		}
		if a.an.unit != 0 {
			r.Cohorts = append(r.Cohorts, a.breakdown(period.Label(a.an.unit, key), cohort))
		}
	}
	if d.Segment != "" {
		for _, seg := range slices.Sorted(maps.Keys(bySeg)) {
			r.Segments = append(r.Segments, a.breakdown(seg, bySeg[seg]))
		}
	}
	r.Overall = a.breakdown("", total)
	if len(a.findingCounts) > 0 {
		r.FindingCounts = maps.Clone(a.findingCounts)
	}
	if len(a.findings) > 0 {
		r.Findings = a.keptFindings()
	}
	return r, nil
}

// add adds the counts of o to c, for a report: c is a fresh cell, so an
// error (a duration sum overflow) leaves nothing half done that matters.
func (c *cell) add(o *cell) error {
	for i := range c.stages {
		s, os := &c.stages[i], &o.stages[i]
		s.reached += os.reached
		s.stillIn += os.stillIn
		s.reentered += os.reentered
		for _, e := range os.exits {
			s.addExit(e.Exit, e.Reason, e.Leads)
		}
		t, err := os.times()
		if err == nil {
			err = s.time.Merge(&t)
		}
		if err != nil {
			return fmt.Errorf("funnel: Report: times: %w", err)
		}
	}
	return nil
}

func (a *Analysis) breakdown(key string, c *cell) Breakdown {
	stages := a.an.def.Funnel.Stages
	n := len(c.stages)
	top := c.stages[0].reached
	b := Breakdown{Key: key, Leads: top, Conversion: kpi.RatioOf(c.stages[n-1].reached, top)}
	for i := range c.stages {
		s := &c.stages[i]
		sr := StageReport{
			Stage: stages[i].Name, Team: stages[i].Team,
			Reached: s.reached, FromTop: kpi.RatioOf(s.reached, top),
			StillIn: s.stillIn, Reentered: s.reentered,
			TimeToNext: s.time.Summary(),
		}
		if i < n-1 {
			sr.Converted = c.stages[i+1].reached
			sr.Conversion = kpi.RatioOf(sr.Converted, s.reached)
			sr.DropOff = s.reached - sr.Converted
			sr.DropOffRate = kpi.RatioOf(sr.DropOff, s.reached)
		}
		sr.Exits = slices.Clone(s.exits)
		slices.SortFunc(sr.Exits, func(x, y ExitCount) int {
			return cmp.Or(cmp.Compare(y.Leads, x.Leads), cmp.Compare(x.Exit, y.Exit), cmp.Compare(x.Reason, y.Reason))
		})
		b.Stages = append(b.Stages, sr)
	}
	return b
}

// Analyze analyses leads in one pass: [Compile], [Analyzer.NewAnalysis]
// as of asOf (zero: no cut), Add for each lead, Report. Leads must have
// distinct IDs (the empty ID is an ID too): Analyze refuses a slice with
// duplicates, naming the first ten and counting them, because a lead
// counted twice would silently inflate every figure. A nil or empty
// slice gives the report of no leads. It is safe to call from several
// goroutines at once.
func Analyze(def Definition, asOf time.Time, leads []lead.Lead) (Report, error) {
	an, err := Compile(def)
	if err != nil {
		return Report{}, err
	}
	if err := checkDuplicates(leads); err != nil {
		return Report{}, err
	}
	a := an.NewAnalysis(asOf)
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			return Report{}, err
		}
	}
	return a.Report()
}

// checkDuplicates returns an error naming the first ten duplicate lead
// IDs (in slice order) and how many leads repeat an earlier one.
func checkDuplicates(leads []lead.Lead) error {
	seen := make(map[string]struct{}, len(leads))
	var dups []string
	count := 0
	for i := range leads {
		id := leads[i].ID
		if _, ok := seen[id]; ok {
			count++
			if len(dups) < 10 {
				dups = append(dups, strconv.Quote(id))
			}
			continue
		}
		seen[id] = struct{}{}
	}
	if count == 0 {
		return nil
	}
	more := ""
	if count > len(dups) {
		more = ", ..."
	}
	return fmt.Errorf("funnel: Analyze: %d leads repeat an earlier lead's id (%s%s); give each lead once", count, strings.Join(dups, ", "), more)
}
