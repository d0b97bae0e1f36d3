package funnel

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// FuzzAnalyze feeds untrusted funnel definitions, leads and options to
// Validate, Analyze and Plan: they must never panic, and a report must
// keep Reached non-increasing down the stages (by default) and within
// the number of leads.
func FuzzAnalyze(f *testing.F) {
	std, _ := json.Marshal(Standard())
	f.Add(std, []byte(`{"id":"a","created_at":"2024-01-01T00:00:00Z","history":[{"to":"lead","at":"2024-01-01T00:00:00Z"},{"to":"sql","at":"2024-01-03T00:00:00Z"},{"to":"disqualified","at":"2024-01-04T00:00:00Z","reason":"budget"}]}`), false, int64(0), uint8(3))
	f.Add(std, []byte(`{"id":"b","created_at":"2024-01-05T00:00:00Z","stage":"mql"}`), true, int64(3600e9), uint8(1))
	f.Add([]byte(`{"stages":[{"name":"x","team":"sales"}],"handoff":"x"}`), []byte(`{"id":"c","created_at":"0001-01-01T00:00:00Z","history":[{"to":"x","at":"9999-12-31T23:59:59Z"},{"to":"x","at":"0001-01-01T00:00:01Z"}]}`), false, int64(-5), uint8(9))
	f.Fuzz(func(t *testing.T, funnelJSON, leadJSON []byte, strict bool, window int64, period uint8) {
		var fn Funnel
		if json.Unmarshal(funnelJSON, &fn) != nil || fn.Validate() != nil {
			return
		}
		var l lead.Lead
		if json.Unmarshal(leadJSON, &l) != nil {
			return
		}
		periods := []Period{PeriodNone, PeriodDay, PeriodWeek, PeriodMonth, PeriodQuarter, PeriodYear}
		opts := Options{Strict: strict, Cohort: periods[int(period)%len(periods)], Location: time.FixedZone("F", int(period)*900)}
		if window > 0 {
			opts.Window = time.Duration(window)
		}
		if period%2 == 1 {
			opts.Timing = TimingHistogram
			opts.AsOf = l.CreatedAt.Add(time.Duration(window))
		}
		r, err := Analyze(fn, []lead.Lead{l, l}, opts)
		if err != nil {
			t.Fatal(err)
		}
		prev := int64(2)
		for _, s := range r.Overall.Stages {
			if s.Reached > prev || s.Reached < 0 {
				t.Fatalf("reached %d after %d", s.Reached, prev)
			}
			prev = s.Reached
		}
		_, _ = Plan(fn, Goal{Rates: RatesFrom(r.Overall), StageTimes: StageTimesFrom(r.Overall), Deadline: l.CreatedAt})
	})
}

// FuzzAnalysisState decodes untrusted accumulator state (as shipped
// between processes) and uses it: Report, Merge and Add must return
// errors or results, never panic.
func FuzzAnalysisState(f *testing.F) {
	for _, opts := range []Options{{}, {Timing: TimingHistogram, Cohort: PeriodMonth}} {
		a, _ := NewAnalysis(testFunnel(), opts)
		for _, l := range []lead.Lead{
			mk("a", tr("lead", 0), tr("mql", 3), tr("disqualified", 4, "budget")),
			mk("b", tr("mql", 1), tr("customer", 900)),
			mk("c", tr("nowhere", 1)),
		} {
			_ = a.Add(&l)
		}
		b, _ := json.Marshal(a)
		f.Add(b)
	}
	f.Add([]byte(`{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"},"cells":{"":{"":{"stages":[{"time":{"n":5,"base":-7,"buckets":[1,2]}}]}}}}`))
	f.Fuzz(func(t *testing.T, state []byte) {
		var a Analysis
		if json.Unmarshal(state, &a) != nil {
			return
		}
		_ = a.Report()
		if b, err := NewAnalysis(a.Funnel, a.Options); err == nil {
			if b.Merge(&a) == nil {
				_ = b.Report()
			}
		}
		l := mk("z", tr("lead", 0), tr("mql", 1))
		if a.Add(&l) == nil {
			_ = a.Report()
		}
	})
}

// FuzzPlan feeds untrusted goals (as a host would decode them from a
// form) to Plan: it must return an error or a plan whose needs never
// shrink going up the funnel, and never panic.
func FuzzPlan(f *testing.F) {
	f.Add([]byte(`{"revenue":"100000","open_pipeline":"20000","average_deal_size":"10000","cost_per_lead":"50","deadline":"2024-12-31T00:00:00Z","sales_cycle":8640000000000000,"rates":{"lead":{"num":"1","den":"4"},"mql":{"num":"1","den":"2"},"sal":{"num":"7","den":"10"},"sql":{"num":"1","den":"2"},"opportunity":{"num":"3","den":"10"}}}`))
	f.Add([]byte(`{"revenue":"1e9999","average_deal_size":"0.0001","deadline":"2024-12-31T00:00:00Z","rates":{"lead":{"num":"1","den":"1e30"}}}`))
	f.Add([]byte(`{"revenue":"5","average_deal_size":"-1","stage_times":{"lead":-5},"rates":{"customer":{"num":"0","den":"0"}}}`))
	f.Fuzz(func(t *testing.T, goalJSON []byte) {
		var g Goal
		if json.Unmarshal(goalJSON, &g) != nil {
			return
		}
		req, err := Plan(Standard(), g)
		if err != nil {
			return
		}
		for i := 1; i < len(req.Stages); i++ {
			if req.Stages[i-1].Needed < req.Stages[i].Needed {
				t.Fatalf("stage %d needs %d, fewer than the %d below it", i-1, req.Stages[i-1].Needed, req.Stages[i].Needed)
			}
		}
	})
}
