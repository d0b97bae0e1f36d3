package scoring

import (
	"encoding/json"
	"fmt"
	"github.com/leadkit/leadkit"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

var learnT0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// TestFitLogisticClosedForm: one binary feature, no penalty to speak of.
// The MLE then matches the observed rates exactly:
// x=0: 2 of 10 converted, so b0 = ln(2/8) = -1.3862944;
// x=1: 6 of 10 converted, so b0+b1 = ln(6/4) = 0.4054651, b1 = 1.7917595.
func TestFitLogisticClosedForm(t *testing.T) {
	var x [][]int32
	var y []bool
	for i := range 10 {
		x, y = append(x, nil), append(y, i < 2)
		x, y = append(x, []int32{0}), append(y, i < 6)
	}
	w, it := fitLogistic(x, y, 1, 1e-12, 100)
	if math.Abs(w[1]-math.Log(2.0/8)) > 1e-6 || math.Abs(w[0]-(math.Log(6.0/4)-math.Log(2.0/8))) > 1e-6 {
		t.Fatalf("w = %v after %d steps; want b1 1.7917595, b0 -1.3862944", w, it)
	}
}

// TestFitLogisticAgainstGradientDescent checks Newton's method against a
// second, independent minimiser of the same objective: plain gradient
// descent on dense rows, run until it stops moving.
func TestFitLogisticAgainstGradientDescent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, d = 400, 4
	var x [][]int32
	var y []bool
	dense := make([][]float64, n)
	for i := range n {
		dense[i] = make([]float64, d+1)
		dense[i][d] = 1
		var row []int32
		e := -0.3
		for j := range d {
			if r.Float64() < 0.4 {
				row = append(row, int32(j))
				dense[i][j] = 1
				e += []float64{1.2, -0.8, 0.5, 0}[j]
			}
		}
		x = append(x, row)
		y = append(y, r.Float64() < 1/(1+math.Exp(-e)))
	}
	for _, lambda := range []float64{0.01, 0.1, 1} {
		w, _ := fitLogistic(x, y, d, lambda, 100)
		gd := make([]float64, d+1)
		for range 200000 {
			grad := make([]float64, d+1)
			for i := range n {
				var e float64
				for j := range gd {
					e += gd[j] * dense[i][j]
				}
				p := 1 / (1 + math.Exp(-e))
				if y[i] {
					p--
				}
				for j := range gd {
					grad[j] += p * dense[i][j] / n
				}
			}
			var norm float64
			for j := range d {
				grad[j] += lambda * gd[j]
			}
			for j := range gd {
				norm = max(norm, math.Abs(grad[j]))
			}
			if norm < 1e-10 {
				break
			}
			for j := range gd {
				gd[j] -= 1.0 * grad[j]
			}
		}
		for j := range w {
			if math.Abs(w[j]-gd[j]) > 1e-5 {
				t.Errorf("λ=%g: Newton %v, gradient descent %v", lambda, w, gd)
				break
			}
		}
	}
}

// knownLeads draws n leads with fields a, b, c true or false (each with
// probability 1/2) and converts each with probability
// σ(-0.5 + 1.0·a − 0.7·b + 0.4·c).
func knownLeads(n int, seed uint64) []Outcome {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]Outcome, n)
	for i := range out {
		a, b, c := r.IntN(2) == 1, r.IntN(2) == 1, r.IntN(2) == 1
		e := -0.5
		if a {
			e += 1
		}
		if b {
			e -= 0.7
		}
		if c {
			e += 0.4
		}
		l := &lead.Lead{ID: fmt.Sprintf("L%06d", i), CreatedAt: learnT0, Fields: map[string]any{"a": a, "b": b, "c": c}}
		out[i] = Outcome{Lead: l, DecidedAt: learnT0.Add(time.Hour), Converted: r.Float64() < 1/(1+math.Exp(-e))}
	}
	return out
}

var knownRules = []Rule{
	{Name: "a", When: "fields.a == true"},
	{Name: "b", When: "fields.b == true"},
	{Name: "c", When: "fields.c == true"},
}

