package scoring

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// CompareOptions configures [Compare]. The zero CompareOptions evaluates
// both models with the zero [EvalOptions] and lists up to 100 changed
// leads.
type CompareOptions struct {
	// Champion and Challenger are each model's evaluation options; their
	// thresholds are also the score bands a lead may change between
	// (models on different scales need different thresholds).
	Champion   EvalOptions `json:"champion,omitzero"`
	Challenger EvalOptions `json:"challenger,omitzero"`
	// MaxChanges caps the leads listed in [Comparison.Changes]; zero
	// means 100, negative none. Every change is counted anyway.
	MaxChanges int `json:"max_changes,omitempty"`
}

// Verdict says what DeLong's test concludes about a challenger.
type Verdict string

// The verdicts of a comparison.
const (
	// Better: the 95% confidence interval of the AUC difference lies
	// above zero.
	Better Verdict = "better"
	// Worse: it lies below zero.
	Worse Verdict = "worse"
	// NotDistinguishable: it contains zero; this data cannot tell the
	// models apart.
	NotDistinguishable Verdict = "not distinguishable"
	// Undecidable: fewer than two converted or two other leads, so there
	// is no interval.
	Undecidable Verdict = "undecidable"
)

// Side is one model's evaluation in a comparison.
type Side struct {
	Report      EvaluationReport `json:"report"`
	Diagnostics Diagnostics      `json:"diagnostics"`
}

// Comparison is a champion model and a challenger evaluated on the same
// leads and outcomes.
type Comparison struct {
	Champion   Side `json:"champion"`
	Challenger Side `json:"challenger"`
	// Difference is the challenger's AUC minus the champion's, StdErr
	// its standard error for correlated ROC curves by DeLong, DeLong and
	// Clarke-Pearson (Biometrics 44:837–845, 1988): the placement values
	// of each lead under both models give the 2×2 covariances S10 (over
	// the converted leads) and S01 (over the others), and
	// var = (S10₁₁ + S10₂₂ − 2·S10₁₂)/P + (S01₁₁ + S01₂₂ − 2·S01₁₂)/N.
	// Low and High bound the 95% confidence interval (Difference ±
	// 1.959964·StdErr), Z is Difference / StdErr and PValue its
	// two-sided p-value. All nil when the verdict is Undecidable; Z and
	// PValue nil when StdErr is 0.
	Difference *float64 `json:"difference"`
	StdErr     *float64 `json:"std_err"`
	Low        *float64 `json:"low"`
	High       *float64 `json:"high"`
	Z          *float64 `json:"z"`
	PValue     *float64 `json:"p_value"`
	Verdict    Verdict  `json:"verdict"`
	// Grades, Stages and Bands count the leads by what they get under
	// the champion (From) and the challenger (To): the non-zero cells of
	// each transition matrix, ordered by From then To. An empty grade or
	// stage is "" (none); a band is written "[min, max)".
	Grades []Transition `json:"grades"`
	Stages []Transition `json:"stages"`
	Bands  []Transition `json:"bands"`
	// Changed counts the leads whose grade, stage or band rank (the
	// band's place from the top) differs; Changes lists the first
	// MaxChanges of them by lead id.
	Changed int64    `json:"changed"`
	Changes []Change `json:"changes"`
}

// Transition is one cell of a transition matrix.
type Transition struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Leads int64  `json:"leads"`
}

// Change is a lead that a challenger grades, qualifies or bands
// differently.
type Change struct {
	LeadID     string  `json:"lead_id"`
	Converted  bool    `json:"converted"`
	Champion   Placing `json:"champion"`
	Challenger Placing `json:"challenger"`
}

// Placing is where one model puts a lead.
type Placing struct {
	Score float64    `json:"score"`
	Grade string     `json:"grade,omitempty"`
	Stage lead.Stage `json:"stage,omitempty"`
	Band  string     `json:"band"`
}

