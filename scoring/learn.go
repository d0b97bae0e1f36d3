package scoring

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// LearnOptions says what [Learn] may use as features and how it scales
// the points it learns. The zero LearnOptions learns only a base score
// (there are no features), with 20 points to double the odds and a score
// of 0 meaning even odds, on a 70/30 split with 5-fold cross-validation.
type LearnOptions struct {
	// Name and Version label the learned model.
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	// Rules are rules whose firing is a feature, typically an existing
	// model's rules: a fit rule fires when its When holds, an engagement
	// rule when at least one activity matches (within its Within). Their
	// points, caps and half-lives are ignored.
	Rules []Rule `json:"rules,omitempty"`
	// Categories are lead fields whose frequent values each become a
	// feature, with an "other" feature for the rest.
	Categories []CategoryFeature `json:"categories,omitempty"`
	// Numbers are numeric custom fields binned at their training
	// quantiles, with a "missing" feature for leads without the field.
	Numbers []NumberFeature `json:"numbers,omitempty"`
	// PointsToDoubleOdds is how many points double the odds of
	// converting (the scorecard's PDO). Zero means 20.
	PointsToDoubleOdds float64 `json:"points_to_double_odds,omitempty"`
	// Score and Odds anchor the scale: a lead scoring Score has odds Odds
	// (converted : not converted) of converting. A zero Odds means 1 (a
	// lead scoring Score is even odds).
	Score float64 `json:"score,omitempty"`
	Odds  float64 `json:"odds,omitempty"`
	// Lambdas are the candidate L2 penalties, per lead (the objective is
	// the mean log loss plus λ/2 times the sum of the squared weights;
	// the base score is not penalised). Cross-validation on the training
	// part picks the one with the smallest held-out log loss. Empty means
	// 1e-5, 1e-4, 1e-3, 1e-2 and 1e-1. Each must be positive.
	Lambdas []float64 `json:"lambdas,omitempty"`
	// Folds is the number of cross-validation folds; zero means 5.
	Folds int `json:"folds,omitempty"`
	// Holdout is the share of leads kept out of learning to measure the
	// model on, chosen by a hash of the lead id and Seed (so the split is
	// random but deterministic and does not depend on input order). Zero
	// means 0.3; a negative value means none.
	Holdout float64 `json:"holdout,omitempty"`
	// Seed salts the split's hash.
	Seed string `json:"seed,omitempty"`
}

// CategoryFeature asks [Learn] for one feature per frequent value of a
// lead field, and one for every other value (missing included).
type CategoryFeature struct {
	// Key is the field ("source.channel", "fields.lead_origin"). A
	// custom field's values are compared as strings.
	Key lead.Key `json:"key"`
	// MinLeads is the frequency floor: a value needs this many training
	// leads to get its own feature. Zero means 30.
	MinLeads int `json:"min_leads,omitempty"`
	// MaxValues bounds the values that get their own feature (the most
	// frequent first). Zero means 20.
	MaxValues int `json:"max_values,omitempty"`
}

// NumberFeature asks [Learn] for a numeric custom field cut into bins at
// its training quantiles: the rule text states each bin's bounds.
type NumberFeature struct {
	// Key is a custom field, "fields.NAME", whose values are numbers.
	Key lead.Key `json:"key"`
	// Bins is the number of quantile bins; zero means 5. Equal
	// quantiles merge, so there may be fewer.
	Bins int `json:"bins,omitempty"`
}

