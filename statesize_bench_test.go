package leadkit_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// BenchmarkStateSize reports the JSON state size of each of the four
// accumulators after adding 100k and 1M sample leads (and their deals):
// the figure the analysis contract bounds. It measures sizes, not time:
//
//	go test -run '^$' -bench StateSize -benchtime 1x .
func BenchmarkStateSize(b *testing.B) {
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	meter := kpi.MustCompile(kpi.Config{Period: leadkit.Month, Dimensions: []kpi.Dimension{kpi.ByChannel(), kpi.ByOwner()}})
	analyzer := funnel.MustCompile(funnel.Definition{Funnel: funnel.Standard(), Cohort: leadkit.Month, Segment: "source.channel"})
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"},
			Wednesday: []string{"09:00-17:00"}, Thursday: []string{"09:00-17:00"}, Friday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{
			{Name: "response", Kind: sla.KindResponse, Within: leadkit.MustParseDuration("8h")},
			{Name: "attempts", Kind: sla.KindAttempts, Within: leadkit.MustParseDuration("5d"), Attempts: 3},
			{Name: "acceptance", Kind: sla.KindAcceptance, Within: leadkit.MustParseDuration("3d")},
			{Name: "volume", Kind: sla.KindVolume, Period: leadkit.Month, Target: 1000},
		},
	})
	scorer := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "big", When: `company.employees >= 200`, Points: 20},
		{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 2, Max: scoring.Float(30)},
		{Name: "demo", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 40},
	}})
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ds, err := sample.Generate(sample.Config{Seed: 1, Leads: n})
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				sc := meter.NewScorecard(asOf)
				an := analyzer.NewAnalysis(asOf)
				co := checker.NewCompliance(asOf)
				ev, err := scorer.NewEvaluation(asOf, scoring.EvalOptions{})
				if err != nil {
					b.Fatal(err)
				}
				keys := make(map[string]map[string]string, n)
				for i := range ds.Leads {
					l := &ds.Leads[i]
					if sc.AddLead(l) != nil || an.Add(l) != nil || co.Add(l) != nil {
						b.Fatal("add failed")
					}
					keys[l.ID] = meter.KeysOf(l)
					if won, ok := l.EnteredAt(lead.StageCustomer); ok {
						_ = ev.Add(scoring.Outcome{Lead: l, DecidedAt: won, Converted: true})
					} else if lost, ok := l.EnteredAt(lead.StageDisqualified); ok {
						_ = ev.Add(scoring.Outcome{Lead: l, DecidedAt: lost})
					}
				}
				for i := range ds.Deals {
					d := ds.Deals[i]
					d.Keys = keys[d.LeadID]
					if err := sc.AddDeal(&d); err != nil {
						b.Fatal(err)
					}
				}
				for name, acc := range map[string]json.Marshaler{"kpi": sc, "funnel": an, "sla": co, "scoring": ev} {
					state, err := acc.MarshalJSON()
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(state)), name+"-state-bytes")
				}
			}
		})
	}
}
