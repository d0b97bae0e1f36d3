package alignment

import (
	"cmp"
	"fmt"
	"github.com/leadkit/leadkit"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Data is what the host hands over: its leads and the records around them.
type Data struct {
	Leads     []lead.Lead
	Deals     []kpi.Deal
	Customers []kpi.Customer
	Spend     []kpi.Spend
	Visits    []kpi.Visits
}

// Report is the alignment report: one section per question the two teams
// ask each other.
type Report struct {
	Agreement string    `json:"agreement"`
	AsOf      time.Time `json:"as_of"`
	Leads     int       `json:"leads"`

	Scoring ScoringSection `json:"scoring"`
	Funnel  FunnelSection  `json:"funnel"`
	KPIs    KPISection     `json:"kpis"`
	SLA     sla.Report     `json:"sla"`
	Plan    PlanSection    `json:"plan"`
}

// ScoringSection says how the shared scoring model sees the leads.
type ScoringSection struct {
	Model       string   `json:"model"`
	Fingerprint string   `json:"fingerprint"`
	Warnings    []string `json:"warnings,omitempty"`
	// Grades: per fit grade, how many leads and how many became
	// customers. If the grades mean anything, A converts best.
	Grades []GradeRow `json:"grades"`
	// Qualified counts the leads per qualification stage the model gives.
	Qualified []Count `json:"qualified"`
	// Personas counts the leads per persona.
	Personas []Count `json:"personas"`
	// Agreement compares the model's MQL verdict with what happened:
	// leads the model qualifies that marketing never handed over, and
	// leads handed over that the model does not qualify.
	ModelMQLNotHandedOver int64 `json:"model_mql_not_handed_over"`
	HandedOverNotModelMQL int64 `json:"handed_over_not_model_mql"`
	// Hottest lists the best open leads nobody in sales has touched yet,
	// with the explanation a rep reads.
	Hottest []scoring.Result `json:"hottest"`
	Errors  int              `json:"errors"`
	// Backtest scores every lead that was handed to sales and whose
	// outcome is known, as of the moment it was handed over, and checks
	// the total score against whether it became a customer.
	Backtest scoring.EvaluationReport `json:"backtest"`
}

// GradeRow is one fit grade.
type GradeRow struct {
	Grade      string    `json:"grade"`
	Leads      int64     `json:"leads"`
	Customers  int64     `json:"customers"`
	Conversion kpi.Ratio `json:"conversion"`
}

// Count is a labelled count.
type Count struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// FunnelSection is the funnel overall and by channel.
type FunnelSection struct {
	Report funnel.Report `json:"report"`
}

// KPISection holds the shared KPIs per quarter and per channel.
type KPISection struct {
	Report kpi.Report `json:"report"`
}

// PlanSection runs the funnel backwards from next quarter's target.
type PlanSection struct {
	Goal         funnel.Goal          `json:"goal"`
	Requirements *funnel.Requirements `json:"requirements"`
	Error        string               `json:"error,omitempty"`
}

// Build computes the report as of asOf: every section sees the same
// world, the one known at asOf. The library does the cutting: each
// analysis is made as of asOf and ignores what happened after it.
func Build(a Agreement, d Data, asOf time.Time) (*Report, error) {
	// A duplicated lead would be counted twice by every section.
	if err := lead.CheckUnique(d.Leads); err != nil {
		return nil, fmt.Errorf("leads: %w", err)
	}

	// 1. Compile the agreement once. Each compiled object makes the
	// accumulators of one analysis, as of one instant.
	analyzer, err := funnel.Compile(funnel.Definition{Funnel: a.Funnel, Segment: "source.channel"})
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	meter, err := kpi.Compile(kpi.Config{
		Period:      leadkit.Quarter,
		Dimensions:  []kpi.Dimension{kpi.ByChannel()},
		Stages:      kpi.Stages{Ladder: a.Funnel.Ladder()}, // the funnel's own stages
		GrossMargin: a.Targets.GrossMargin,
	})
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	checker, err := sla.Compile(a.SLA)
	if err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	funnelAcc := analyzer.NewAnalysis(asOf)
	scorecard := meter.NewScorecard(asOf)
	compliance := checker.NewCompliance(asOf)

	// 2. One pass over the leads feeds all three. A deal does not know
	// its lead's channel: remember each lead's segment keys for its deals.
	keys := make(map[string]map[string]string, len(d.Leads))
	for i := range d.Leads {
		l := &d.Leads[i]
		if err := funnelAcc.Add(l); err != nil {
			return nil, fmt.Errorf("funnel: %w", err)
		}
		if err := scorecard.AddLead(l); err != nil {
			return nil, fmt.Errorf("kpi: %w", err)
		}
		if err := compliance.Add(l); err != nil {
			return nil, fmt.Errorf("sla: %w", err)
		}
		keys[l.ID] = meter.KeysOf(l)
	}
	if err := lead.CheckUniqueIDs(len(d.Deals), func(i int) string { return d.Deals[i].ID }); err != nil {
		return nil, fmt.Errorf("deals: %w", err)
	}
	for i := range d.Deals {
		deal := d.Deals[i] // a copy: Keys is set on it, not on the host's record
		deal.Keys = keys[deal.LeadID]
		if err := scorecard.AddDeal(&deal); err != nil {
			return nil, fmt.Errorf("kpi: deal %q: %w", deal.ID, err)
		}
	}
	for i := range d.Customers {
		if err := scorecard.AddCustomer(&d.Customers[i]); err != nil {
			return nil, fmt.Errorf("kpi: customer %q: %w", d.Customers[i].ID, err)
		}
	}
	for i := range d.Spend {
		if err := scorecard.AddSpend(&d.Spend[i]); err != nil {
			return nil, fmt.Errorf("kpi: %w", err)
		}
	}
	for i := range d.Visits {
		if err := scorecard.AddVisits(&d.Visits[i]); err != nil {
			return nil, fmt.Errorf("kpi: %w", err)
		}
	}

	// 3. The reports.
	r := &Report{Agreement: a.Name, AsOf: asOf}
	if r.Funnel.Report, err = funnelAcc.Report(); err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	if r.KPIs.Report, err = scorecard.Report(); err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	if r.SLA, err = compliance.Report(); err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	// Scoring looks at the leads that existed at asOf.
	visible := make([]lead.Lead, 0, len(d.Leads))
	for _, l := range d.Leads {
		if !l.CreatedAt.After(asOf) {
			visible = append(visible, l)
		}
	}
	r.Leads = len(visible)
	if err := buildScoring(&r.Scoring, a.Scoring, visible, asOf); err != nil {
		return nil, err
	}
	buildPlan(&r.Plan, a, r.Funnel.Report, r.KPIs.Report, asOf)
	return r, nil
}

func buildScoring(s *ScoringSection, m scoring.Model, leads []lead.Lead, asOf time.Time) error {
	scorer, err := scoring.Compile(m)
	if err != nil {
		return fmt.Errorf("scoring model: %w", err)
	}
	s.Model = m.Name + " " + m.Version
	s.Fingerprint = scorer.Fingerprint()
	for _, w := range scorer.Warnings() {
		s.Warnings = append(s.Warnings, w.String())
	}
	results, errs := scorer.ScoreAll(leads, asOf)

	grades := map[string]*GradeRow{}
	qualified := map[string]int64{}
	personas := map[string]int64{}
	var open []scoring.Result
	for i := range leads {
		if errs != nil && errs[i] != nil {
			s.Errors++
			continue
		}
		l, res := &leads[i], results[i]
		g := grades[res.Grade]
		if g == nil {
			g = &GradeRow{Grade: res.Grade}
			grades[res.Grade] = g
		}
		g.Leads++
		customer := l.StageAt(asOf) == lead.StageCustomer || l.StageAt(asOf) == lead.StageEvangelist
		if customer {
			g.Customers++
		}
		stage := string(res.Qualification.Stage)
		if stage == "" {
			stage = "(not qualified)"
		}
		qualified[stage]++
		for _, p := range res.Personas {
			personas[p]++
		}
		modelMQL := res.Qualification.Stage != ""
		_, handed := l.EnteredAt(lead.StageMQL)
		switch {
		case modelMQL && !handed:
			s.ModelMQLNotHandedOver++
		case handed && !modelMQL:
			s.HandedOverNotModelMQL++
		}
		if modelMQL && !touched(l, asOf) && !l.StageAt(asOf).IsExit() && !customer {
			open = append(open, res)
		}
	}
	for _, g := range grades {
		g.Conversion = kpi.RatioOf(g.Customers, g.Leads)
		s.Grades = append(s.Grades, *g)
	}
	slices.SortFunc(s.Grades, func(a, b GradeRow) int { return cmp.Compare(a.Grade, b.Grade) })
	s.Qualified = counts(qualified)
	s.Personas = counts(personas)
	slices.SortStableFunc(open, func(a, b scoring.Result) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.LeadID, b.LeadID))
	})
	s.Hottest = open[:min(3, len(open))]

	// The backtest: what did the score say at handoff, and what happened?
	var outcomes []scoring.Outcome
	for i := range leads {
		l := &leads[i]
		mql, ok := l.EnteredAt(lead.StageMQL)
		if !ok || mql.After(asOf) {
			continue
		}
		won, isWon := l.EnteredAt(lead.StageCustomer)
		isWon = isWon && !won.After(asOf)
		if !isWon && !l.StageAt(asOf).IsExit() {
			continue // still being worked: outcome unknown
		}
		outcomes = append(outcomes, scoring.Outcome{Lead: l, DecidedAt: mql, Converted: isWon})
	}
	s.Backtest, err = scoring.Evaluate(scorer, outcomes, scoring.EvalOptions{Thresholds: []float64{50, 75, 100, 125}})
	if err != nil {
		s.Errors++
	}
	return nil
}