// Learned is what [Learn] found: the model, and how well it ranks.
type Learned struct {
	// Model is the learned model: one fit or engagement rule per
	// feature, points = weight × PointsToDoubleOdds / ln 2, and a last
	// rule "base score" (always true) whose points put Score at Odds.
	// Compile and Score it like any model; edit it as JSON.
	Model Model `json:"model"`
	// Scale is the odds scale of the model's points, from the options.
	Scale OddsScale `json:"scale"`
	// Weights are the learned log-odds weights, one per rule of Model
	// (the last is the intercept), before scaling and rounding.
	Weights []float64 `json:"weights"`
	// Lambda is the penalty cross-validation chose, and CV the held-out
	// log loss per lead of each candidate.
	Lambda float64   `json:"lambda"`
	CV     []CVScore `json:"cv"`
	// Iterations is the number of Newton steps of the final fit.
	Iterations int `json:"iterations"`
	// Train and Holdout count the leads on each side of the split.
	Train   int `json:"train"`
	Holdout int `json:"holdout"`
	// TrainAUC and HoldoutAUC are the AUCs of Model's scores (see
	// [EvaluationReport.AUC]); undefined when a side has no converted
	// lead or no other lead.
	TrainAUC   kpi.Ratio `json:"auc_train"`
	HoldoutAUC kpi.Ratio `json:"auc_holdout"`
}

// CVScore is one candidate penalty and its cross-validated log loss.
type CVScore struct {
	Lambda  float64 `json:"lambda"`
	LogLoss float64 `json:"log_loss"`
}

// Bounds of [LearnOptions].
const (
	// MaxFeatures bounds the features Learn builds.
	MaxFeatures = 1000
)

func (o LearnOptions) withDefaults() LearnOptions {
	if o.PointsToDoubleOdds == 0 {
		o.PointsToDoubleOdds = 20
	}
	if o.Odds == 0 {
		o.Odds = 1
	}
	if len(o.Lambdas) == 0 {
		o.Lambdas = []float64{1e-5, 1e-4, 1e-3, 1e-2, 1e-1}
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Holdout == 0 {
		o.Holdout = 0.3
	}
	if o.Holdout < 0 {
		o.Holdout = 0
	}
	return o
}

// Validate reports every problem with the options at once, each a
// *[leadkit.Error] with its path, joined with errors.Join.
func (o LearnOptions) Validate() error {
	var errs []error
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if p := o.PointsToDoubleOdds; !finite(p) || p < 0 || p > MaxPoints {
		errs = append(errs, leadkit.Errorf("points_to_double_odds", "%v is not a positive number up to %g", p, MaxPoints))
	}
	if !finite(o.Score) || math.Abs(o.Score) > MaxPoints {
		errs = append(errs, leadkit.Errorf("score", "%v is not a finite number within ±%g", o.Score, MaxPoints))
	}
	if !finite(o.Odds) || o.Odds < 0 {
		errs = append(errs, leadkit.Errorf("odds", "%v is not a positive number", o.Odds))
	}
	for i, l := range o.Lambdas {
		if !finite(l) || l <= 0 {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("lambdas[%d]", i), "%v is not a positive number", l))
		}
	}
	if o.Folds < 0 || o.Folds == 1 || o.Folds > 100 {
		errs = append(errs, leadkit.Errorf("folds", "%d; use 2 to 100 (0 means 5)", o.Folds))
	}
	if !finite(o.Holdout) || o.Holdout >= 0.9 {
		errs = append(errs, leadkit.Errorf("holdout", "%v; use a share below 0.9 (0 means 0.3, negative none)", o.Holdout))
	}
	for i, c := range o.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		if err := c.Key.Check(); err != nil {
			errs = append(errs, leadkit.Prefix(p+".key", err))
		}
		if c.MinLeads < 0 || c.MaxValues < 0 || c.MaxValues > MaxFeatures {
			errs = append(errs, leadkit.Errorf(p, "min_leads and max_values must lie in [0, %d]", MaxFeatures))
		}
	}
	for i, n := range o.Numbers {
		p := fmt.Sprintf("numbers[%d]", i)
		if !strings.HasPrefix(string(n.Key), "fields.") || n.Key.Check() != nil {
			errs = append(errs, leadkit.Errorf(p+".key", "%q is not a custom field (fields.NAME)", n.Key))
		}
		if n.Bins < 0 || n.Bins > 100 {
			errs = append(errs, leadkit.Errorf(p+".bins", "%d; use 1 to 100 (0 means 5)", n.Bins))
		}
	}
	return errors.Join(errs...)
}

