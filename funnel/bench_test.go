package funnel

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// benchLeadCount is the size of the benchmark data set, as the issue
// asks: a million leads with full stage histories.
const benchLeadCount = 1_000_000

var benchData = sync.OnceValue(func() []lead.Lead { return simpleLeads(benchLeadCount) })

// simpleLeads generates n leads over 2025 walking the Standard funnel:
// each stage converts with a fixed probability after a random delay,
// some leads are disqualified or recycled on the way.
func simpleLeads(n int) []lead.Lead {
	rng := rand.New(rand.NewPCG(42, 42))
	stages := lead.Lifecycle()[1:7] // lead .. customer
	conv := []int{60, 70, 60, 50, 30}
	channels := []lead.Channel{lead.ChannelOrganicSearch, lead.ChannelPaidSearch, lead.ChannelSocial,
		lead.ChannelEmail, lead.ChannelReferral, lead.ChannelEvents, lead.ChannelDirect}
	reasons := []string{"no budget", "no authority", "competitor", "bad timing"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	leads := make([]lead.Lead, n)
	hist := make([]lead.Transition, 0, 4*n)
	for i := range leads {
		at := start.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
		l := lead.Lead{ID: fmt.Sprintf("L%07d", i), CreatedAt: at, Source: lead.Source{Channel: channels[rng.IntN(len(channels))]}}
		first := len(hist)
		hist = append(hist, lead.Transition{To: stages[0], At: at})
		for s := 1; s < len(stages); s++ {
			at = at.Add(time.Duration(1+rng.IntN(24*20)) * time.Hour)
			if rng.IntN(100) >= conv[s-1] {
				if rng.IntN(2) == 0 {
					to := lead.StageDisqualified
					if rng.IntN(3) == 0 {
						to = lead.StageRecycled
					}
					hist = append(hist, lead.Transition{From: stages[s-1], To: to, At: at, Reason: reasons[rng.IntN(len(reasons))]})
				}
				break
			}
			hist = append(hist, lead.Transition{From: stages[s-1], To: stages[s], At: at})
		}
		l.History = hist[first:len(hist):len(hist)]
		l.Stage = l.History[len(l.History)-1].To
		leads[i] = l
	}
	return leads
}

func monthByChannel() Options {
	return Options{Cohort: PeriodMonth, SegmentBy: "channel", Segment: func(l *lead.Lead) string { return string(l.Source.Channel) }}
}

// reportPerLead adds ns/lead, CPU ns/lead (process CPU time, which is
// steadier than wall time on a shared machine), allocs/lead and B/lead
// from the benchmark's own counters.
func reportPerLead(b *testing.B, leads int, m0 *runtime.MemStats, cpu0 time.Duration) {
	cpu := cpuTime() - cpu0
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	per := float64(b.N) * float64(leads)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/lead")
	b.ReportMetric(float64(cpu.Nanoseconds())/per, "cpu-ns/lead")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/per, "allocs/lead")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/per, "B/lead")
}

// retained returns the live heap that keep() holds, measured after a GC.
func retained(build func() any) (uint64, any) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc < m0.HeapAlloc {
		return 0, v
	}
	return m1.HeapAlloc - m0.HeapAlloc, v
}

// BenchmarkAnalyze measures the analysis of a million leads by month and
// by channel (Add for every lead), against a hand-written loop that
// computes the same stage counts (leads reached per stage, month and
// channel) and nothing else. Run:
//
//	go test -run '^$' -bench Analyze -benchtime 3x ./funnel
func BenchmarkAnalyze(b *testing.B) {
	leads := benchData()
	f := Standard()
	run := func(name string, opts Options) {
		b.Run(name, func(b *testing.B) {
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0)
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				a, err := NewAnalysis(f, opts)
				if err != nil {
					b.Fatal(err)
				}
				for i := range leads {
					if err := a.Add(&leads[i]); err != nil {
						b.Fatal(err)
					}
				}
			}
			reportPerLead(b, len(leads), &m0, cpu0)
			b.StopTimer()
			size, _ := retained(func() any {
				a, _ := NewAnalysis(f, opts)
				for i := range leads {
					_ = a.Add(&leads[i])
				}
				return a
			})
			b.ReportMetric(float64(size)/float64(len(leads)), "state-B/lead")
		})
	}
	run("funnel", monthByChannel())
	hist := monthByChannel()
	hist.Timing = TimingHistogram
	run("funnel-histogram", hist)
	b.Run("baseline", func(b *testing.B) {
		var m0 runtime.MemStats
		runtime.ReadMemStats(&m0)
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			baselineCounts(leads)
		}
		reportPerLead(b, len(leads), &m0, cpu0)
		b.StopTimer()
		size, _ := retained(func() any { return baselineCounts(leads) })
		b.ReportMetric(float64(size)/float64(len(leads)), "state-B/lead")
	})
}

