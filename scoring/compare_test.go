package scoring

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/leadkit/leadkit/lead"
)

// Two models over the same leads: modelA scores fields.a points (0 to
// 6: one fit rule per step), modelB fields.b; both grade A from 2 points.
var (
	modelA = MustCompile(Model{Name: "a", Rules: steps("a"), Grades: Bands("A", 2, "B")})
	modelB = MustCompile(Model{Name: "b", Rules: steps("b"), Grades: Bands("A", 2, "B")})
)

func steps(f string) []Rule {
	var rs []Rule
	for i := 1; i <= 6; i++ {
		rs = append(rs, Rule{Name: fmt.Sprint(f, i), When: fmt.Sprintf("fields.%s >= %d", f, i), Points: 1})
	}
	return rs
}

// paired returns an outcome whose lead scores a under modelA and b under
// modelB.
func paired(id string, a, b int, converted bool) Outcome {
	l := &lead.Lead{ID: id, CreatedAt: learnT0, Fields: map[string]any{"a": a, "b": b}}
	return Outcome{Lead: l, DecidedAt: learnT0, Converted: converted}
}

func TestCompareDeLongHandWorked(t *testing.T) {
	// Converted (a, b): P1 (3, 2), P2 (1, 3), P3 (2, 2); others: N1
	// (1, 1), N2 (2, 3), N3 (0, 0).
	// Placements of the converted under a: 1, 1/2, 5/6 (AUC 7/9);
	// under b: 2/3, 5/6, 2/3 (AUC 13/18). Difference b − a = −1/18.
	// Differences of placements, converted: 1/3, −1/3, 1/6 (mean 1/18):
	// S10 = ((5/18)² + (7/18)² + (2/18)²)/2 = 78/648. Others under a:
	// 5/6, 1/2, 1; under b: 1, 1/6, 1: differences −1/6, 1/3, 0 (mean
	// 1/18): S01 = ((4/18)² + (5/18)² + (1/18)²)/2 = 21/324.
	// var = (78/648)/3 + (42/648)/3 = 120/1944, SE = 0.2484520.
	outs := []Outcome{paired("P1", 3, 2, true), paired("P2", 1, 3, true), paired("P3", 2, 2, true),
		paired("N1", 1, 1, false), paired("N2", 2, 3, false), paired("N3", 0, 0, false)}
	c, err := Compare(modelA, modelB, outs, CompareOptions{Champion: EvalOptions{Thresholds: []float64{2}}, Challenger: EvalOptions{Thresholds: []float64{2}}})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(*c.Difference+1.0/18) > 1e-12 || math.Abs(*c.StdErr-math.Sqrt(120.0/1944)) > 1e-12 {
		t.Fatalf("difference %v ± %v, want −1/18 ± 0.2484520", *c.Difference, *c.StdErr)
	}
	// z = −0.0555556/0.2484520 = −0.2236068; p = erfc(0.2236068/√2) = 0.823063.
	if c.Verdict != NotDistinguishable || math.Abs(*c.Z+0.2236068) > 1e-6 || math.Abs(*c.PValue-0.823063) > 1e-6 {
		t.Errorf("verdict %s z %v p %v", c.Verdict, *c.Z, *c.PValue)
	}
	// Grades (A from 2): P1 A→A, P2 B→A, P3 A→A, N1 B→B, N2 A→A, N3 B→B.
	want := []Transition{{"A", "A", 3}, {"B", "A", 1}, {"B", "B", 2}}
	if fmt.Sprint(c.Grades) != fmt.Sprint(want) {
		t.Errorf("grades %v, want %v", c.Grades, want)
	}
	if c.Changed != 1 || len(c.Changes) != 1 || c.Changes[0].LeadID != "P2" || c.Changes[0].Challenger.Band != "[2, +inf)" || c.Changes[0].Champion.Band != "[-inf, 2)" {
		t.Errorf("changes %d %+v", c.Changed, c.Changes)
	}
}