// Learn fits an L2-regularised logistic regression of the outcomes on
// the features the options name and returns it as an ordinary [Model]:
// one rule per feature, whose points are its weight scaled to
// PointsToDoubleOdds points per doubling of the odds, and a base score
// such that a lead scoring Score has odds Odds. Every lead is scored as
// of its DecidedAt, so features see nothing it did afterwards.
//
// The leads are split into training and holdout by a hash of their id;
// the penalty is chosen by cross-validation on the training part (folds
// also by hash), then the model is fitted on all of it with Newton's
// method (iteratively reweighted least squares, with step halving). The
// category values and number bins come from the training part only.
// Points are rounded to 0.01. The same outcomes, in any order, and the
// same options give a byte-identical model.
//
// Learn refuses a nil lead, a zero DecidedAt, a repeated lead id, a
// feature rule that does not compile, a number field whose value is not
// a number, and a training part without both outcomes.
func Learn(outcomes []Outcome, opts LearnOptions) (Learned, error) {
	if err := opts.Validate(); err != nil {
		return Learned{}, err
	}
	o := opts.withDefaults()
	// Order by id so that nothing depends on the input order.
	data := slices.Clone(outcomes)
	for i, oc := range data {
		if oc.Lead == nil {
			return Learned{}, leadkit.Errorf(fmt.Sprintf("outcomes[%d].lead", i), "nil")
		}
		if oc.DecidedAt.IsZero() {
			return Learned{}, leadkit.Errorf(fmt.Sprintf("outcomes[%d].decided_at", i), "zero: the instant the outcome was decided is required (lead %q)", oc.Lead.ID)
		}
	}
	slices.SortFunc(data, func(a, b Outcome) int { return strings.Compare(a.Lead.ID, b.Lead.ID) })
	for i := 1; i < len(data); i++ {
		if data[i].Lead.ID == data[i-1].Lead.ID {
			return Learned{}, fmt.Errorf("scoring: lead %q appears twice in the outcomes", data[i].Lead.ID)
		}
	}
	var train, hold []Outcome
	var folds []int
	for _, oc := range data {
		h := splitHash(o.Seed, oc.Lead.ID)
		if o.holds(h) {
			hold = append(hold, oc)
			continue
		}
		train = append(train, oc)
		folds = append(folds, int((h/10000)%uint64(o.Folds)))
	}

	rules, err := featureRules(train, o)
	if err != nil {
		return Learned{}, err
	}
	if len(rules) > MaxFeatures {
		return Learned{}, fmt.Errorf("scoring: %d features; at most %d", len(rules), MaxFeatures)
	}
	counting := slices.Clone(rules)
	for j := range counting {
		counting[j].Points = 1
		if counting[j].Kind == Engagement {
			counting[j].Max = Float(1)
		}
	}
	fs, err := Compile(Model{Rules: counting})
	if err != nil {
		return Learned{}, fmt.Errorf("scoring: a feature rule does not compile: %w", err)
	}
	x, y, err := features(fs, rules, train)
	if err != nil {
		return Learned{}, err
	}
	var pos int
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == len(y) {
		return Learned{}, fmt.Errorf("scoring: the %d training leads have %d conversions: learning needs both outcomes", len(y), pos)
	}

	// Choose the penalty by cross-validation.
	res := Learned{Train: len(train), Holdout: len(hold)}
	best := math.Inf(1)
	for _, lambda := range o.Lambdas {
		var loss float64
		for k := range o.Folds {
			var fx [][]int32
			var fy []bool
			var vx [][]int32
			var vy []bool
			for i := range x {
				if folds[i] == k {
					vx, vy = append(vx, x[i]), append(vy, y[i])
				} else {
					fx, fy = append(fx, x[i]), append(fy, y[i])
				}
			}
			w, _ := fitLogistic(fx, fy, len(rules), lambda, 100)
			loss += logLoss(w, vx, vy)
		}
		loss /= float64(len(x))
		res.CV = append(res.CV, CVScore{Lambda: lambda, LogLoss: loss})
		if loss < best || (loss == best && lambda > res.Lambda) {
			best, res.Lambda = loss, lambda
		}
	}
	w, iters := fitLogistic(x, y, len(rules), res.Lambda, 100)
	res.Weights, res.Iterations = w, iters
	for _, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Learned{}, fmt.Errorf("scoring: the fit diverged (a weight is %v); try a larger penalty", v)
		}
	}

	// Scale: score = Score + factor·(log odds − ln Odds).
	factor := o.PointsToDoubleOdds / math.Ln2
	m := Model{Name: o.Name, Version: o.Version}
	for j, r := range rules {
		p := round2(w[j] * factor)
		r.Points = p
		if r.Kind == Engagement {
			// A matching activity adds the points once: the feature is
			// whether the rule fired.
			if p >= 0 {
				r.Max = Float(p)
			} else {
				r.Min = Float(p)
			}
		}
		m.Rules = append(m.Rules, r)
	}
	m.Rules = append(m.Rules, Rule{
		Name:        "base score",
		Description: fmt.Sprintf("%g points double the odds; a score of %g means odds of %g", o.PointsToDoubleOdds, o.Score, o.Odds),
		When:        "true",
		Points:      round2(o.Score + factor*(w[len(rules)]-math.Log(o.Odds))),
	})
	res.Model = m
	res.Scale = OddsScale{PointsToDoubleOdds: o.PointsToDoubleOdds, Score: o.Score, Odds: o.Odds}
	s, err := Compile(m)
	if err != nil {
		return Learned{}, fmt.Errorf("scoring: the learned model does not compile: %w", err)
	}
	auc := func(part []Outcome) (kpi.Ratio, error) {
		if len(part) == 0 {
			return kpi.Ratio{}, nil
		}
		rep, err := Evaluate(s, part, EvalOptions{})
		return rep.AUC, err
	}
	if res.TrainAUC, err = auc(train); err != nil {
		return Learned{}, err
	}
	if res.HoldoutAUC, err = auc(hold); err != nil {
		return Learned{}, err
	}
	return res, nil
}

