package scoring

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
)

// Goal is what a qualification threshold must achieve. Set at least one
// of Capacity, MinPrecision and MinRecall; a threshold must meet every
// one set.
type Goal struct {
	// Capacity is the most qualified leads sales can take Per period
	// (for example 50 a week). The evaluated leads are taken to have
	// arrived over Over (for example "52w"): a threshold qualifying Above
	// of them would qualify Above × Per / Over a period.
	Capacity int64            `json:"capacity,omitempty"`
	Per      leadkit.Duration `json:"per,omitzero"`
	Over     leadkit.Duration `json:"over,omitzero"`
	// MinPrecision is the least share of qualified leads that must
	// convert, in [0, 1]; zero means no such goal.
	MinPrecision float64 `json:"min_precision,omitempty"`
	// MinRecall is the least share of the conversions the qualified
	// leads must hold, in [0, 1]; zero means no such goal.
	MinRecall float64 `json:"min_recall,omitempty"`
	// MinLeads is the fewest leads a figure may rest on: a threshold
	// qualifying fewer leads is not recommended on a precision goal, and
	// an evaluation with fewer converted leads cannot support a recall
	// goal. Zero means 30.
	MinLeads int64 `json:"min_leads,omitempty"`
}

// Validate reports every problem with the goal at once, each a
// *[leadkit.Error] with its path, joined with errors.Join.
func (g Goal) Validate() error {
	var errs []error
	if g.Capacity < 0 {
		errs = append(errs, leadkit.Errorf("capacity", "%d is negative", g.Capacity))
	}
	if g.Capacity > 0 && (g.Per <= 0 || g.Over <= 0) {
		errs = append(errs, leadkit.Errorf("per", "a capacity needs a positive per and over (\"1w\" and \"52w\")"))
	}
	if !(g.MinPrecision >= 0 && g.MinPrecision <= 1) {
		errs = append(errs, leadkit.Errorf("min_precision", "%v is outside [0, 1]", g.MinPrecision))
	}
	if !(g.MinRecall >= 0 && g.MinRecall <= 1) {
		errs = append(errs, leadkit.Errorf("min_recall", "%v is outside [0, 1]", g.MinRecall))
	}
	if g.MinLeads < 0 {
		errs = append(errs, leadkit.Errorf("min_leads", "%d is negative", g.MinLeads))
	}
	if g.Capacity == 0 && g.MinPrecision == 0 && g.MinRecall == 0 {
		errs = append(errs, errors.New("no goal: set capacity, min_precision or min_recall"))
	}
	return errors.Join(errs...)
}

// Recommendation is the threshold that meets a [Goal], with the figures
// the evaluated data says it would have produced; or, when the data
// cannot support the goal, why not.
type Recommendation struct {
	// Met reports whether some threshold meets the goal. When it is
	// false, Threshold is nil and Reason says why.
	Met    bool   `json:"met"`
	Reason string `json:"reason,omitempty"`
	// Threshold is the recommended score: qualify the leads scoring at or
	// above it. With a capacity or precision goal it is the lowest
	// threshold meeting the goal (the most conversions sales can take);
	// with only a recall goal, the highest (the fewest leads to work).
	Threshold *float64 `json:"threshold"`
	// Above leads would have been qualified, Captured of them converted;
	// Precision and Recall as in [ThresholdRow]. PerPeriod is Above ×
	// Per / Over, for a capacity goal (undefined otherwise).
	Above     int64     `json:"above"`
	Captured  int64     `json:"captured"`
	Precision kpi.Ratio `json:"precision"`
	Recall    kpi.Ratio `json:"recall"`
	PerPeriod kpi.Ratio `json:"per_period"`
}