// Compare scores every outcome's lead with both models as of its
// decision time, evaluates both, tests the AUC difference with DeLong's
// test for correlated ROC curves, and lists the leads whose grade,
// qualification stage or score band changes. Scores are rounded to each
// evaluation's resolution, as the reports' AUCs are.
//
// Compare refuses a nil scorer, invalid options, a repeated lead id and
// an outcome either model cannot score (a nil lead, a zero DecidedAt, a
// rule error), naming it: a model should score every lead before it is
// published.
func Compare(champion, challenger *Scorer, outcomes []Outcome, opts CompareOptions) (Comparison, error) {
	if champion == nil || challenger == nil {
		return Comparison{}, errors.New("scoring: Compare needs two scorers")
	}
	if err := duplicateLeads(outcomes); err != nil {
		return Comparison{}, err
	}
	e1, err := champion.NewEvaluation(time.Time{}, opts.Champion)
	if err != nil {
		return Comparison{}, leadkit.Prefix("champion", err)
	}
	e2, err := challenger.NewEvaluation(time.Time{}, opts.Challenger)
	if err != nil {
		return Comparison{}, leadkit.Prefix("challenger", err)
	}
	maxChanges := cmp.Or(opts.MaxChanges, 100)

	type pair struct {
		s1, s2    float64
		converted bool
	}
	pairs := make([]pair, 0, len(outcomes))
	grades, stages, bands := map[[2]string]int64{}, map[[2]string]int64{}, map[[2]string]int64{}
	var c Comparison
	var r1, r2 Result
	for i, o := range outcomes {
		at := fmt.Sprintf("outcomes[%d]", i)
		if o.Lead == nil {
			return Comparison{}, leadkit.Errorf(at+".lead", "nil")
		}
		if o.DecidedAt.IsZero() {
			return Comparison{}, leadkit.Errorf(at+".decided_at", "zero: the instant the outcome was decided is required (lead %q)", o.Lead.ID)
		}
		if err := champion.ScoreInto(&r1, o.Lead, o.DecidedAt); err != nil {
			return Comparison{}, leadkit.Prefix(at, fmt.Errorf("champion: %w", err))
		}
		if err := challenger.ScoreInto(&r2, o.Lead, o.DecidedAt); err != nil {
			return Comparison{}, leadkit.Prefix(at, fmt.Errorf("challenger: %w", err))
		}
		k1, err := e1.bucket(&r1, o.Lead.ID)
		if err != nil {
			return Comparison{}, leadkit.Prefix(at, err)
		}
		k2, err := e2.bucket(&r2, o.Lead.ID)
		if err != nil {
			return Comparison{}, leadkit.Prefix(at, err)
		}
		e1.count(k1, champion.cellIndex(&r1), o.Converted)
		e2.count(k2, challenger.cellIndex(&r2), o.Converted)
		p1 := Placing{Score: e1.value(k1), Grade: r1.Grade, Stage: r1.Qualification.Stage}
		p2 := Placing{Score: e2.value(k2), Grade: r2.Grade, Stage: r2.Qualification.Stage}
		b1, rank1 := bandOf(e1.opts.Thresholds, p1.Score)
		b2, rank2 := bandOf(e2.opts.Thresholds, p2.Score)
		p1.Band, p2.Band = b1, b2
		pairs = append(pairs, pair{p1.Score, p2.Score, o.Converted})
		grades[[2]string{p1.Grade, p2.Grade}]++
		stages[[2]string{string(p1.Stage), string(p2.Stage)}]++
		bands[[2]string{b1, b2}]++
		if p1.Grade != p2.Grade || p1.Stage != p2.Stage || rank1 != rank2 {
			c.Changed++
			c.Changes = append(c.Changes, Change{LeadID: o.Lead.ID, Converted: o.Converted, Champion: p1, Challenger: p2})
		}
	}
	slices.SortFunc(c.Changes, func(a, b Change) int { return cmp.Compare(a.LeadID, b.LeadID) })
	if maxChanges < 0 {
		maxChanges = 0
	}
	c.Changes = c.Changes[:min(len(c.Changes), maxChanges)]
	if c.Changes == nil {
		c.Changes = []Change{}
	}
	c.Grades, c.Stages, c.Bands = cells(grades), cells(stages), cells(bands)

	for _, s := range []struct {
		e    *Evaluation
		side *Side
	}{{e1, &c.Champion}, {e2, &c.Challenger}} {
		if s.side.Report, err = s.e.Report(); err != nil {
			return Comparison{}, err
		}
		if s.side.Diagnostics, err = s.e.Diagnostics(nil); err != nil {
			return Comparison{}, err
		}
	}

	// DeLong's test on the paired scores.
	var pos, neg [][2]float64
	for _, p := range pairs {
		if p.converted {
			pos = append(pos, [2]float64{p.s1, p.s2})
		} else {
			neg = append(neg, [2]float64{p.s1, p.s2})
		}
	}
	c.Verdict = Undecidable
	if len(pos) < 2 || len(neg) < 2 {
		return c, nil
	}
	d, se := delongPaired(pos, neg)
	c.Difference, c.StdErr = &d, &se
	const z95 = 1.959963984540054
	c.Low, c.High = ptr(d-z95*se), ptr(d+z95*se)
	switch {
	case *c.Low > 0:
		c.Verdict = Better
	case *c.High < 0:
		c.Verdict = Worse
	default:
		c.Verdict = NotDistinguishable
	}
	if se > 0 {
		z := d / se
		c.Z, c.PValue = &z, ptr(math.Erfc(math.Abs(z)/math.Sqrt2))
	}
	return c, nil
}