// InHoldout reports whether [Learn] with these options keeps the lead
// with this id out of learning, to measure the model on: a host
// evaluates other models on the same holdout with it.
func (o LearnOptions) InHoldout(id string) bool {
	return o.withDefaults().holds(splitHash(o.Seed, id))
}

// holds reports whether a lead of split hash h is in the holdout: the
// hash's last four decimal digits fall below Holdout × 10,000.
func (o LearnOptions) holds(h uint64) bool { return float64(h%10000) < o.Holdout*10000 }

func round2(v float64) float64 {
	r := math.Round(v*100) / 100
	if r == 0 {
		return 0 // no -0 in the JSON
	}
	return r
}

// splitHash is FNV-1a of the seed and the id.
func splitHash(seed, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(seed))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}

// featureRules returns one rule per feature, in the order of the options.
func featureRules(train []Outcome, o LearnOptions) ([]Rule, error) {
	var rules []Rule
	for _, r := range o.Rules {
		// A feature is whether the rule fired: points, caps, decay and
		// a frequency limit (which always keeps the first match) do not
		// change that.
		r.Points, r.Max, r.Min, r.HalfLife, r.Frequency = 0, nil, nil, 0, nil
		rules = append(rules, r)
	}
	for i, c := range o.Categories {
		minLeads, maxValues := cmp.Or(c.MinLeads, 30), cmp.Or(c.MaxValues, 20)
		counts := map[string]int{}
		for _, oc := range train {
			counts[c.Key.Of(oc.Lead)]++
		}
		type vc struct {
			v string
			n int
		}
		var vals []vc
		for v, n := range counts {
			if n >= minLeads {
				vals = append(vals, vc{v, n})
			}
		}
		slices.SortFunc(vals, func(a, b vc) int { return cmp.Or(b.n-a.n, strings.Compare(a.v, b.v)) })
		if len(vals) > maxValues {
			vals = vals[:maxValues]
		}
		slices.SortFunc(vals, func(a, b vc) int { return strings.Compare(a.v, b.v) })
		name := ruleName(c.Key)
		var others []string
		for _, v := range vals {
			eq := name + " == " + strconv.Quote(v.v)
			others = append(others, eq)
			rules = append(rules, Rule{Name: fmt.Sprintf("%s is %q", c.Key, v.v), When: eq,
				Description: fmt.Sprintf("categories[%d]: %d training leads", i, v.n)})
		}
		other := "true"
		if len(others) > 0 {
			other = "not (" + strings.Join(others, " or ") + ")"
		}
		rules = append(rules, Rule{Name: fmt.Sprintf("%s is another value", c.Key), When: other,
			Description: fmt.Sprintf("categories[%d]: values with fewer than %d training leads, or missing", i, minLeads)})
	}
	for i, n := range o.Numbers {
		bins := cmp.Or(n.Bins, 5)
		var vals []float64
		for _, oc := range train {
			s := n.Key.Of(oc.Lead)
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, leadkit.Errorf(fmt.Sprintf("numbers[%d]", i), "lead %q: %s is %q, not a number", oc.Lead.ID, n.Key, s)
			}
			vals = append(vals, v)
		}
		slices.Sort(vals)
		var edges []float64
		for b := 1; b < bins && len(vals) > 0; b++ {
			q := vals[(b*len(vals))/bins]
			if (len(edges) == 0 && q > vals[0]) || (len(edges) > 0 && q > edges[len(edges)-1]) {
				edges = append(edges, q)
			}
		}
		name := ruleName(n.Key)
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		desc := fmt.Sprintf("numbers[%d]: bin between training quantiles", i)
		for b := 0; b <= len(edges) && len(vals) > 0; b++ {
			var r Rule
			switch {
			case len(edges) == 0:
				r = Rule{Name: fmt.Sprintf("%s is present", n.Key), When: name + " != nil"}
			case b == 0:
				r = Rule{Name: fmt.Sprintf("%s < %s", n.Key, num(edges[0])), When: fmt.Sprintf("%s != nil and %s < %s", name, name, num(edges[0]))}
			case b == len(edges):
				r = Rule{Name: fmt.Sprintf("%s >= %s", n.Key, num(edges[b-1])), When: fmt.Sprintf("%s != nil and %s >= %s", name, name, num(edges[b-1]))}
			default:
				r = Rule{Name: fmt.Sprintf("%s in [%s, %s)", n.Key, num(edges[b-1]), num(edges[b])),
					When: fmt.Sprintf("%s != nil and %s >= %s and %s < %s", name, name, num(edges[b-1]), name, num(edges[b]))}
			}
			r.Description = desc
			rules = append(rules, r)
		}
		rules = append(rules, Rule{Name: fmt.Sprintf("%s is missing", n.Key), When: name + " == nil",
			Description: fmt.Sprintf("numbers[%d]: no value", i)})
	}
	seen := map[string]bool{"base score": true}
	for i, r := range rules {
		if seen[r.Name] {
			return nil, leadkit.Errorf(fmt.Sprintf("rules[%d].name", i), "%q names two features; rename the rule", r.Name)
		}
		seen[r.Name] = true
	}
	return rules, nil
}

