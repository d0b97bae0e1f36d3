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