// bruteDeLongPaired is the same test computed pair by pair.
func bruteDeLongPaired(pos, neg [][2]float64) (float64, float64) {
	psi := func(x, y float64) float64 {
		switch {
		case x > y:
			return 1
		case x == y:
			return 0.5
		}
		return 0
	}
	P, N := float64(len(pos)), float64(len(neg))
	d10 := make([]float64, len(pos))
	d01 := make([]float64, len(neg))
	var diff float64
	for i, x := range pos {
		for j, y := range neg {
			d := psi(x[1], y[1]) - psi(x[0], y[0])
			d10[i] += d / N
			d01[j] += d / P
			diff += d / P / N
		}
	}
	variance := func(v []float64) float64 {
		var s float64
		for _, x := range v {
			s += (x - diff) * (x - diff)
		}
		return s / float64(len(v)-1)
	}
	return diff, math.Sqrt(variance(d10)/P + variance(d01)/N)
}

func TestCompareAgainstPairByPair(t *testing.T) {
	var outs []Outcome
	var pos, neg [][2]float64
	for i := range 300 {
		// Deterministic scatter: a tracks the outcome more than b.
		conv := i%3 == 0
		a, b := (i*7)%5, (i*11)%4
		if conv {
			a += 2
			b++
		}
		outs = append(outs, paired(fmt.Sprint(i), a, b, conv))
		if conv {
			pos = append(pos, [2]float64{float64(a), float64(b)})
		} else {
			neg = append(neg, [2]float64{float64(a), float64(b)})
		}
	}
	c, err := Compare(modelA, modelB, outs, CompareOptions{MaxChanges: 5})
	if err != nil {
		t.Fatal(err)
	}
	d, se := bruteDeLongPaired(pos, neg)
	if math.Abs(*c.Difference-d) > 1e-12 || math.Abs(*c.StdErr-se) > 1e-12 {
		t.Fatalf("got %v ± %v, pair by pair %v ± %v", *c.Difference, *c.StdErr, d, se)
	}
	if c.Verdict != Worse {
		t.Errorf("verdict %s (difference %v ± %v)", c.Verdict, d, se)
	}
	if len(c.Changes) != 5 || c.Changed <= 5 {
		t.Errorf("listed %d of %d changes", len(c.Changes), c.Changed)
	}
	// Swapped: the same interval mirrored, and "better".
	s, err := Compare(modelB, modelA, outs, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Verdict != Better || math.Abs(*s.Difference+d) > 1e-12 || math.Abs(*s.StdErr-se) > 1e-12 {
		t.Errorf("swapped: %s %v ± %v", s.Verdict, *s.Difference, *s.StdErr)
	}
}

func TestCompareEdgeCases(t *testing.T) {
	same := []Outcome{paired("1", 1, 0, true), paired("2", 2, 0, true), paired("3", 0, 0, false), paired("4", 1, 0, false)}
	c, err := Compare(modelA, modelA, same, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Verdict != NotDistinguishable || *c.Difference != 0 || *c.StdErr != 0 || c.Z != nil || c.Changed != 0 || c.Changes == nil {
		t.Errorf("a model against itself: %+v", c)
	}
	c, err = Compare(modelA, modelB, same[:3], CompareOptions{})
	if err != nil || c.Verdict != Undecidable || c.Difference != nil {
		t.Errorf("one other lead: %v %+v", err, c)
	}
	bad := MustCompile(Model{Rules: []Rule{{Name: "n", When: "fields.n > 1", Points: 1}}})
	strange := &lead.Lead{ID: "x", Fields: map[string]any{"a": 1, "b": 1, "n": "s"}}
	cases := []struct {
		name   string
		a, b   *Scorer
		outs   []Outcome
		opts   CompareOptions
		expect string
	}{
		{"nil champion", nil, modelB, same, CompareOptions{}, "two scorers"},
		{"nil challenger", modelA, nil, same, CompareOptions{}, "two scorers"},
		{"repeated id", modelA, modelB, append(same, same[0]), CompareOptions{}, `"1"`},
		{"nil lead", modelA, modelB, []Outcome{{}}, CompareOptions{}, "outcomes[0].lead: nil"},
		{"zero decided", modelA, modelB, []Outcome{{Lead: &lead.Lead{ID: "x"}}}, CompareOptions{}, "decided_at"},
		{"rule error", modelA, bad, []Outcome{{Lead: strange, DecidedAt: learnT0}}, CompareOptions{}, "challenger"},
		{"bad options", modelA, modelB, same, CompareOptions{Challenger: EvalOptions{Resolution: -1}}, "challenger.resolution"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.a, tc.b, tc.outs, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.expect) {
				t.Fatalf("err = %v, want %q", err, tc.expect)
			}
		})
	}
}
