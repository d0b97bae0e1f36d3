package scoring

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/leadkit/leadkit/lead"
)

// aSAH is the published data set of Turck et al. (Intensive Care Med
// 36:107–115, 2010) that ships with pROC (Robin et al., "pROC: an
// open-source package for R and S+ to analyze and compare ROC curves",
// BMC Bioinformatics 12:77, 2011) and is its worked example for DeLong's
// test: 113 patients after a subarachnoid haemorrhage, 41 with a poor
// outcome, and three predictors: the s100b and ndka biomarkers and the
// WFNS grade (1 to 5, so heavily tied). One row per patient, in the
// data set's order: {poor outcome, s100b, wfns, ndka}.
var aSAH = []struct {
	poor              bool
	s100b, wfns, ndka float64
}{
	{false, 0.13, 1, 3.01}, {false, 0.14, 1, 8.54}, {false, 0.1, 1, 8.09}, {false, 0.04, 1, 10.42},
	{true, 0.13, 3, 17.4}, {true, 0.1, 2, 12.75}, {false, 0.47, 5, 6.0}, {true, 0.16, 4, 13.2},
	{false, 0.18, 1, 15.54}, {false, 0.1, 2, 6.01}, {true, 0.12, 5, 15.96}, {false, 0.1, 2, 17.86},
	{true, 0.44, 5, 5.18}, {true, 0.71, 5, 8.9}, {false, 0.04, 1, 13.41}, {false, 0.08, 2, 20.75},
	{true, 0.49, 5, 11.6}, {false, 0.04, 2, 16.11}, {true, 0.07, 2, 32.37}, {true, 0.33, 5, 54.82},
	{true, 0.09, 2, 32.41}, {false, 0.09, 1, 49.94}, {true, 0.07, 1, 40.34}, {false, 0.11, 1, 9.47},
	{false, 0.07, 1, 6.29}, {false, 0.17, 2, 12.53}, {false, 0.07, 1, 6.54}, {false, 0.11, 2, 6.3},
	{false, 0.13, 1, 80.3}, {false, 0.19, 1, 12.8}, {false, 0.05, 3, 9.8}, {false, 0.16, 4, 9.81},
	{true, 0.41, 2, 9.85}, {false, 0.14, 1, 18.21}, {false, 0.34, 4, 5.03}, {true, 0.35, 5, 14.04},
	{true, 0.48, 4, 21.93}, {false, 0.09, 1, 8.02}, {true, 0.96, 4, 7.42}, {true, 0.25, 2, 8.38},
	{false, 0.5, 5, 6.59}, {false, 0.46, 5, 9.63}, {false, 0.16, 1, 13.12}, {false, 0.07, 1, 7.96},
	{false, 0.43, 2, 14.34}, {false, 0.45, 4, 41.43}, {false, 0.11, 1, 7.63}, {false, 0.08, 1, 7.06},
	{false, 0.09, 2, 12.59}, {true, 0.86, 5, 13.56}, {true, 0.52, 5, 3.87}, {false, 0.08, 2, 9.44},
	{false, 0.06, 1, 7.66}, {false, 0.13, 2, 12.98}, {true, 2.07, 5, 419.19}, {false, 0.1, 1, 27.19},
	{false, 0.14, 2, 22.27}, {false, 0.15, 2, 9.95}, {true, 0.07, 2, 21.22}, {false, 0.06, 1, 11.73},
	{true, 0.77, 5, 10.4}, {false, 0.05, 1, 58.83}, {false, 0.09, 1, 6.39}, {true, 0.3, 2, 11.09},
	{true, 0.03, 5, 12.22}, {true, 0.09, 2, 13.67}, {false, 0.04, 1, 17.21}, {true, 0.23, 4, 22.63},
	{true, 0.7, 5, 12.9}, {false, 0.09, 2, 9.7}, {true, 0.27, 4, 21.57}, {true, 0.71, 4, 8.23},
	{true, 0.08, 1, 72.57}, {true, 0.26, 4, 15.54}, {false, 0.08, 1, 10.51}, {false, 0.16, 2, 10.6},
	{false, 0.09, 1, 14.57}, {true, 0.13, 4, 5.19}, {true, 0.1, 2, 9.63}, {false, 0.08, 1, 4.61},
	{true, 0.11, 2, 21.48}, {false, 0.33, 3, 17.3}, {false, 0.11, 2, 12.71}, {false, 0.28, 4, 9.44},
	{false, 0.07, 2, 11.07}, {false, 0.1, 1, 19.46}, {false, 0.32, 4, 10.83}, {true, 0.22, 5, 5.37},
	{false, 0.07, 1, 11.97}, {false, 0.05, 1, 7.75}, {false, 0.24, 5, 9.83}, {false, 0.38, 4, 10.55},
	{false, 0.1, 2, 28.49}, {false, 0.15, 2, 8.53}, {false, 0.08, 1, 12.57}, {false, 0.14, 1, 12.9},
	{false, 0.1, 1, 46.83}, {false, 0.07, 3, 11.68}, {false, 0.04, 1, 12.67}, {false, 0.19, 2, 9.01},
	{true, 0.56, 5, 9.57}, {true, 0.14, 2, 34.06}, {true, 0.58, 2, 11.72}, {true, 0.32, 5, 14.26},
	{true, 0.82, 5, 47.61}, {true, 0.74, 5, 11.67}, {false, 0.15, 2, 24.58}, {false, 0.47, 4, 10.33},
	{false, 0.17, 4, 13.87}, {true, 0.44, 5, 15.89}, {false, 0.15, 1, 22.43}, {false, 0.5, 1, 6.79},
	{false, 0.48, 1, 13.45},
}

