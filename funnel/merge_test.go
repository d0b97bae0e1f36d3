package funnel

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/internal/stats"
	"github.com/leadkit/leadkit/lead"
)

// randomLeads returns n leads with messy histories: skips, backward
// moves, exits with and without agreed reasons, unknown and empty
// stages, zero times, transitions before creation, unsorted order.
func randomLeads(rng *rand.Rand, n int) []lead.Lead {
	stages := []lead.Stage{"lead", "mql", "sql", "customer", "recycled", "disqualified", "limbo", ""}
	reasons := []string{"", "budget", "competitor", "rude"}
	channels := []lead.Channel{lead.ChannelEmail, lead.ChannelSocial, lead.ChannelDirect, ""}
	leads := make([]lead.Lead, n)
	for i := range leads {
		created := t0.Add(time.Duration(rng.IntN(24*200)) * time.Hour)
		l := lead.Lead{ID: fmt.Sprintf("L%04d", i), CreatedAt: created, Source: lead.Source{Channel: channels[rng.IntN(len(channels))]}}
		if rng.IntN(10) == 0 {
			l.Stage = stages[rng.IntN(4)] // no history, current stage only
		} else {
			// Mostly forward walks with occasional noise.
			at := created.Add(-time.Duration(rng.IntN(3)) * time.Hour)
			s := rng.IntN(2)
			for k := rng.IntN(6); k >= 0; k-- {
				t := lead.Transition{To: stages[s], At: at, Reason: reasons[rng.IntN(len(reasons))]}
				if rng.IntN(40) == 0 {
					t.At = time.Time{}
				}
				l.History = append(l.History, t)
				at = at.Add(time.Duration(rng.IntN(24*30)) * time.Minute * 7)
				switch r := rng.IntN(10); {
				case r < 6:
					s = min(s+1+rng.IntN(2), 3)
				case r < 8:
					s = 4 + rng.IntN(2)
				default:
					s = rng.IntN(len(stages))
				}
			}
			rng.Shuffle(len(l.History), func(a, b int) { l.History[a], l.History[b] = l.History[b], l.History[a] })
		}
		leads[i] = l
	}
	return leads
}

func channelOf(l *lead.Lead) string { return string(l.Source.Channel) }

// optionSets are the configurations the property tests cover.
func optionSets() map[string]Options {
	return map[string]Options{
		"default": {},
		"month by channel": {Cohort: PeriodMonth, Location: time.FixedZone("X", -5*3600),
			SegmentBy: "channel", Segment: channelOf},
		"strict window asof week": {Strict: true, Window: 20 * 24 * time.Hour, AsOf: t0.AddDate(0, 5, 0), Cohort: PeriodWeek},
		"histogram capped":        {Timing: TimingHistogram, MaxFindings: 7, Cohort: PeriodQuarter, SegmentBy: "channel", Segment: channelOf},
	}
}

// TestMergeProperty checks that any split of the leads, analysed
// separately, sent through JSON and merged in any order, gives the
// report of one pass over all of them.
func TestMergeProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	leads := randomLeads(rng, 600)
	for name, opts := range optionSets() {
		t.Run(name, func(t *testing.T) {
			want, err := Analyze(testFunnel(), leads, opts)
			if err != nil {
				t.Fatal(err)
			}
			for trial := range 8 {
				// Split into k random parts (some may be empty).
				k := 1 + rng.IntN(6)
				parts := make([]*Analysis, k)
				for i := range parts {
					if parts[i], err = NewAnalysis(testFunnel(), opts); err != nil {
						t.Fatal(err)
					}
				}
				for _, i := range rng.Perm(len(leads)) {
					if err := parts[rng.IntN(k)].Add(&leads[i]); err != nil {
						t.Fatal(err)
					}
				}
				// Half the parts travel through JSON.
				for i := range parts {
					if rng.IntN(2) == 0 {
						parts[i] = roundTrip(t, parts[i])
					}
				}
				order := rng.Perm(k)
				acc := parts[order[0]]
				for _, i := range order[1:] {
					if err := acc.Merge(parts[i]); err != nil {
						t.Fatal(err)
					}
				}
				if diff := cmp.Diff(want, acc.Report()); diff != "" {
					t.Fatalf("trial %d, %d parts: report differs (-one pass +merged):\n%s", trial, k, diff)
				}
			}
		})
	}
}