// Recommend returns the threshold that meets the goal on the
// evaluation's data, trying every rounded score the evaluation holds as
// a threshold. It returns an error for a nil or zero Evaluation and for
// an invalid goal; a goal the data cannot support (no leads, no
// conversions for a recall goal, fewer than MinLeads where a figure needs
// them, no threshold meeting every part of it) is a Recommendation with
// Met false and the reason.
func (e *Evaluation) Recommend(g Goal) (Recommendation, error) {
	if err := e.ready(); err != nil {
		return Recommendation{}, err
	}
	if err := g.Validate(); err != nil {
		return Recommendation{}, err
	}
	minLeads := cmp.Or(g.MinLeads, 30)
	keys := slices.Sorted(maps.Keys(e.buckets))
	var leads, converted int64
	for _, b := range e.buckets {
		leads += b.converted + b.other
		converted += b.converted
	}
	switch {
	case leads == 0:
		return Recommendation{Reason: "no leads were evaluated"}, nil
	case g.MinRecall > 0 && converted == 0:
		return Recommendation{Reason: "no lead converted: recall is undefined"}, nil
	case g.MinRecall > 0 && converted < minLeads:
		return Recommendation{Reason: fmt.Sprintf("only %d leads converted: too few to set a recall goal on (min_leads %d)", converted, minLeads)}, nil
	}
	perPeriod := func(above int64) kpi.Ratio {
		if g.Capacity == 0 {
			return kpi.Ratio{}
		}
		return kpi.NewRatio(decimal.NewFromInt(above).Mul(decimal.NewFromInt(int64(time.Duration(g.Per)))), decimal.NewFromInt(int64(time.Duration(g.Over))))
	}
	// From the highest score down: Above and Captured at each threshold.
	type row struct {
		t                float64
		above, captured  int64
		capOK, precOK    bool
		recOK, supported bool
	}
	rows := make([]row, 0, len(keys))
	var above, captured int64
	for i := len(keys) - 1; i >= 0; i-- {
		b := e.buckets[keys[i]]
		above += b.converted + b.other
		captured += b.converted
		r := row{t: e.value(keys[i]), above: above, captured: captured}
		// Exact comparisons in integers and decimals.
		r.capOK = g.Capacity == 0 || decimal.NewFromInt(g.Capacity).GreaterThanOrEqual(ratioValue(perPeriod(above)))
		r.precOK = g.MinPrecision == 0 || decimal.NewFromInt(captured).GreaterThanOrEqual(decimal.NewFromFloat(g.MinPrecision).Mul(decimal.NewFromInt(above)))
		r.recOK = g.MinRecall == 0 || decimal.NewFromInt(captured).GreaterThanOrEqual(decimal.NewFromFloat(g.MinRecall).Mul(decimal.NewFromInt(converted)))
		r.supported = g.MinPrecision == 0 || above >= minLeads
		rows = append(rows, r)
	}
	lowestFirst := g.Capacity > 0 || g.MinPrecision > 0
	pick := -1
	for i, r := range rows {
		if r.capOK && r.precOK && r.recOK && r.supported {
			pick = i
			if !lowestFirst {
				break
			}
		}
	}
	if pick < 0 {
		return Recommendation{Reason: whyNot(g, converted, minLeads, func(f func(capOK, precOK, recOK, supported bool) bool) bool {
			for _, r := range rows {
				if f(r.capOK, r.precOK, r.recOK, r.supported) {
					return true
				}
			}
			return false
		})}, nil
	}
	r := rows[pick]
	return Recommendation{
		Met: true, Threshold: ptr(r.t), Above: r.above, Captured: r.captured,
		Precision: kpi.RatioOf(r.captured, r.above), Recall: kpi.RatioOf(r.captured, converted),
		PerPeriod: perPeriod(r.above),
	}, nil
}

// ratioValue is r's exact quotient to 12 places (r is defined).
func ratioValue(r kpi.Ratio) decimal.Decimal {
	v, _ := r.Value(12)
	return v
}

// whyNot says which part of the goal no threshold meets.
func whyNot(g Goal, converted, minLeads int64, some func(func(capOK, precOK, recOK, supported bool) bool) bool) string {
	switch {
	case g.MinPrecision > 0 && converted == 0:
		return "no lead converted: no threshold has any precision"
	case g.MinPrecision > 0 && !some(func(_, p, _, s bool) bool { return p && s }):
		if !some(func(_, p, _, _ bool) bool { return p }) {
			return fmt.Sprintf("no threshold reaches a precision of %g", g.MinPrecision)
		}
		return fmt.Sprintf("only thresholds qualifying fewer than %d leads reach a precision of %g: too few to say", minLeads, g.MinPrecision)
	case g.Capacity > 0 && !some(func(c, _, _, _ bool) bool { return c }):
		return fmt.Sprintf("even the highest score qualifies more than %d leads per %s", g.Capacity, g.Per)
	case g.MinRecall > 0 && !some(func(_, _, r, _ bool) bool { return r }):
		return fmt.Sprintf("no threshold reaches a recall of %g", g.MinRecall) // unreachable: the lowest has recall 1
	}
	return "no threshold meets every part of the goal at once"
}
