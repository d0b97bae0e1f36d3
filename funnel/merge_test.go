package funnel

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/acctest"
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

// optionSets are the configurations the property tests cover.
func optionSets() map[string]opts {
	return map[string]opts{
		"default":                 {},
		"month by channel":        {Cohort: leadkit.Month, Zone: "America/New_York", Segment: "source.channel"},
		"strict window asof week": {Strict: true, Window: 20 * 24 * time.Hour, AsOf: t0.AddDate(0, 5, 0), Cohort: leadkit.Week},
		"capped quarter":          {MaxFindings: 7, Cohort: leadkit.Quarter, Segment: "source.channel"},
	}
}

// TestAccumulatorContract runs the shared property harness: random
// splits, JSON round trips into zero values and random merge orders give
// the report of one pass, byte for byte; on messy hand-made histories
// and on the sample generator's realistic leads (over 128 timed leads
// per stage, so the histograms leave their exact mode).
func TestAccumulatorContract(t *testing.T) {
	messy := randomLeads(rand.New(rand.NewPCG(1, 2)), 600)
	realistic := sampleLeads(3000)
	for name, o := range optionSets() {
		for data, leads := range map[string][]lead.Lead{"messy": messy, "sample": realistic} {
			t.Run(name+"/"+data, func(t *testing.T) {
				if data == "sample" && !o.AsOf.IsZero() {
					// The sample's leads are created in 2025.
					o.AsOf = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
				}
				an, err := Compile(o.def(testFunnel()))
				if err != nil {
					t.Fatal(err)
				}
				acctest.Run(t, acctest.Harness[Analysis, Report]{
					New:     func() *Analysis { return an.NewAnalysis(o.AsOf) },
					Records: len(leads),
					Add:     func(a *Analysis, i int) error { return a.Add(&leads[i]) },
					Merge:   func(a, b *Analysis) error { return a.Merge(b) },
					Report:  func(a *Analysis) (Report, error) { return a.Report() },
					Rounds:  6,
					Seed:    7,
				})
			})
		}
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	leads := randomLeads(rand.New(rand.NewPCG(3, 4)), 200)
	for name, o := range optionSets() {
		t.Run(name, func(t *testing.T) {
			r := analyze(t, testFunnel(), leads, o)
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var back Report
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(r, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodedAnalysisWorks checks that a state decoded into a zero value
// Adds, Merges and Reports like the original, with nothing to set again
// (the zone and the segment key travel in the state).
func TestDecodedAnalysisWorks(t *testing.T) {
	o := optionSets()["month by channel"]
	leads := randomLeads(rand.New(rand.NewPCG(9, 9)), 100)
	a := newAnalysis(t, testFunnel(), o)
	for i := range leads[:50] {
		if err := a.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var d Analysis
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Analysis{a, &d} {
		for i := range leads[50:] {
			if err := x.Add(&leads[50+i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff(report(t, a), report(t, &d)); diff != "" {
		t.Errorf("decoded analysis differs (-original +decoded):\n%s", diff)
	}
	if d.Fingerprint() != a.Fingerprint() || !d.AsOf().Equal(a.AsOf()) {
		t.Errorf("fingerprint %s as of %v; want %s, %v", d.Fingerprint(), d.AsOf(), a.Fingerprint(), a.AsOf())
	}
	if err := a.Merge(&d); err != nil {
		t.Fatal(err)
	}
	// Every lead twice now: the first stage counts 2 × the leads in the
	// funnel of one pass.
	one := analyze(t, testFunnel(), leads, o)
	if got := report(t, a).Overall.Leads; got != 2*one.Overall.Leads {
		t.Errorf("merged leads %d, want 2 × %d", got, one.Overall.Leads)
	}
}

func TestMergeRefusals(t *testing.T) {
	fresh := func(o opts) *Analysis { return newAnalysis(t, testFunnel(), o) }
	l := mk("x", tr("lead", 0), tr("mql", 1))
	full := fresh(opts{})
	if err := full.Add(&l); err != nil {
		t.Fatal(err)
	}
	// A state whose lead count is at the int64 limit (built by hand: no
	// real analysis gets there), to check the overflow refusal.
	huge := fresh(opts{})
	huge.leads, huge.unstaged = math.MaxInt64, math.MaxInt64
	otherFunnel := newAnalysis(t, Standard(), opts{})
	for _, tc := range []struct {
		name string
		a, o *Analysis
		want string
	}{
		{"nil other", full, nil, "funnel: Merge: nil analysis"},
		{"self", full, full, "funnel: Merge: an analysis cannot be merged into itself"},
		{"zero other", full, &Analysis{}, "funnel: Merge: the other analysis has no definition"},
		{"zero receiver", &Analysis{}, full, errNoDefinition.Error()},
		{"nil receiver", nil, full, errNoDefinition.Error()},
		{"other funnel", full, otherFunnel, "funnel: Merge: different definitions"},
		{"other settings", full, fresh(opts{Strict: true}), "funnel: Merge: different definitions"},
		{"other as-of", full, fresh(opts{AsOf: at(5)}), "funnel: Merge: different as-of times (2024-01-01T05:00:00Z, not none)"},
		{"overflow", full, huge, "funnel: Merge: a count would overflow int64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before []byte
			if tc.a != nil && tc.a.an != nil {
				before, _ = json.Marshal(tc.a)
			}
			err := tc.a.Merge(tc.o)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("Merge = %v, want %q", err, tc.want)
			}
			if before != nil {
				after, _ := json.Marshal(tc.a)
				if string(after) != string(before) {
					t.Errorf("a refused merge changed the receiver")
				}
			}
		})
	}
}

// TestMergeSharesNoMemory checks that after a.Merge(o), adding to o
// changes nothing in a, and adding to a nothing in o.
func TestMergeSharesNoMemory(t *testing.T) {
	leads := randomLeads(rand.New(rand.NewPCG(5, 5)), 200)
	a := newAnalysis(t, testFunnel(), opts{Segment: "source.channel"})
	o := newAnalysis(t, testFunnel(), opts{Segment: "source.channel"})
	for i := range leads[:100] {
		_ = o.Add(&leads[i])
	}
	if err := a.Merge(o); err != nil {
		t.Fatal(err)
	}
	ra := report(t, a)
	for i := range leads[100:] {
		_ = o.Add(&leads[100+i])
	}
	if diff := cmp.Diff(ra, report(t, a)); diff != "" {
		t.Errorf("adding to o changed a:\n%s", diff)
	}
	o2 := newAnalysis(t, testFunnel(), opts{Segment: "source.channel"})
	for i := range leads[:100] {
		_ = o2.Add(&leads[i])
	}
	ro := report(t, o2)
	b := newAnalysis(t, testFunnel(), opts{Segment: "source.channel"})
	if err := b.Merge(o2); err != nil {
		t.Fatal(err)
	}
	for i := range leads[100:] {
		_ = b.Add(&leads[100+i])
	}
	if diff := cmp.Diff(ro, report(t, o2)); diff != "" {
		t.Errorf("adding to a changed o:\n%s", diff)
	}
}

// TestTimingLeavesExactMode checks the stage times on more than 128
// leads, where the histogram takes over, and on more than maxPending,
// where Add moves them into it in batches (9000: 4500 per analysis,
// one full batch each): for gaps of 1..n hours the
// median and the mean are both (n+1)/2 hours (n = 200: 100.5 h; n = 2500:
// 1250.5 h); the histogram's median is within 0.5% of it, and the mean
// stays exact. The same figures come out of a JSON round trip and of a
// merge, whatever was pending.
func TestTimingLeavesExactMode(t *testing.T) {
	for _, n := range []int{200, 2500, 9000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var leads []lead.Lead
			for i := 1; i <= n; i++ {
				leads = append(leads, mk(fmt.Sprint("l", i), tr("lead", 0), tr("mql", float64(i))))
			}
			a := newAnalysis(t, testFunnel(), opts{})
			b := newAnalysis(t, testFunnel(), opts{})
			for i := range leads {
				if err := []*Analysis{a, b}[i%2].Add(&leads[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.Merge(b); err != nil {
				t.Fatal(err)
			}
			for name, x := range map[string]*Analysis{"merged": a, "round trip": roundTrip(t, b)} {
				tt := report(t, x).Overall.Stages[0].TimeToNext
				want := hours(float64(n+1) / 2)
				if name == "round trip" {
					// b holds the even-numbered half: gaps 2, 4, ..., n:
					// median and mean (n+2)/2 hours.
					want = hours(float64(n+2) / 2)
				}
				exact := float64(want)
				// Every gap is distinct: exact up to 256 durations (the
				// histogram's limit of distinct values), within 0.5% beyond.
				wantErr := 0.005
				if tt.Count <= 256 {
					wantErr = 0
				}
				if tt.RelativeError != wantErr || tt.Mean.Std() != want || math.Abs(float64(tt.Median.Std())-exact) > 0.005*exact {
					t.Errorf("%s: time to next = %+v; want median within 0.5%% of %v, mean %v", name, tt, want, want)
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

// TestConcurrentAnalyze runs Analyze and separate accumulators of one
// shared Analyzer from several goroutines over shared leads; run with
// -race.
func TestConcurrentAnalyze(t *testing.T) {
	leads := randomLeads(rand.New(rand.NewPCG(7, 8)), 300)
	o := optionSets()["month by channel"]
	def := o.def(testFunnel())
	want := analyze(t, testFunnel(), leads, o)
	an := MustCompile(def)
	var wg sync.WaitGroup
	results := make([]*Analysis, 4)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := Analyze(def, o.AsOf, leads); err != nil {
				t.Error(err)
			}
			_ = an.Definition()
			a := an.NewAnalysis(o.AsOf)
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
	if diff := cmp.Diff(want, report(t, results[0])); diff != "" {
		t.Errorf("parallel report differs:\n%s", diff)
	}
}