func roundTrip(t *testing.T, a *Analysis) *Analysis {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var out Analysis
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestReportJSONRoundTrip(t *testing.T) {
	leads := randomLeads(rand.New(rand.NewPCG(3, 4)), 200)
	for name, opts := range optionSets() {
		t.Run(name, func(t *testing.T) {
			r, err := Analyze(testFunnel(), leads, opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(r, &back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAddAfterDecoding checks that a decoded analysis refuses leads until
// the fields that do not travel are set again, then accepts them.
func TestAddAfterDecoding(t *testing.T) {
	opts := optionSets()["month by channel"]
	a, err := NewAnalysis(testFunnel(), opts)
	if err != nil {
		t.Fatal(err)
	}
	l := mk("x", tr("lead", 1))
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	d := roundTrip(t, a)
	if err := d.Add(&l); err == nil || err.Error() != `funnel: analysis options.location is nil; set it to the "X" zone again after decoding` {
		t.Errorf("Add without location: %v", err)
	}
	d.Options.Location = opts.Location
	if err := d.Add(&l); err == nil || err.Error() != `funnel: analysis options.segment is nil; set the function for segment "channel" again after decoding` {
		t.Errorf("Add without segment: %v", err)
	}
	d.Options.Segment = channelOf
	if err := d.Add(&l); err != nil {
		t.Fatal(err)
	}
	// Two adds of the same lead: 2 leads in the funnel.
	if r := d.Report(); r.Overall.Leads != 2 {
		t.Errorf("leads = %d, want 2", r.Overall.Leads)
	}
}

func TestAddRejectsDamagedState(t *testing.T) {
	a, _ := NewAnalysis(testFunnel(), Options{})
	l := mk("x", tr("lead", 1))
	_ = a.Add(&l)
	d := roundTrip(t, a)
	d.Cells[""][""].Stages = d.Cells[""][""].Stages[:2]
	if err := d.Add(&l); err == nil || err.Error() != `funnel: analysis cells[""][""] do not have the funnel's 4 stages` {
		t.Errorf("Add on damaged state: %v", err)
	}
	// Report and Merge do not panic on it either, nor on a null cell.
	d.Cells["2024-01"] = map[string]*Cell{"x": nil}
	_ = d.Report()
	e, _ := NewAnalysis(testFunnel(), Options{})
	if err := e.Merge(d); err != nil {
		t.Fatal(err)
	}
}

func TestMergeRejectsDifferentAnalyses(t *testing.T) {
	a, _ := NewAnalysis(testFunnel(), Options{})
	b, _ := NewAnalysis(Standard(), Options{})
	c, _ := NewAnalysis(testFunnel(), Options{Strict: true})
	for _, tc := range []struct {
		name string
		o    *Analysis
		want string
	}{
		{"funnel", b, "funnel: merge: the analyses measure different funnels"},
		{"options", c, "funnel: merge: the analyses have different options"},
		{"self", a, "funnel: cannot merge an analysis into itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := a.Merge(tc.o); err == nil || err.Error() != tc.want {
				t.Errorf("Merge = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestHistogramErrorBound compares the histogram's percentiles with
// exact ones computed independently by sorting and stats.Percentile.
func TestHistogramErrorBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 3, 10, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var h TimingState
			var exact []time.Duration
			for range n {
				// Log-uniform from 1 ns to about 100 days, plus zeros.
				d := time.Duration(math.Exp(rng.Float64() * math.Log(8.64e15)))
				if rng.IntN(20) == 0 {
					d = 0
				}
				h.add(d, TimingHistogram)
				exact = append(exact, d)
			}
			slices.Sort(exact)
			for _, p := range []float64{0, 0.5, 0.9, 1} {
				want, _ := stats.Percentile(exact, p)
				got := h.histPercentile(p)
				if math.Abs(got-want) > HistogramRelativeError*want+1e-9 {
					t.Errorf("p%v: histogram %v, exact %v, relative error %v", p, got, want, math.Abs(got-want)/want)
				}
			}
		})
	}
	// The bucket count bound: the longest duration lands in bucket
	// HistogramBuckets−1, the shortest positive one (1 ns) in bucket 0.
	if b := bucketOf(math.MaxInt64); b != HistogramBuckets-1 {
		t.Errorf("bucketOf(max) = %d, want %d", b, HistogramBuckets-1)
	}
	if b := bucketOf(1); b != 0 {
		t.Errorf("bucketOf(1ns) = %d, want 0", b)
	}
}

// TestConcurrentAnalyze runs Analyze and separate accumulators from
// several goroutines over shared leads and a shared funnel; run with
// -race.
func TestConcurrentAnalyze(t *testing.T) {
	leads := randomLeads(rand.New(rand.NewPCG(7, 8)), 300)
	f := testFunnel()
	opts := optionSets()["month by channel"]
	want, err := Analyze(f, leads, opts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*Analysis, 4)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := Analyze(f, leads, opts); err != nil {
				t.Error(err)
			}
			a, err := NewAnalysis(f, opts)
			if err != nil {
				t.Error(err)
				return
			}
			for i := g; i < len(leads); i += len(results) {
				if err := a.Add(&leads[i]); err != nil {
					t.Error(err)
				}
			}
			results[g] = a
		}()
	}
	wg.Wait()
	for _, r := range results[1:] {
		if err := results[0].Merge(r); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, results[0].Report()); diff != "" {
		t.Errorf("parallel report differs:\n%s", diff)
	}
}