// ruleName returns the rule-language expression of a key's value. A
// custom field is read as a string for a category when it is missing
// (nil): the comparisons with strings are then false, not errors.
func ruleName(k lead.Key) string {
	s := string(k)
	f, ok := strings.CutPrefix(s, "fields.")
	if !ok {
		return s
	}
	ident := f != ""
	for i, c := range f {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			ident = false
		}
	}
	if ident {
		return "fields." + f
	}
	return "fields[" + strconv.Quote(f) + "]"
}

// features scores every outcome's lead with the feature model (every
// rule 1 point, engagement rules capped at 1) and returns, per lead, the
// indices of the rules that fired, and the outcomes.
func features(fs *Scorer, rules []Rule, data []Outcome) ([][]int32, []bool, error) {
	index := make(map[string]int32, len(rules))
	for j, r := range rules {
		index[r.Name] = int32(j)
	}
	x := make([][]int32, len(data))
	y := make([]bool, len(data))
	var res Result
	for i, oc := range data {
		if err := fs.ScoreInto(&res, oc.Lead, oc.DecidedAt); err != nil {
			return nil, nil, err
		}
		for _, c := range res.Contributions {
			if c.Matches > 0 {
				x[i] = append(x[i], index[c.Rule])
			}
		}
		y[i] = oc.Converted
	}
	return x, y, nil
}