func TestLearnRecoversKnownWeights(t *testing.T) {
	// 40,000 leads: each weight's standard error is about
	// 2/sqrt(40000·0.25) = 0.02, so 0.08 is four of them.
	got, err := Learn(knownLeads(40000, 1), LearnOptions{Rules: knownRules, Lambdas: []float64{1e-6}, Holdout: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.0, -0.7, 0.4, -0.5}
	for j, w := range want {
		if math.Abs(got.Weights[j]-w) > 0.08 {
			t.Errorf("weight %d = %.3f, want %.1f ± 0.08 (all %v)", j, got.Weights[j], w, got.Weights)
		}
	}
	// Points are weight × 20 / ln 2, rounded to 0.01; the base score
	// puts 0 at even odds, so base = intercept × 20 / ln 2.
	for j, r := range got.Model.Rules {
		if want := math.Round(got.Weights[j]*20/math.Ln2*100) / 100; r.Points != want {
			t.Errorf("rule %q points %v, want %v", r.Name, r.Points, want)
		}
	}
	if got.Holdout != 0 || got.Train != 40000 || !got.HoldoutAUC.Den.IsZero() {
		t.Errorf("split %d/%d, holdout AUC %v; want all training", got.Train, got.Holdout, got.HoldoutAUC)
	}
	// A lead with a only scores base + a; its odds are 2^(score/20),
	// which is exp(b0 + ba) up to the rounding of the points.
	s := MustCompile(got.Model)
	res, err := s.Score(&lead.Lead{ID: "x", CreatedAt: learnT0, Fields: map[string]any{"a": true, "b": false, "c": false}}, learnT0)
	if err != nil {
		t.Fatal(err)
	}
	if odds, want := math.Pow(2, res.Total/20), math.Exp(got.Weights[0]+got.Weights[3]); math.Abs(odds/want-1) > 1e-3 {
		t.Errorf("odds at score %v = %v, want %v", res.Total, odds, want)
	}
}

func TestLearnIsDeterministic(t *testing.T) {
	data := knownLeads(3000, 2)
	opts := LearnOptions{Rules: knownRules, Categories: []CategoryFeature{{Key: "fields.a", MinLeads: 10}}}
	a, err := Learn(data, opts)
	if err != nil {
		t.Fatal(err)
	}
	rev := make([]Outcome, len(data))
	for i := range data {
		rev[len(data)-1-i] = data[i]
	}
	b, err := Learn(rev, opts)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("reversed input gave another result:\n%s\n%s", ja, jb)
	}
	// 30% holdout by hash: about 900 of 3000, well within 800..1000.
	if a.Holdout < 800 || a.Holdout > 1000 || a.Train+a.Holdout != 3000 {
		t.Errorf("split %d/%d", a.Train, a.Holdout)
	}
	// InHoldout names the same leads: its count is Learn's.
	held := 0
	for _, oc := range data {
		if opts.InHoldout(oc.Lead.ID) {
			held++
		}
	}
	if held != a.Holdout {
		t.Errorf("InHoldout holds %d leads, Learn %d", held, a.Holdout)
	}
	if len(a.CV) != 5 || a.Lambda == 0 {
		t.Errorf("cv %v, λ %v", a.CV, a.Lambda)
	}
}