// delongPaired returns AUC₂ − AUC₁ and its DeLong standard error, from
// each converted (pos) and other (neg) lead's two scores.
func delongPaired(pos, neg [][2]float64) (diff, se float64) {
	P, N := float64(len(pos)), float64(len(neg))
	var v10 [2][]float64
	var v01 [2][]float64
	var auc [2]float64
	for m := range 2 {
		ns := make([]float64, len(neg))
		for i, y := range neg {
			ns[i] = y[m]
		}
		ps := make([]float64, len(pos))
		for i, x := range pos {
			ps[i] = x[m]
		}
		slices.Sort(ns)
		slices.Sort(ps)
		v10[m] = make([]float64, len(pos))
		for i, x := range pos {
			below, _ := slices.BinarySearch(ns, x[m])
			upto := upper(ns, x[m])
			v10[m][i] = (float64(below) + float64(upto-below)/2) / N
			auc[m] += v10[m][i] / P
		}
		v01[m] = make([]float64, len(neg))
		for i, y := range neg {
			below, _ := slices.BinarySearch(ps, y[m])
			upto := upper(ps, y[m])
			v01[m][i] = (float64(len(ps)-upto) + float64(upto-below)/2) / P
		}
	}
	cov := func(a, b []float64, ma, mb float64) float64 {
		var s float64
		for i := range a {
			s += (a[i] - ma) * (b[i] - mb)
		}
		return s / float64(len(a)-1)
	}
	s10 := cov(v10[0], v10[0], auc[0], auc[0]) + cov(v10[1], v10[1], auc[1], auc[1]) - 2*cov(v10[0], v10[1], auc[0], auc[1])
	s01 := cov(v01[0], v01[0], auc[0], auc[0]) + cov(v01[1], v01[1], auc[1], auc[1]) - 2*cov(v01[0], v01[1], auc[0], auc[1])
	return auc[1] - auc[0], math.Sqrt(max(0, s10/P+s01/N))
}

// upper returns the index of the first element of sorted s above v.
func upper(s []float64, v float64) int {
	i, _ := slices.BinarySearchFunc(s, v, func(e, t float64) int {
		if e <= t {
			return -1
		}
		return 1
	})
	return i
}

// bandOf returns the band of the sorted thresholds a score falls in,
// written "[min, max)", and its rank from the top (0 for the highest).
func bandOf(thresholds []float64, v float64) (string, int) {
	i, found := slices.BinarySearch(thresholds, v)
	if found {
		i++
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	lo, hi := "-inf", "+inf"
	if i > 0 {
		lo = num(thresholds[i-1])
	}
	if i < len(thresholds) {
		hi = num(thresholds[i])
	}
	return "[" + lo + ", " + hi + ")", len(thresholds) - i
}

func cells(m map[[2]string]int64) []Transition {
	out := make([]Transition, 0, len(m))
	for k, n := range m {
		out = append(out, Transition{From: k[0], To: k[1], Leads: n})
	}
	slices.SortFunc(out, func(a, b Transition) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	return out
}
