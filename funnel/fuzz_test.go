package funnel

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// FuzzAnalyze feeds untrusted funnel definitions, leads and settings to
// Validate, Analyze and Plan: they must never panic, and a report must
// keep Reached non-increasing down the stages (by default) and within
// the number of leads.
func FuzzAnalyze(f *testing.F) {
	std, _ := json.Marshal(Standard())
	f.Add(std, []byte(`{"id":"a","created_at":"2024-01-01T00:00:00Z","history":[{"to":"lead","at":"2024-01-01T00:00:00Z"},{"to":"sql","at":"2024-01-03T00:00:00Z"},{"to":"disqualified","at":"2024-01-04T00:00:00Z","reason":"budget"}]}`), false, int64(0), uint8(3))
	f.Add(std, []byte(`{"id":"b","created_at":"2024-01-05T00:00:00Z","stage":"mql"}`), true, int64(3600e9), uint8(1))
	f.Add([]byte(`{"stages":[{"name":"x","team":"sales"}],"handoff":"x"}`), []byte(`{"id":"c","created_at":"0001-01-01T00:00:00Z","history":[{"to":"x","at":"9999-12-31T23:59:59Z"},{"to":"x","at":"0001-01-01T00:00:01Z"}]}`), false, int64(-5), uint8(9))
	f.Fuzz(func(t *testing.T, funnelJSON, leadJSON []byte, strict bool, window int64, p uint8) {
		var fn Funnel
		if json.Unmarshal(funnelJSON, &fn) != nil || fn.Validate() != nil {
			return
		}
		var l lead.Lead
		if json.Unmarshal(leadJSON, &l) != nil {
			return
		}
		periods := []leadkit.Period{"", leadkit.Day, leadkit.Week, leadkit.Month, leadkit.Quarter, leadkit.Year}
		zones := []leadkit.Zone{"", "Etc/GMT+5", "America/Sao_Paulo"}
		def := Definition{Funnel: fn, Strict: strict, Cohort: periods[int(p)%len(periods)], Zone: zones[int(p)%len(zones)]}
		if window > 0 {
			def.Window = leadkit.Duration(window)
		}
		var asOf time.Time
		if p%2 == 1 {
			def.Segment = "source.channel"
			asOf = l.CreatedAt.Add(time.Duration(window))
		}
		l2 := l
		l2.ID += "'"
		r, err := Analyze(def, asOf, []lead.Lead{l, l2})
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
// between processes) into a zero Analysis. Decoding may fail; if it
// succeeds, adding a lead, merging with a copy of itself and with a
// fresh analysis, and reporting must not panic, and the report's counts
// must be non-negative and its rates within [0, 1].
func FuzzAnalysisState(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "state.golden.json")); err == nil {
		f.Add(b)
	}
	for _, s := range goldenStates() {
		b, _ := json.Marshal(s)
		f.Add(b)
	}
	// Regression: a histogram base of 5000 panicked Report (makeslice).
	f.Add([]byte(`{"format":"leadkit.funnel/1","definition":{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"}},"cells":[{"cohort":"","segment":"","stages":[{"reached":1,"still_in":1,"time":{"n":200,"seconds":1,"base":5000,"counts":[200]}}]}]}`))
	f.Add([]byte(`{"format":"leadkit.funnel/1","leads":-1,"cells":[null],"finding_counts":{"zero_time":null}}`))
	f.Fuzz(func(t *testing.T, state []byte) {
		var a Analysis
		if json.Unmarshal(state, &a) != nil {
			return
		}
		l := mk("z", tr("lead", 0), tr("mql", 1), tr("disqualified", 2, "budget"))
		_ = a.Add(&l)
		var c Analysis
		if b, err := json.Marshal(&a); err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		} else if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("an encoded state does not decode: %v\n%s", err, b)
		}
		_ = a.Merge(&c)
		_ = a.Merge(a.an.NewAnalysis(a.asOf))
		r, err := a.Report()
		if err != nil {
			return
		}
		checkReport(t, r)
	})
}

// checkReport fails t if a count of r is negative or a rate outside
// [0, 1].
func checkReport(t *testing.T, r Report) {
	t.Helper()
	if r.Leads < 0 || r.NotYetCreated < 0 || r.Unstaged < 0 {
		t.Fatalf("negative count: %+v", r)
	}
	for _, k := range r.FindingCounts {
		if k < 0 {
			t.Fatalf("negative finding count: %v", r.FindingCounts)
		}
	}
	bs := append([]Breakdown{r.Overall}, r.Cohorts...)
	for _, b := range append(bs, r.Segments...) {
		for _, s := range b.Stages {
			if s.Reached < 0 || s.Converted < 0 || s.DropOff < 0 || s.StillIn < 0 || s.Reentered < 0 || s.TimeToNext.Count < 0 {
				t.Fatalf("negative count in %q: %+v", b.Key, s)
			}
			for _, x := range []kpi.Ratio{s.Conversion, s.FromTop, s.DropOffRate} {
				if v, ok := x.Float64(); ok && (v < 0 || v > 1) {
					t.Fatalf("rate %v outside [0, 1] in %q: %+v", v, b.Key, s)
				}
			}
		}
	}
}

// FuzzParseDefinition feeds untrusted definition JSON to the strict
// loader: it must return a valid definition that compiles, or a
// *leadkit.Error, and never panic.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(`{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"},"cohort":"month","zone":"Europe/Paris","window":"30d","segment":"source.channel"}`))
	f.Add([]byte(`{"funnel":{"stages":[{"name":"x","team":"sales","colour":1}],"handoff":"x"}}`))
	f.Add([]byte(`{"funnel":{"stages":[]},"window":12}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDefinition(data)
		if err != nil {
			return
		}
		if _, err := Compile(d); err != nil {
			t.Fatalf("ParseDefinition accepted a definition Compile refuses: %v", err)
		}
	})
}

// FuzzPlan feeds untrusted goals (as a host would decode them from a
// form) to Plan: it must return an error or a plan whose needs never
// shrink going up the funnel, and never panic.
func FuzzPlan(f *testing.F) {
	f.Add([]byte(`{"revenue":"100000","open_pipeline":"20000","average_deal_size":"10000","cost_per_lead":"50","deadline":"2024-12-31T00:00:00Z","sales_cycle":"100d","rates":{"lead":{"num":"1","den":"4"},"mql":{"num":"1","den":"2"},"sal":{"num":"7","den":"10"},"sql":{"num":"1","den":"2"},"opportunity":{"num":"3","den":"10"}}}`))
	f.Add([]byte(`{"revenue":"1e9999","average_deal_size":"0.0001","deadline":"2024-12-31T00:00:00Z","rates":{"lead":{"num":"1","den":"1e30"}}}`))
	f.Add([]byte(`{"revenue":"5","average_deal_size":"-1","stage_times":{"lead":"-5ns"},"rates":{"customer":{"num":"0","den":"0"}}}`))
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
