package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// countScorer scores a lead 1 point per "x" activity, so a test can give
// each lead the score it wants.
var countScorer = MustCompile(Model{Rules: []Rule{{Name: "x", Kind: Engagement, When: `type == "x"`, Points: 1}}})

// scoredAt returns an outcome whose lead scores score under countScorer.
func scoredAt(id string, score int, converted bool) Outcome {
	l := &lead.Lead{ID: id, CreatedAt: learnT0}
	for range score {
		l.Activities = append(l.Activities, lead.Activity{Type: "x", At: learnT0})
	}
	return Outcome{Lead: l, DecidedAt: learnT0.Add(time.Hour), Converted: converted}
}

// outcomesOf returns leads scoring pos[k] converted and neg[k] not at
// score k.
func outcomesOf(pos, neg []int) []Outcome {
	var out []Outcome
	for k := range pos {
		for i := range pos[k] {
			out = append(out, scoredAt(fmt.Sprintf("p%d-%d", k, i), k, true))
		}
		for i := range neg[k] {
			out = append(out, scoredAt(fmt.Sprintf("n%d-%d", k, i), k, false))
		}
	}
	return out
}

func diagnose(t *testing.T, outs []Outcome, opts EvalOptions, scale *OddsScale) Diagnostics {
	t.Helper()
	ev, err := countScorer.NewEvaluation(time.Time{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if err := ev.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	d, err := ev.Diagnostics(scale)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bruteDeLong computes DeLong's standard error from every pair, lead by
// lead: the independent method the bucket walk is checked against.
func bruteDeLong(pos, neg []int) float64 {
	var ps, ns []float64
	for k := range pos {
		for range pos[k] {
			ps = append(ps, float64(k))
		}
		for range neg[k] {
			ns = append(ns, float64(k))
		}
	}
	psi := func(x, y float64) float64 {
		switch {
		case x > y:
			return 1
		case x == y:
			return 0.5
		}
		return 0
	}
	v10 := make([]float64, len(ps))
	v01 := make([]float64, len(ns))
	var a float64
	for i, x := range ps {
		for j, y := range ns {
			v10[i] += psi(x, y) / float64(len(ns))
			v01[j] += psi(x, y) / float64(len(ps))
		}
		a += v10[i] / float64(len(ps))
	}
	var s10, s01 float64
	for _, v := range v10 {
		s10 += (v - a) * (v - a) / float64(len(ps)-1)
	}
	for _, v := range v01 {
		s01 += (v - a) * (v - a) / float64(len(ns)-1)
	}
	return math.Sqrt(s10/float64(len(ps)) + s01/float64(len(ns)))
}

func TestDiagnosticsAUCStdErr(t *testing.T) {
	cases := []struct {
		name     string
		pos, neg []int
		want     float64 // 0: undefined
	}{
		// Converted at 2, 3, 3; others at 1, 2. Placements of the
		// converted: 0.75, 1, 1 (AUC 11/12); of the others: 1, 0.8333.
		// S10 = (0.1667² + 2·0.0833²)/2 = 0.0208333,
		// S01 = (0.0833² + 0.0833²)/1 = 0.0138889,
		// var = 0.0208333/3 + 0.0138889/2 = 0.0138889, SE = 0.1178511.
		{"hand-worked", []int{0, 0, 1, 2}, []int{0, 1, 1, 0}, 0.1178511},
		// Hanley and McNeil (Radiology 143:29–36, 1982), Table 1: 58
		// normal and 51 abnormal cases rated 1 to 5. Published: area
		// 0.893, SE 0.032 by their own formula. DeLong's SE on the same
		// data is 0.0307244 (computed pair by pair in Python and by
		// bruteDeLong below).
		{"Hanley-McNeil table 1", []int{3, 2, 2, 11, 33}, []int{33, 6, 6, 11, 2}, 0.0307244},
		{"one converted", []int{0, 1}, []int{3, 3}, 0},
		{"one other", []int{3, 3}, []int{1, 0}, 0},
		{"nothing", []int{0}, []int{0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := diagnose(t, outcomesOf(c.pos, c.neg), EvalOptions{}, nil)
			if c.want == 0 {
				if d.AUCStdErr != nil {
					t.Fatalf("SE = %v, want undefined", *d.AUCStdErr)
				}
				return
			}
			if d.AUCStdErr == nil || math.Abs(*d.AUCStdErr-c.want) > 1e-7 {
				t.Fatalf("SE = %v, want %v", d.AUCStdErr, c.want)
			}
			if b := bruteDeLong(c.pos, c.neg); math.Abs(*d.AUCStdErr-b) > 1e-12 {
				t.Fatalf("SE = %v, pair by pair %v", *d.AUCStdErr, b)
			}
		})
	}
	// The published area, 0.893.
	d := diagnose(t, outcomesOf([]int{3, 2, 2, 11, 33}, []int{33, 6, 6, 11, 2}), EvalOptions{}, nil)
	if a, _ := d.AUC.Float64(); math.Round(a*1000) != 893 {
		t.Errorf("AUC %v, published 0.893", a)
	}
}

func TestDiagnosticsDeciles(t *testing.T) {
	// Scores 1..20, one lead each; 15..20 converted (6 of 20, base rate
	// 0.3). Decile 1 = scores 20, 19: 2 of 2, lift 1/0.3 = 10/3;
	// decile 3 = 16, 15: 2 of 2; decile 4 = 14, 13: 0 of 2, lift 0;
	// cumulative lift of deciles 1..4 = (6/8)/0.3 = 2.5.
	var outs []Outcome
	for s := 1; s <= 20; s++ {
		outs = append(outs, scoredAt(fmt.Sprint(s), s, s >= 15))
	}
	d := diagnose(t, outs, EvalOptions{}, nil)
	type row struct {
		leads, conv int64
		min, max    float64
		lift, cum   string
	}
	want := map[int]row{
		0: {2, 2, 19, 20, "3.3333", "3.3333"},
		2: {2, 2, 15, 16, "3.3333", "3.3333"},
		3: {2, 0, 13, 14, "0.0000", "2.5000"},
		9: {2, 0, 1, 2, "0.0000", "1.0000"},
	}
	for i, w := range want {
		r := d.Deciles[i]
		if r.Leads != w.leads || r.Converted != w.conv || *r.MinScore != w.min || *r.MaxScore != w.max ||
			fix4(r.Lift) != w.lift || fix4(r.CumulativeLift) != w.cum {
			t.Errorf("decile %d = %+v lift %s cum %s, want %+v", i+1, r, fix4(r.Lift), fix4(r.CumulativeLift), w)
		}
	}

	// Ties are not split: 10 leads at 5, 20 at 3, 10 at 1 (40 leads).
	// A tie goes to the decile of its middle rank, floor((2·rank + n)·10
	// / (2·40)) + 1 with rank the leads above it: the 5s (rank 0, n 10)
	// to floor(100/80)+1 = 2, the 3s (rank 10, n 20) to floor(400/80)+1
	// = 6, the 1s (rank 30, n 10) to floor(700/80)+1 = 9. Every other
	// decile is empty and its ratios undefined.
	outs = nil
	for i := range 10 {
		outs = append(outs, scoredAt(fmt.Sprint("a", i), 5, i < 5), scoredAt(fmt.Sprint("c", i), 1, false))
	}
	for i := range 20 {
		outs = append(outs, scoredAt(fmt.Sprint("b", i), 3, i < 2))
	}
	d = diagnose(t, outs, EvalOptions{}, nil)
	got := map[int]int64{}
	for _, r := range d.Deciles {
		if r.Leads > 0 {
			got[r.Decile] = r.Leads
		} else if !r.Conversion.Den.IsZero() || r.MinScore != nil {
			t.Errorf("empty decile %d: %+v", r.Decile, r)
		}
	}
	if !reflect.DeepEqual(got, map[int]int64{2: 10, 6: 20, 9: 10}) {
		t.Errorf("deciles %v", got)
	}
}

func TestDiagnosticsCalibration(t *testing.T) {
	// 20 points double the odds, 0 points is even odds: score 0 → 0.5,
	// score 20 → odds 2 → 2/3. Band edge 10: the low band holds 2 leads
	// at 0 (1 converted: observed 0.5), the high band 3 at 20 (2
	// converted: observed 2/3).
	outs := []Outcome{scoredAt("a", 0, true), scoredAt("b", 0, false), scoredAt("c", 20, true), scoredAt("d", 20, true), scoredAt("e", 20, false)}
	scale := &OddsScale{PointsToDoubleOdds: 20, Odds: 1}
	d := diagnose(t, outs, EvalOptions{Thresholds: []float64{10}}, scale)
	if len(d.Calibration) != 2 {
		t.Fatalf("calibration %+v", d.Calibration)
	}
	hi, lo := d.Calibration[0], d.Calibration[1]
	if math.Abs(*hi.Predicted-2.0/3) > 1e-12 || fix4(hi.Observed) != "0.6667" || hi.Leads != 3 {
		t.Errorf("high band %+v", hi)
	}
	if math.Abs(*lo.Predicted-0.5) > 1e-12 || fix4(lo.Observed) != "0.5000" || lo.Leads != 2 {
		t.Errorf("low band %+v", lo)
	}
	for _, s := range []*OddsScale{nil, {}, {PointsToDoubleOdds: 20}, {PointsToDoubleOdds: math.Inf(1), Odds: 1}} {
		if d := diagnose(t, outs, EvalOptions{}, s); d.Calibration != nil {
			t.Errorf("scale %+v gave calibration %+v", s, d.Calibration)
		}
	}
}

func TestDiagnosticsMergeAndNil(t *testing.T) {
	outs := outcomesOf([]int{3, 2, 2, 11, 33}, []int{33, 6, 6, 11, 2})
	whole := diagnose(t, outs, EvalOptions{}, &OddsScale{PointsToDoubleOdds: 1, Odds: 1})
	a, _ := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
	b, _ := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
	for i, o := range outs {
		ev := a
		if i%3 == 0 {
			ev = b
		}
		if err := ev.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Merge(a); err != nil {
		t.Fatal(err)
	}
	merged, err := b.Diagnostics(&OddsScale{PointsToDoubleOdds: 1, Odds: 1})
	if err != nil {
		t.Fatal(err)
	}
	jm, _ := json.Marshal(merged)
	jw, _ := json.Marshal(whole)
	if string(jm) != string(jw) {
		t.Errorf("merged %+v\nwhole %+v", merged, whole)
	}
	for _, e := range []*Evaluation{nil, {}} {
		if _, err := e.Diagnostics(nil); err == nil {
			t.Errorf("%#v: no error", e)
		}
	}
}

// fix4 prints a ratio to 4 places, or "undefined".
func fix4(r kpi.Ratio) string {
	v, err := r.Value(4)
	if err != nil {
		return "undefined"
	}
	return v.StringFixed(4)
}
