package sample

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// baselineFill is the hand-written baseline: it builds n leads of the same
// shape as Generate's (an id string, 11 activities and 4 transitions in
// shared backing arrays, a 3-entry Fields map) from constants, with no
// randomness and no lifecycle logic. Generate's cost over it is the price
// of realistic data.
func baselineFill(n int) []lead.Lead {
	const acts, trs = 11, 4
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	leads := make([]lead.Lead, n)
	as := make([]lead.Activity, n*acts)
	hs := make([]lead.Transition, n*trs)
	budget := any(25000.0)
	for i := range leads {
		at := t0.Add(time.Duration(i) * time.Second)
		a := as[i*acts : (i+1)*acts : (i+1)*acts]
		for k := range a {
			a[k] = lead.Activity{Type: lead.ActivityPageView, At: at, URL: "/pricing"}
		}
		h := hs[i*trs : (i+1)*trs : (i+1)*trs]
		for k := range h {
			h[k] = lead.Transition{From: lead.StageLead, To: lead.StageMQL, At: at, By: Automation}
		}
		leads[i] = lead.Lead{
			ID: "L" + strconv.Itoa(i), CreatedAt: at, Stage: lead.StageMQL,
			Person:     lead.Person{Name: "Ana Silva", Email: "ana.silva@example.com", Title: "VP Marketing"},
			Company:    lead.Company{Name: "Bluebridge Software", Employees: 120},
			Source:     lead.Source{Channel: lead.ChannelEmail, Campaign: "newsletter"},
			History:    h,
			Activities: a,
			Fields:     map[string]any{"use_case": "lead scoring", "trial": true, "budget": budget},
		}
	}
	return leads
}

// perLead reports the per-lead figures of a benchmark that handles n leads
// per iteration.
func perLead(b *testing.B, n int, before runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	total := float64(b.N) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/lead")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/lead")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/lead")
}

func benchSizes(b *testing.B, sizes []int, run func(n int)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("leads=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				run(n)
			}
			perLead(b, n, before)
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	benchSizes(b, []int{1000, 100_000}, func(n int) {
		if _, err := Generate(Config{Seed: 1, Leads: n}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkBaselineFill(b *testing.B) {
	benchSizes(b, []int{1000, 100_000}, func(n int) { baselineFill(n) })
}

// BenchmarkGenerate1M generates the largest tested size once per
// iteration; run it with -benchtime=1x. The target is under 30 s
// on one core (GOMAXPROCS=1).
func BenchmarkGenerate1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M leads take seconds; skipped under -short")
	}
	benchSizes(b, []int{1_000_000}, func(n int) {
		if _, err := Generate(Config{Seed: 1, Leads: n}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkBaselineFill1M(b *testing.B) {
	if testing.Short() {
		b.Skip("skipped under -short")
	}
	benchSizes(b, []int{1_000_000}, func(n int) { baselineFill(n) })
}