// fitLogistic minimises mean log loss + λ/2·|w|² over binary sparse rows
// (x[i] lists the features that are 1) with Newton's method; w[d] is the
// unpenalised intercept. It returns the weights and the Newton steps
// taken; it stops when no weight moves by more than 1e-9 or after
// maxIter steps.
func fitLogistic(x [][]int32, y []bool, d int, lambda float64, maxIter int) ([]float64, int) {
	n := float64(len(x))
	w := make([]float64, d+1)
	obj := func(w []float64) float64 { return logLoss(w, x, y)/n + penalty(w, lambda) }
	cur := obj(w)
	h := make([]float64, (d+1)*(d+1))
	g := make([]float64, d+1)
	for it := 1; it <= maxIter; it++ {
		clear(h)
		clear(g)
		for i, row := range x {
			p := sigmoid(eta(w, row))
			r := p
			if y[i] {
				r = p - 1
			}
			q := p * (1 - p)
			g[d] += r
			h[d*(d+1)+d] += q
			for _, a := range row {
				g[a] += r
				h[int(a)*(d+1)+d] += q
				for _, b := range row {
					h[int(a)*(d+1)+int(b)] += q
				}
			}
		}
		for j := 0; j <= d; j++ {
			g[j] /= n
			for k := 0; k <= d; k++ {
				h[j*(d+1)+k] /= n
			}
		}
		for j := range d {
			h[d*(d+1)+j] = h[j*(d+1)+d]
			g[j] += lambda * w[j]
			h[j*(d+1)+j] += lambda
		}
		step := solveSPD(h, g, d+1)
		// Halve the step until the objective does not grow.
		t := 1.0
		next := make([]float64, d+1)
		var val float64
		for range 30 {
			for j := range w {
				next[j] = w[j] - t*step[j]
			}
			if val = obj(next); val <= cur {
				break
			}
			t /= 2
		}
		var moved float64
		for j := range w {
			moved = max(moved, math.Abs(next[j]-w[j]))
		}
		w, cur = next, val
		if moved < 1e-9 {
			return w, it
		}
	}
	return w, maxIter
}

func eta(w []float64, row []int32) float64 {
	e := w[len(w)-1]
	for _, a := range row {
		e += w[a]
	}
	return e
}

func sigmoid(e float64) float64 { return 1 / (1 + math.Exp(-e)) }

func penalty(w []float64, lambda float64) float64 {
	var s float64
	for _, v := range w[:len(w)-1] {
		s += v * v
	}
	return lambda / 2 * s
}

// logLoss is the summed negative log likelihood of the rows.
func logLoss(w []float64, x [][]int32, y []bool) float64 {
	var s float64
	for i, row := range x {
		e := eta(w, row)
		if !y[i] {
			e = -e
		}
		// −log σ(e), stable for large |e|.
		if e > 0 {
			s += math.Log1p(math.Exp(-e))
		} else {
			s += -e + math.Log1p(math.Exp(e))
		}
	}
	return s
}

// solveSPD solves H·s = g for a symmetric positive definite H (n×n, row
// major) by Cholesky decomposition. It does not modify h or g.
func solveSPD(h, g []float64, n int) []float64 {
	l := make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			s := h[i*n+j]
			for k := range j {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				l[i*n+i] = math.Sqrt(max(s, 1e-300))
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	z := make([]float64, n)
	for i := range n {
		s := g[i]
		for k := range i {
			s -= l[i*n+k] * z[k]
		}
		z[i] = s / l[i*n+i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := z[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * x[k]
		}
		x[i] = s / l[i*n+i]
	}
	return x
}