// touched reports whether a rep touched the lead at or before asOf.
func touched(l *lead.Lead, asOf time.Time) bool {
	for _, a := range l.Activities {
		if a.IsSalesTouch() && !a.At.After(asOf) {
			return true
		}
	}
	return false
}

func counts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}

func buildPlan(p *PlanSection, a Agreement, fr funnel.Report, kr kpi.Report, asOf time.Time) {
	total := totals(kr)
	ads, err := total.AverageDealSize.Value(2)
	if err != nil {
		p.Error = "no won deals yet: the plan needs an average deal size"
		return
	}
	cpl, err := total.CostPerLead.Value(2)
	if err != nil {
		cpl = decimal.Zero
	}
	p.Goal = funnel.Goal{
		Revenue:         a.Targets.Revenue,
		AverageDealSize: ads,
		Rates:           funnel.RatesFrom(fr.Overall),
		CostPerLead:     cpl,
		Deadline:        asOf.AddDate(0, 0, a.Targets.QuarterDays),
		StageTimes:      funnel.StageTimesFrom(fr.Overall),
	}
	req, err := funnel.Plan(a.Funnel, p.Goal)
	if err != nil {
		p.Error = err.Error()
		return
	}
	p.Requirements = req
}

// totals returns the all-periods totals row of a scorecard report.
func totals(kr kpi.Report) kpi.Row {
	for _, row := range kr.Rows {
		if row.Period == kpi.AllPeriods && row.Dimension == "" {
			return row
		}
	}
	return kpi.Row{}
}