// TestLearnNumberBins: values 1..10 in 5 bins cut at vals[2], vals[4],
// vals[6], vals[8] of the sorted values = 3, 5, 7, 9; a lead without the
// field gets the missing rule; a category keeps values with at least
// MinLeads leads and puts the rest in "another value".
func TestLearnNumberBins(t *testing.T) {
	var data []Outcome
	for i := range 12 {
		l := &lead.Lead{ID: fmt.Sprint(i), CreatedAt: learnT0, Fields: map[string]any{}}
		if i < 10 {
			l.Fields["n"] = float64(i + 1)
		}
		l.Source.Channel = lead.Channel([]string{"web", "web", "mail", "x"}[i%4])
		data = append(data, Outcome{Lead: l, DecidedAt: learnT0, Converted: i%3 == 0})
	}
	got, err := Learn(data, LearnOptions{Holdout: -1, Folds: 2,
		Numbers:    []NumberFeature{{Key: "fields.n"}},
		Categories: []CategoryFeature{{Key: "source.channel", MinLeads: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got.Model.Rules {
		names = append(names, r.Name)
	}
	want := `source.channel is "web"|source.channel is another value|fields.n < 3|fields.n in [3, 5)|fields.n in [5, 7)|fields.n in [7, 9)|fields.n >= 9|fields.n is missing|base score`
	if g := strings.Join(names, "|"); g != want {
		t.Fatalf("rules\n%s\nwant\n%s", g, want)
	}
	// Each lead fires exactly one bin rule (or the missing one), and
	// one channel rule, in the compiled model.
	s := MustCompile(got.Model)
	for _, oc := range data {
		r, err := s.Score(oc.Lead, learnT0)
		if err != nil {
			t.Fatal(err)
		}
		bins := 0
		for _, c := range r.Contributions {
			if strings.HasPrefix(c.Rule, "fields.n") {
				bins++
			}
		}
		if bins != 1 {
			t.Errorf("lead %s fires %d bin rules", oc.Lead.ID, bins)
		}
	}
}

func TestLearnRefuses(t *testing.T) {
	ok := knownLeads(50, 3)
	dup := append(knownLeads(20, 3), knownLeads(1, 3)...)
	allLost := knownLeads(30, 4)
	for i := range allLost {
		allLost[i].Converted = false
	}
	cases := []struct {
		name string
		data []Outcome
		opts LearnOptions
		want string
	}{
		{"nil lead", []Outcome{{}}, LearnOptions{}, "outcomes[0].lead: nil"},
		{"zero decided", []Outcome{{Lead: &lead.Lead{ID: "a"}}}, LearnOptions{}, "decided_at: zero"},
		{"repeated id", dup, LearnOptions{}, "appears twice"},
		{"one outcome", allLost, LearnOptions{Holdout: -1}, "needs both outcomes"},
		{"no data", nil, LearnOptions{}, "needs both outcomes"},
		{"bad lambda", ok, LearnOptions{Lambdas: []float64{0}}, "lambdas[0]"},
		{"bad folds", ok, LearnOptions{Folds: 1}, "folds"},
		{"bad holdout", ok, LearnOptions{Holdout: 0.95}, "holdout"},
		{"bad pdo", ok, LearnOptions{PointsToDoubleOdds: math.NaN()}, "points_to_double_odds"},
		{"bad odds", ok, LearnOptions{Odds: -1}, "odds"},
		{"bad key", ok, LearnOptions{Categories: []CategoryFeature{{Key: "nope"}}}, "categories[0].key"},
		{"number not custom", ok, LearnOptions{Numbers: []NumberFeature{{Key: "owner"}}}, "numbers[0].key"},
		{"number not a number", ok, LearnOptions{Numbers: []NumberFeature{{Key: "fields.a"}}}, "not a number"},
		{"bad rule", ok, LearnOptions{Rules: []Rule{{Name: "x", When: "nope +"}}}, "does not compile"},
		{"two features one name", ok, LearnOptions{Rules: []Rule{{Name: "x", When: "true"}, {Name: "x", When: "false"}}}, "names two features"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Learn(c.data, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestLearnEngagementAndJSON: an engagement rule's feature is whether an
// activity matched (within its window), so the learned rule adds its
// points once, capped; and the learned model goes through JSON and
// ParseModel unchanged (same fingerprint), as a person would edit it.
func TestLearnEngagementAndJSON(t *testing.T) {
	var data []Outcome
	for i := range 400 {
		l := &lead.Lead{ID: fmt.Sprint(i), CreatedAt: learnT0}
		// Even leads have three recent demo requests (the count does
		// not matter, only whether the rule fired); leads 0 mod 8 have
		// one old request instead, outside the 30-day window: no
		// feature.
		switch {
		case i%8 == 0:
			l.Activities = []lead.Activity{{Type: "form_submit", At: learnT0.AddDate(0, 0, -60)}}
		case i%2 == 0:
			for range 3 {
				l.Activities = append(l.Activities, lead.Activity{Type: "form_submit", At: learnT0})
			}
		}
		conv := i%4 != 3
		if i%2 == 1 || i%8 == 0 {
			conv = i%4 == 1
		}
		data = append(data, Outcome{Lead: l, DecidedAt: learnT0, Converted: conv})
	}
	rule := Rule{Name: "demo", Kind: Engagement, When: `type == "form_submit"`, Within: leadkit.Duration(30 * 24 * time.Hour), HalfLife: leadkit.Duration(time.Hour), Points: 99}
	got, err := Learn(data, LearnOptions{Rules: []Rule{rule}, Holdout: -1, Lambdas: []float64{1e-6}})
	if err != nil {
		t.Fatal(err)
	}
	r := got.Model.Rules[0]
	// Even i have i%4 in {0, 2}, never 3: the 150 leads with the
	// feature (even, not 0 mod 8) all convert; the other 250 convert
	// when i%4 == 1 (100 of them). The weight is then large and
	// positive; the test checks its sign and the cap.
	if r.Kind != Engagement || r.Points <= 0 || r.Max == nil || *r.Max != r.Points || r.HalfLife != 0 || r.Within != rule.Within {
		t.Fatalf("learned rule %+v", r)
	}
	s := MustCompile(got.Model)
	res, err := s.Score(data[2].Lead, learnT0)
	if err != nil {
		t.Fatal(err)
	}
	if want := r.Points + got.Model.Rules[1].Points; res.Total != want {
		t.Errorf("three requests score %v, want one rule's points + base = %v", res.Total, want)
	}
	b, err := json.Marshal(got.Model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if MustCompile(m).Fingerprint() != s.Fingerprint() {
		t.Errorf("the model changed through JSON:\n%s", b)
	}
}