// rankModel scores a lead by the rank of its predictor among the data
// set's distinct values (1 for the lowest): one fit rule of 1 point per
// distinct value above the lowest. A rank keeps every order and every
// tie, so the AUC and DeLong's placements are those of the raw values.
func rankModel(name string, values []float64) *Scorer {
	vs := slices.Clone(values)
	slices.Sort(vs)
	vs = slices.Compact(vs)
	var rules []Rule
	for _, v := range vs[1:] {
		rules = append(rules, Rule{Name: fmt.Sprintf("%s>=%v", name, v), When: fmt.Sprintf("fields.%s >= %v", name, v), Points: 1})
	}
	return MustCompile(Model{Name: name, Rules: rules})
}

// TestCompareMatchesPROC checks the AUCs, their DeLong standard errors
// and DeLong's paired test against pROC's published figures on its aSAH
// example. The expected numbers are pROC's own, from its test suite
// (tests/testthat/test-var.R and test-roc.test.R, pROC 1.18), which
// pin what roc.test and var print for these data:
//
//	var(wfns) = 0.00146991470882363, var(ndka) = 0.0031908105493913,
//	var(s100b) = 0.00266868245717244;
//	roc.test(wfns, s100b): Z = 2.20898359144091, p = 0.0271757822291882,
//	  95% CI 0.0104061769564846 to 0.174214419249478;
//	roc.test(wfns, ndka):  Z = 2.79777591868904, p = 0.00514557970691098,
//	  95% CI 0.0634011709339876 to 0.3600405634833566;
//	roc.test(ndka, s100b): Z = -1.39077002573558.
//
// The roc.test(s100b, wfns) documentation example prints the first with
// the sign flipped (Z = -2.209, p-value = 0.02718) and the AUCs 0.7314
// and 0.8237. roc.test's Z is AUC₁ − AUC₂ over its standard error, and
// Compare's difference is challenger − champion, so roc.test(x, y) is
// Compare(y, x).
func TestCompareMatchesPROC(t *testing.T) {
	var s100b, wfns, ndka []float64
	var outs []Outcome
	for i, p := range aSAH {
		s100b, wfns, ndka = append(s100b, p.s100b), append(wfns, p.wfns), append(ndka, p.ndka)
		l := &lead.Lead{ID: fmt.Sprintf("p%03d", i), CreatedAt: learnT0, Fields: map[string]any{"s100b": p.s100b, "wfns": p.wfns, "ndka": p.ndka}}
		outs = append(outs, Outcome{Lead: l, DecidedAt: learnT0, Converted: p.poor})
	}
	models := map[string]*Scorer{"s100b": rankModel("s100b", s100b), "wfns": rankModel("wfns", wfns), "ndka": rankModel("ndka", ndka)}

	// The AUCs are exact fractions of the 41 × 72 = 2,952 pairs (counted
	// pair by pair, a tie as a half): s100b 2159/2952 = 0.731368…,
	// wfns 2431.5/2952 = 0.823678…, ndka 1806.5/2952 = 0.611957…; pROC
	// prints 0.7314 and 0.8237 for the first two.
	auc := map[string]float64{"s100b": 2159.0 / 2952, "wfns": 2431.5 / 2952, "ndka": 1806.5 / 2952}
	variance := map[string]float64{"s100b": 0.00266868245717244, "wfns": 0.00146991470882363, "ndka": 0.0031908105493913}

	for _, c := range []struct {
		x, y      string  // roc.test(x, y)
		z, p      float64 // pROC's; p 0 when its test does not pin it
		low, high float64 // pROC's 95% CI of AUC(x) − AUC(y); 0 when not pinned
	}{
		{"wfns", "s100b", 2.20898359144091, 0.0271757822291882, 0.0104061769564846, 0.174214419249478},
		{"wfns", "ndka", 2.79777591868904, 0.00514557970691098, 0.0634011709339876, 0.3600405634833566},
		{"ndka", "s100b", -1.39077002573558, 0, 0, 0},
	} {
		t.Run(c.x+"-"+c.y, func(t *testing.T) {
			got, err := Compare(models[c.y], models[c.x], outs, CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, side := range []struct {
				name string
				s    Side
			}{{c.y, got.Champion}, {c.x, got.Challenger}} {
				a, ok := side.s.Report.AUC.Float64()
				if !ok || math.Abs(a-auc[side.name]) > 1e-12 {
					t.Errorf("AUC(%s) = %v, want %v", side.name, a, auc[side.name])
				}
				if se := side.s.Diagnostics.AUCStdErr; se == nil || math.Abs(*se**se-variance[side.name]) > 1e-14 {
					t.Errorf("var(%s) = %v, pROC %v", side.name, se, variance[side.name])
				}
			}
			if d := *got.Difference; math.Abs(d-(auc[c.x]-auc[c.y])) > 1e-12 {
				t.Errorf("difference %v, want %v", d, auc[c.x]-auc[c.y])
			}
			if math.Abs(*got.Z-c.z) > 1e-9 {
				t.Errorf("z %.14f, pROC %.14f", *got.Z, c.z)
			}
			if c.p != 0 && math.Abs(*got.PValue-c.p) > 1e-10 {
				t.Errorf("p %.15f, pROC %.15f", *got.PValue, c.p)
			}
			if c.low != 0 && (math.Abs(*got.Low-c.low) > 1e-10 || math.Abs(*got.High-c.high) > 1e-10) {
				t.Errorf("CI [%.12f, %.12f], pROC [%.12f, %.12f]", *got.Low, *got.High, c.low, c.high)
			}
			want := NotDistinguishable
			if c.p != 0 && c.z > 0 {
				want = Better // both pinned tests reject at 5%
			}
			if got.Verdict != want {
				t.Errorf("verdict %s, want %s", got.Verdict, want)
			}
		})
	}
}
