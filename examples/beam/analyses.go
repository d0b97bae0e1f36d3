package main

import (
	"fmt"
	"github.com/leadkit/leadkit/examples/alignment"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// The analyses' names in the output lines.
const (
	kpiName             = "kpi"
	funnelName          = "funnel"
	slaName             = "sla"
	scoringName         = "scoring"
	funnelByCountryName = "funnel_by_country"
)

// countryKey is the key of the per-key funnel.
const countryKey lead.Key = "company.country"

// Analyses holds the empty accumulators of the four analyses of one
// agreement as of one instant, as JSON state: all a pipeline ships to its
// workers.
type Analyses struct {
	AsOf    time.Time
	KPI     []byte
	Funnel  []byte
	SLA     []byte
	Scoring []byte
}

// evalOptions are the scoring evaluation's options (the report's backtest).
func evalOptions() scoring.EvalOptions {
	return scoring.EvalOptions{Thresholds: []float64{50, 75, 100, 125}}
}

// NewAnalyses compiles the agreement's definitions, as the report does
// (examples/alignment.Build), and encodes one empty accumulator of each.
// asOf must be set: SLA compliance and the backtest's outcomes need one.
func NewAnalyses(a alignment.Agreement, asOf time.Time) (*Analyses, error) {
	if asOf.IsZero() {
		return nil, fmt.Errorf("the analyses need an as-of time")
	}
	accs, err := newAccumulators(a, asOf)
	if err != nil {
		return nil, err
	}
	x := &Analyses{AsOf: asOf}
	for _, e := range []struct {
		dst *[]byte
		acc interface{ MarshalJSON() ([]byte, error) }
	}{{&x.KPI, accs.kpi}, {&x.Funnel, accs.funnel}, {&x.SLA, accs.sla}, {&x.Scoring, accs.scoring}} {
		if *e.dst, err = e.acc.MarshalJSON(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// accumulators are one empty accumulator per analysis.
type accumulators struct {
	kpi     *kpi.Scorecard
	funnel  *funnel.Analysis
	sla     *sla.Compliance
	scoring *scoring.Evaluation
}

func newAccumulators(a alignment.Agreement, asOf time.Time) (*accumulators, error) {
	analyzer, err := funnel.Compile(funnel.Definition{Funnel: a.Funnel, Segment: "source.channel"})
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	meter, err := kpi.Compile(kpi.Config{
		Period:      leadkit.Quarter,
		Dimensions:  []kpi.Dimension{kpi.ByChannel()},
		Stages:      kpi.Stages{Ladder: a.Funnel.Ladder()},
		GrossMargin: a.Targets.GrossMargin,
	})
	if err != nil {
		return nil, fmt.Errorf("kpi: %w", err)
	}
	checker, err := sla.Compile(a.SLA)
	if err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	scorer, err := scoring.Compile(a.Scoring)
	if err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	eval, err := scorer.NewEvaluation(asOf, evalOptions())
	if err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	return &accumulators{
		kpi:     meter.NewScorecard(asOf),
		funnel:  analyzer.NewAnalysis(asOf),
		sla:     checker.NewCompliance(asOf),
		scoring: eval,
	}, nil
}

// Record is one record of the KPI scorecard: exactly one field is set.
type Record struct {
	Lead     *lead.Lead    `json:"lead,omitempty"`
	Deal     *kpi.Deal     `json:"deal,omitempty"`
	Customer *kpi.Customer `json:"customer,omitempty"`
	Spend    *kpi.Spend    `json:"spend,omitempty"`
	Visits   *kpi.Visits   `json:"visits,omitempty"`
}

// scorecardInput adds Records to a scorecard through its typed adders.
type scorecardInput struct{}

// Add adds r's one record.
func (scorecardInput) Add(s *kpi.Scorecard, r Record) error {
	switch {
	case r.Lead != nil:
		return s.AddLead(r.Lead)
	case r.Deal != nil:
		return s.AddDeal(r.Deal)
	case r.Customer != nil:
		return s.AddCustomer(r.Customer)
	case r.Spend != nil:
		return s.AddSpend(r.Spend)
	case r.Visits != nil:
		return s.AddVisits(r.Visits)
	}
	return fmt.Errorf("kpi: empty record")
}

// funnelInput adds leads to a funnel analysis.
type funnelInput struct{}

// Add adds l.
func (funnelInput) Add(a *funnel.Analysis, l lead.Lead) error { return a.Add(&l) }

// slaInput adds leads to an SLA compliance.
type slaInput struct{}

// Add adds l.
func (slaInput) Add(c *sla.Compliance, l lead.Lead) error { return c.Add(&l) }

// scoringInput adds a lead's outcome, if known at the evaluation's as-of,
// to a scoring evaluation.
type scoringInput struct{}

// Add adds l's outcome.
func (scoringInput) Add(e *scoring.Evaluation, l lead.Lead) error {
	o, ok := outcomeOf(&l, e.AsOf())
	if !ok {
		return nil
	}
	return e.Add(o)
}

// outcomeOf is the report's backtest rule (examples/alignment): a lead
// handed to sales (entered MQL) by asOf whose outcome is known at asOf
// (a customer, or exited), scored as of its handoff.
func outcomeOf(l *lead.Lead, asOf time.Time) (scoring.Outcome, bool) {
	mql, ok := l.EnteredAt(lead.StageMQL)
	if !ok || mql.After(asOf) {
		return scoring.Outcome{}, false
	}
	won, isWon := l.EnteredAt(lead.StageCustomer)
	isWon = isWon && !won.After(asOf)
	if !isWon && !l.StageAt(asOf).IsExit() {
		return scoring.Outcome{}, false
	}
	return scoring.Outcome{Lead: l, DecidedAt: mql, Converted: isWon}, true
}

// The four analyses' registrations: the accumulator's coder and the
// generic DoFns instantiated for it.
func init() {
	registerAnalysis[kpi.Scorecard, *kpi.Scorecard, kpi.Report, Record, scorecardInput]()
	registerAnalysis[funnel.Analysis, *funnel.Analysis, funnel.Report, lead.Lead, funnelInput]()
	registerAnalysis[sla.Compliance, *sla.Compliance, sla.Report, lead.Lead, slaInput]()
	registerAnalysis[scoring.Evaluation, *scoring.Evaluation, scoring.EvaluationReport, lead.Lead, scoringInput]()
}
