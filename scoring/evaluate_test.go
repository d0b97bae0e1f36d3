package scoring

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

var ratioEq = cmp.Comparer(func(a, b kpi.Ratio) bool { return a.Num.Equal(b.Num) && a.Den.Equal(b.Den) })

type scored struct {
	total     float64
	converted bool
}

// newEval returns an empty evaluation of the zero model, for tests that
// count synthetic scores with add.
func newEval(t *testing.T, opts EvalOptions) *Evaluation {
	t.Helper()
	e, err := MustCompile(Model{}).NewEvaluation(time.Time{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// add counts a synthetic result as Add does after scoring.
func add(t *testing.T, e *Evaluation, r *Result, converted bool) {
	t.Helper()
	k, err := e.bucket(r, r.LeadID)
	if err != nil {
		t.Fatal(err)
	}
	e.count(k, e.scorer.cellIndex(r), converted)
}

func evaluate(t *testing.T, opts EvalOptions, rs []scored) EvaluationReport {
	t.Helper()
	e := newEval(t, opts)
	for _, s := range rs {
		add(t, e, &Result{Total: s.total, Fit: s.total / 2}, s.converted)
	}
	rep, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// six leads: converted at 80, 60, 40; not converted at 60, 40, 10.
var sixLeads = []scored{{80, true}, {60, true}, {60, false}, {40, false}, {40, true}, {10, false}}

func TestEvaluationAUC(t *testing.T) {
	rep := evaluate(t, EvalOptions{Resolution: 1, Thresholds: []float64{50}}, sixLeads)
	// Pairs (converted, other), 3 x 3 = 9:
	//   80 beats 60, 40, 10                 -> 3 right
	//   60 ties 60, beats 40, 10            -> 2 right, 1 tie
	//   40 loses to 60, ties 40, beats 10   -> 1 right, 1 tie
	// C = 6, T = 2: AUC = (2*6 + 2) / (2*9) = 14/18 = 0.7778
	if want := kpi.RatioOf(14, 18); !cmp.Equal(rep.AUC, want, ratioEq) {
		t.Errorf("AUC = %v/%v; want 14/18", rep.AUC.Num, rep.AUC.Den)
	}
	if rep.AUC.String() != "0.7778" {
		t.Errorf("AUC = %s; want 0.7778", rep.AUC)
	}
	// base rate 3 of 6
	if rep.Leads != 6 || rep.Converted != 3 || rep.BaseRate.String() != "0.5000" {
		t.Errorf("leads %d, converted %d, base %v; want 6, 3, 0.5000", rep.Leads, rep.Converted, rep.BaseRate)
	}
	// Bands, highest first: [50, inf) holds 80c, 60c, 60o -> 3 leads, 2
	// converted; (-inf, 50) holds 40o, 40c, 10o -> 3 leads, 1 converted.
	want := []Band{
		{Min: ptr(50), Leads: 3, Converted: 2, Conversion: kpi.RatioOf(2, 3)},
		{Max: ptr(50), Leads: 3, Converted: 1, Conversion: kpi.RatioOf(1, 3)},
	}
	if diff := cmp.Diff(want, rep.Bands, ratioEq); diff != "" {
		t.Errorf("bands (-want +got):\n%s", diff)
	}
	// Qualifying at >= 50: 3 leads, 2 conversions; precision 2/3, recall 2/3.
	wantT := []ThresholdRow{{Threshold: 50, Above: 3, Captured: 2, Precision: kpi.RatioOf(2, 3), Recall: kpi.RatioOf(2, 3)}}
	if diff := cmp.Diff(wantT, rep.Thresholds, ratioEq); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
}

func TestEvaluationThresholds(t *testing.T) {
	tests := []struct {
		name string
		opts EvalOptions
		want []ThresholdRow // worked from sixLeads
	}{
		{"a score equal to the threshold is above it", EvalOptions{Thresholds: []float64{60}},
			// >= 60: 80c, 60c, 60o
			[]ThresholdRow{{Threshold: 60, Above: 3, Captured: 2, Precision: kpi.RatioOf(2, 3), Recall: kpi.RatioOf(2, 3)}}},
		{"unsorted and duplicate thresholds are sorted and merged", EvalOptions{Thresholds: []float64{70, 30, 70}},
			[]ThresholdRow{
				// >= 30: all but 10o -> 5 leads, 3 converted
				{Threshold: 30, Above: 5, Captured: 3, Precision: kpi.RatioOf(3, 5), Recall: kpi.RatioOf(3, 3)},
				// >= 70: 80c -> 1 lead, 1 converted
				{Threshold: 70, Above: 1, Captured: 1, Precision: kpi.RatioOf(1, 1), Recall: kpi.RatioOf(1, 3)},
			}},
		{"a threshold above every score", EvalOptions{Thresholds: []float64{100}},
			// nobody qualifies: precision 0/0 is undefined, recall 0/3
			[]ThresholdRow{{Threshold: 100, Above: 0, Captured: 0, Precision: kpi.RatioOf(0, 0), Recall: kpi.RatioOf(0, 3)}}},
		{"fit measure", EvalOptions{Measure: MeasureFit, Thresholds: []float64{30}},
			// fit = total/2: 40c, 30c, 30o, 20o, 20c, 5o; >= 30: 3 leads, 2 converted
			[]ThresholdRow{{Threshold: 30, Above: 3, Captured: 2, Precision: kpi.RatioOf(2, 3), Recall: kpi.RatioOf(2, 3)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := evaluate(t, tt.opts, sixLeads)
			if diff := cmp.Diff(tt.want, rep.Thresholds, ratioEq); diff != "" {
				t.Errorf("thresholds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluationDefaultThresholds(t *testing.T) {
	rep := evaluate(t, EvalOptions{}, sixLeads)
	// Scores 10..80: thresholds every 10 from floor(10/10)*10 = 10 to 80.
	var got []float64
	for _, r := range rep.Thresholds {
		got = append(got, r.Threshold)
	}
	if diff := cmp.Diff([]float64{10, 20, 30, 40, 50, 60, 70, 80}, got); diff != "" {
		t.Errorf("default thresholds (-want +got):\n%s", diff)
	}
	// >= 10 qualifies all 6; >= 80 only the converted 80.
	if r := rep.Thresholds[0]; r.Above != 6 || r.Captured != 3 {
		t.Errorf(">= 10: %+v", r)
	}
	if r := rep.Thresholds[7]; r.Above != 1 || r.Captured != 1 {
		t.Errorf(">= 80: %+v", r)
	}
	// 9 bands: below 10, eight above; they add up to every lead.
	var n int64
	for _, b := range rep.Bands {
		n += b.Leads
	}
	if len(rep.Bands) != 9 || n != 6 {
		t.Errorf("%d bands holding %d leads; want 9 holding 6", len(rep.Bands), n)
	}
}

func TestEvaluationUndefinedAUC(t *testing.T) {
	// Only converted leads: there is no pair to rank, AUC is 0/0.
	rep := evaluate(t, EvalOptions{}, []scored{{10, true}, {20, true}})
	if rep.AUC.Defined() || rep.AUC.String() != "n/a" {
		t.Errorf("AUC = %v; want undefined", rep.AUC)
	}
	// No leads at all.
	rep = evaluate(t, EvalOptions{}, nil)
	if rep.AUC.Defined() || rep.BaseRate.Defined() || len(rep.Thresholds) != 0 {
		t.Errorf("empty evaluation: %+v", rep)
	}
}

func TestEvalOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts EvalOptions
		want []string // every problem, in order
	}{
		{"zero is all defaults", EvalOptions{}, nil},
		{"every problem at once", EvalOptions{Measure: "grade", Resolution: -1, Thresholds: []float64{1, math.NaN()}},
			[]string{`measure: unknown "grade"`, "resolution: -1 is outside [1e-06, 1e+06]", "thresholds[1]: NaN is not a finite number"}},
		{"a resolution too fine to print", EvalOptions{Resolution: 1e-7}, []string{"resolution: 1e-07 is outside"}},
		{"a resolution too coarse", EvalOptions{Resolution: 2e6}, []string{"resolution: 2e+06 is outside"}},
		{"infinite threshold", EvalOptions{Thresholds: []float64{math.Inf(-1)}}, []string{"thresholds[0]: -Inf is not a finite number"}},
		{"too many thresholds", EvalOptions{Thresholds: make([]float64, MaxThresholds+1)}, []string{"thresholds: 1001 thresholds; at most 1000"}},
		{"the bounds are allowed", EvalOptions{Resolution: MinResolution, Thresholds: make([]float64, MaxThresholds)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			var got []error
			if err != nil {
				got = err.(interface{ Unwrap() []error }).Unwrap()
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() = %v; want %d problems", err, len(tt.want))
			}
			for i, w := range tt.want {
				var le *leadkit.Error
				if !errors.As(got[i], &le) || !strings.Contains(got[i].Error(), w) {
					t.Errorf("problem %d = %v (%T); want a *leadkit.Error containing %q", i, got[i], got[i], w)
				}
			}
			_, nerr := MustCompile(Model{}).NewEvaluation(time.Time{}, tt.opts)
			if (nerr == nil) != (err == nil) {
				t.Errorf("NewEvaluation error %v; Validate %v", nerr, err)
			}
		})
	}
}

func TestNonFiniteScoreIsAnError(t *testing.T) {
	// Points that sum past MaxFloat64 make +Inf and NaN scores; they
	// must be refused, never filed under bucket -9223372036854775808.
	e := newEval(t, EvalOptions{Resolution: 1})
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -(maxBucket + 2)} { // 2^53+1 is not a float64; 2^53+2 is
		if k, err := e.bucket(&Result{Total: v}, "x"); err == nil {
			t.Errorf("score %v went to bucket %d", v, k)
		}
	}
	// The largest score that fits: 2^53 units of the resolution.
	if k, err := e.bucket(&Result{Total: maxBucket}, "x"); err != nil || k != maxBucket {
		t.Errorf("score 2^53: bucket %d, %v", k, err)
	}
}

// bruteAUC is an independent O(n²) AUC over the rounded scores.
func bruteAUC(rs []scored, res float64) float64 {
	var right, pairs float64
	for _, p := range rs {
		if !p.converted {
			continue
		}
		for _, n := range rs {
			if n.converted {
				continue
			}
			pairs++
			a, b := roundTo(p.total, res), roundTo(n.total, res)
			switch {
			case a > b:
				right++
			case a == b:
				right += 0.5
			}
		}
	}
	return right / pairs
}

// roundTo rounds v to a multiple of res, half away from zero, in units
// of res.
func roundTo(v, res float64) float64 { return math.Round(v / res) }

func randomScored(r *rand.Rand, n int) []scored {
	rs := make([]scored, n)
	for i := range rs {
		total := float64(r.IntN(200)) / 4 // many ties at a resolution of 1
		rs[i] = scored{total: total, converted: r.Float64() < total/60}
	}
	rs[0].converted, rs[1].converted = true, false // both classes present
	return rs
}

func TestEvaluationAUCAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		rs := randomScored(r, 2+r.IntN(300))
		res := []float64{0.01, 1, 5}[i%3]
		rep := evaluate(t, EvalOptions{Resolution: res}, rs)
		got, _ := rep.AUC.Float64()
		if want := bruteAUC(rs, res); got-want > 1e-12 || want-got > 1e-12 {
			t.Fatalf("case %d: AUC %v; brute force %v", i, got, want)
		}
	}
}

func TestEvaluationMergeAndJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	opts := EvalOptions{Resolution: 0.5, Thresholds: []float64{10, 25}}
	for trial := range 20 {
		rs := randomScored(r, 1+r.IntN(200))
		whole := evaluate(t, opts, rs)
		// Split into k shards, encode each through JSON, merge in a
		// shuffled order.
		k := 1 + r.IntN(5)
		shards := make([]*Evaluation, k)
		for i := range shards {
			shards[i] = newEval(t, opts)
		}
		for _, s := range rs {
			add(t, shards[r.IntN(k)], &Result{Total: s.total}, s.converted)
		}
		r.Shuffle(k, func(i, j int) { shards[i], shards[j] = shards[j], shards[i] })
		merged := newEval(t, opts)
		for _, sh := range shards {
			b, err := json.Marshal(sh)
			if err != nil {
				t.Fatal(err)
			}
			var back Evaluation
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if err := merged.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		got, err := merged.Report()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(whole, got, ratioEq); diff != "" {
			t.Fatalf("trial %d: merged report differs (-whole +merged):\n%s", trial, diff)
		}
	}
}

func TestEvaluateScoresAsOfDecision(t *testing.T) {
	s := MustCompile(Model{Rules: []Rule{{Name: "demo", Kind: Engagement, When: `type == "demo_request"`, Points: 50}}})
	t0 := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	mk := func(id string, demoAt time.Time) *lead.Lead {
		return &lead.Lead{ID: id, CreatedAt: t0, Activities: []lead.Activity{{Type: lead.ActivityDemoRequest, At: demoAt}}}
	}
	outcomes := []Outcome{
		{Lead: mk("a", t0.Add(time.Hour)), DecidedAt: t0.Add(48 * time.Hour), Converted: true},
		// The demo came after the decision: it must not count (50 -> 0).
		{Lead: mk("b", t0.Add(72*time.Hour)), DecidedAt: t0.Add(48 * time.Hour), Converted: true},
		{Lead: mk("c", t0.Add(96*time.Hour)), DecidedAt: t0.Add(24 * time.Hour), Converted: false},
		{Lead: nil},
	}
	rep, err := Evaluate(s, outcomes, EvalOptions{Thresholds: []float64{50}})
	if err == nil || !strings.Contains(err.Error(), "outcomes[3].lead: nil") {
		t.Errorf("Evaluate error = %v; want the nil lead reported", err)
	}
	// Scores as of decision: a 50 (converted), b 0 (converted), c 0 (not).
	// >= 50: 1 lead, 1 captured; recall 1/2.
	want := ThresholdRow{Threshold: 50, Above: 1, Captured: 1, Precision: kpi.RatioOf(1, 1), Recall: kpi.RatioOf(1, 2)}
	if diff := cmp.Diff([]ThresholdRow{want}, rep.Thresholds, ratioEq); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
	// AUC: (a,c) right, (b,c) tie: (2*1 + 1) / (2*2*1) = 3/4.
	if !rep.AUC.Num.Equal(decimal.NewFromInt(3)) || !rep.AUC.Den.Equal(decimal.NewFromInt(4)) {
		t.Errorf("AUC = %v/%v; want 3/4", rep.AUC.Num, rep.AUC.Den)
	}
}

func TestDefaultThresholdsWiden(t *testing.T) {
	tests := []struct {
		name        string
		lo, hi      float64
		first, step float64
		n           int
	}{
		// -5..37: multiples of 10 from floor(-5/10)*10 = -10 to 30: 5 of them.
		{"step 10", -5, 37, -10, 10, 5},
		// 0..9980: 999 steps of 10 fit (0, 10, ..., 9980).
		{"the most steps of 10", 0, 9980, 0, 10, 999},
		// 0..9990 would take 1000 of 10 (and a floored start one more):
		// the step becomes 100, 0..9900, 100 of them.
		{"too many for 10", 0, 9990, 0, 100, 100},
		// -1e6..1e6: 2e6/1000 = 2000 steps still too many; 2e6/1e4 = 200:
		// -1e6, -990000, ..., 1e6 is 201 thresholds.
		{"a wide range", -1e6, 1e6, -1e6, 1e4, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := defaultThresholds(tt.lo, tt.hi)
			if len(got) != tt.n || got[0] != tt.first || len(got) > 1 && got[1]-got[0] != tt.step {
				t.Errorf("defaultThresholds(%g, %g) = %d thresholds from %g by %g; want %d from %g by %g",
					tt.lo, tt.hi, len(got), got[0], got[min(1, len(got)-1)]-got[0], tt.n, tt.first, tt.step)
			}
		})
	}
}