// BenchmarkReport measures Report on the analysis of a million leads by
// month and by channel: the exact percentiles sort every duration three
// times (overall, per month, per channel).
func BenchmarkReport(b *testing.B) {
	leads := benchData()
	for _, mode := range []TimingMode{TimingExact, TimingHistogram} {
		b.Run(fmt.Sprintf("timing=%q", mode), func(b *testing.B) {
			opts := monthByChannel()
			opts.Timing = mode
			a, err := NewAnalysis(Standard(), opts)
			if err != nil {
				b.Fatal(err)
			}
			for i := range leads {
				_ = a.Add(&leads[i])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = a.Report()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(leads)), "ns/lead")
		})
	}
}

// baselineKey is the month and channel of the hand-written baseline.
type baselineKey struct {
	month   int // year*12 + month
	channel string
}

// baselineCounts is the hand-written, single-purpose loop: the leads that
// reached each Standard stage, by month of first entry and channel, with
// skipped stages implied. It assumes what the data guarantees (known
// stages, no bad times), so it checks nothing.
func baselineCounts(leads []lead.Lead) map[baselineKey]*[6]int64 {
	out := map[baselineKey]*[6]int64{}
	for i := range leads {
		l := &leads[i]
		furthest := -1
		var start time.Time
		for j := range l.History {
			tr := &l.History[j]
			s := -1
			switch tr.To {
			case lead.StageLead:
				s = 0
			case lead.StageMQL:
				s = 1
			case lead.StageSAL:
				s = 2
			case lead.StageSQL:
				s = 3
			case lead.StageOpportunity:
				s = 4
			case lead.StageCustomer:
				s = 5
			}
			if s < 0 {
				continue
			}
			if s > furthest {
				furthest = s
			}
			if start.IsZero() || tr.At.Before(start) {
				start = tr.At
			}
		}
		if furthest < 0 {
			continue
		}
		y, m, _ := start.Date()
		k := baselineKey{y*12 + int(m), string(l.Source.Channel)}
		c := out[k]
		if c == nil {
			c = new([6]int64)
			out[k] = c
		}
		for s := 0; s <= furthest; s++ {
			c[s]++
		}
	}
	return out
}

// TestBaselineAgrees checks that the benchmark compares like with like:
// the baseline's counts equal the analysis's reached counts per month
// and channel on the benchmark's kind of data.
func TestBaselineAgrees(t *testing.T) {
	leads := simpleLeads(5000)
	a, err := NewAnalysis(Standard(), monthByChannel())
	if err != nil {
		t.Fatal(err)
	}
	for i := range leads {
		if err := a.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	base := baselineCounts(leads)
	n := 0
	for k, counts := range base {
		label := fmt.Sprintf("%04d-%02d", (k.month-1)/12, (k.month-1)%12+1)
		c := a.Cells[label][k.channel]
		if c == nil {
			t.Fatalf("no cell %s/%s", label, k.channel)
		}
		for s := range counts {
			if c.Stages[s].Reached != counts[s] {
				t.Errorf("%s/%s stage %d: analysis %d, baseline %d", label, k.channel, s, c.Stages[s].Reached, counts[s])
			}
		}
		n++
	}
	if n != len(a.Cells)*7 && n == 0 {
		t.Errorf("compared %d cells", n)
	}
}
