package funnel

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Goal is what [Plan] works back from. Money is in the host's currency.
type Goal struct {
	// Revenue is the revenue target of the period. Not negative.
	Revenue decimal.Decimal `json:"revenue"`
	// OpenPipeline is the expected value of the pipeline already open
	// (each open deal's amount times its win probability): it counts
	// towards the target. Not negative.
	OpenPipeline decimal.Decimal `json:"open_pipeline"`
	// AverageDealSize is the average revenue of a won deal. Positive.
	AverageDealSize decimal.Decimal `json:"average_deal_size"`
	// Rates holds, for every stage but the last, the conversion rate
	// from that stage to the next, as a ratio in (0, 1]. A rate taken
	// from a [Report] keeps its exact numerator and denominator (see
	// [RatesFrom]); a rate given as a decimal r is kpi.NewRatio(r, 1).
	Rates map[lead.Stage]kpi.Ratio `json:"rates"`
	// CostPerLead is the marketing cost of one lead entering the first
	// stage. Not negative.
	CostPerLead decimal.Decimal `json:"cost_per_lead"`
	// Deadline is when the revenue must be won. Required.
	Deadline time.Time `json:"deadline"`
	// SalesCycle is the time from the first stage to a won deal. The
	// first stage's date is Deadline − SalesCycle and the stages between
	// are spread evenly; give StageTimes instead for measured times.
	// In JSON it is a string such as "90d".
	SalesCycle leadkit.Duration `json:"sales_cycle,omitempty"`
	// StageTimes, when set, gives for every stage but the last the time a
	// lead takes from it to the next (for example the medians of a
	// [Report], see [StageTimesFrom]); each stage's date is the next
	// stage's date minus its time. Give SalesCycle or StageTimes, not
	// both. In JSON each is a string such as "12d".
	StageTimes map[lead.Stage]leadkit.Duration `json:"stage_times,omitempty"`
	// InProgress, when set, counts for some stages the leads that are in
	// the stage now, still being worked (for example each stage's
	// StillIn of a [Report], see [InProgressFrom]). They count towards
	// the target: each is expected to win at the rates from its stage to
	// the last, so the plan asks only for the rest. Without it every
	// lead must still enter the funnel, which overstates the need. Not
	// negative; the last stage's leads are won already and are left out
	// (give their revenue as part of the target's progress instead).
	InProgress map[lead.Stage]int64 `json:"in_progress,omitempty"`
}

// Requirements is the result of [Plan].
type Requirements struct {
	// Remaining is the revenue still to win: Revenue − OpenPipeline, or
	// zero when the pipeline already covers the target.
	Remaining decimal.Decimal `json:"remaining"`
	// Stages is aligned with the funnel's stages.
	Stages []Requirement `json:"stages"`
	// Budget is the marketing budget: the first stage's Needed times
	// CostPerLead.
	Budget decimal.Decimal `json:"budget"`
}

// Requirement is the plan for one stage.
type Requirement struct {
	// Stage and Team repeat the funnel's definition.
	Stage lead.Stage `json:"stage"`
	Team  lead.Team  `json:"team"`
	// Needed is the number of leads that must still reach the stage
	// (not counting those in it or past it now): Exact rounded up to a
	// whole lead, and 0 when the leads in progress already cover the
	// target.
	Needed int64 `json:"needed"`
	// Exact is the unrounded need, (Remaining / AverageDealSize − the
	// expected wins of the leads in progress at this stage and below) /
	// the product of the rates from this stage to the last, kept as an
	// exact ratio. It is negative when the leads in progress more than
	// cover the target.
	Exact kpi.Ratio `json:"exact"`
	// InProgress repeats [Goal.InProgress] for the stage.
	InProgress int64 `json:"in_progress,omitempty"`
	// By is when they must have reached it.
	By time.Time `json:"by"`
	// CostEach is Budget / Needed: the marketing cost of one lead at this
	// stage (cost per MQL, per SQL...). Undefined when Needed is 0.
	CostEach kpi.Ratio `json:"cost_each"`
}

// Plan runs funnel f backwards from goal: the number of won deals the
// remaining revenue needs, then at each stage upwards the number of leads
// that, at the given conversion rates, yields the stage below; the date
// by which each stage must be reached; and the marketing budget.
//
// Rounding: every figure is computed exactly (as a ratio of decimals,
// without intermediate rounding) and rounded up to a whole lead once, at
// the end, per stage. Rounding up at each stage and feeding the rounded
// figure to the stage above would compound: each stage would add up to
// one lead divided by the rates above it, inflating the top of the funnel
// and the budget by more the more stages there are. Rounding the exact
// figure gives at each stage the smallest whole number of leads that meets
// the target in expectation, and the figures do not depend on how finely
// the funnel is cut. Rates from a [Report] stay exact ratios (2/3, not
// 0.6667), so no rounding creeps in through them either.
//
// Plan reports every problem at once, joined with [errors.Join], each a
// *[leadkit.Error] whose Path is the JSON path in the goal ("rates[\"sal\"]")
// or, for the funnel, in the funnel ("stages[1].team"): an
// invalid funnel, an amount or rate with more than 30 digits before or
// after the decimal point, a negative amount, a non-positive deal size, a missing,
// zero, undefined, negative or above-1 rate (the error names the stage),
// a rate for a stage that is not in the funnel or is the last one, and
// missing or negative stage times, and negative leads in progress or
// leads in progress at a stage that is not in the funnel or is the last
// one.
//
// The leads in progress (Goal.InProgress) are leads already in a stage:
// at the rates given, n leads in stage s yield n × P(s) wins, P(s) being
// the product of the rates from s to the last stage. The need at stage i
// is then (Remaining / AverageDealSize − Σ over s ≥ i of InProgress[s] ×
// P(s)) / P(i), computed exactly over a common denominator.
func Plan(f Funnel, goal Goal) (*Requirements, error) {
	errs := []error{f.Validate()}
	add := func(path, format string, args ...any) {
		errs = append(errs, leadkit.Errorf(path, format, args...))
	}
	for _, m := range []struct {
		path string
		d    decimal.Decimal
	}{{"revenue", goal.Revenue}, {"open_pipeline", goal.OpenPipeline}, {"average_deal_size", goal.AverageDealSize}, {"cost_per_lead", goal.CostPerLead}} {
		if !inRange(m.d) {
			add(m.path, "out of range; %s", rangeHint)
		}
	}
	if goal.Revenue.IsNegative() {
		add("revenue", "negative (%s)", goal.Revenue)
	}
	if goal.OpenPipeline.IsNegative() {
		add("open_pipeline", "negative (%s)", goal.OpenPipeline)
	}
	if !goal.AverageDealSize.IsPositive() {
		add("average_deal_size", "%s; must be positive", goal.AverageDealSize)
	}
	if goal.CostPerLead.IsNegative() {
		add("cost_per_lead", "negative (%s)", goal.CostPerLead)
	}
	if goal.Deadline.IsZero() {
		add("deadline", "zero time")
	}
	if goal.SalesCycle < 0 {
		add("sales_cycle", "negative (%v)", goal.SalesCycle)
	}
	if goal.StageTimes != nil && goal.SalesCycle != 0 {
		add("stage_times", "given together with sales_cycle; give one of them")
	}
	n := len(f.Stages)
	one := decimal.NewFromInt(1)
	for i := 0; i < n-1; i++ {
		s, next := f.Stages[i].Name, f.Stages[i+1].Name
		p := fmt.Sprintf("rates[%q]", s)
		r, ok := goal.Rates[s]
		switch {
		case !ok:
			add(p, "missing; give the conversion rate from %q to %q", s, next)
		case !inRange(r.Num) || !inRange(r.Den):
			add(p, "out of range; %s", rangeHint)
		case !r.Defined():
			add(p, "undefined (%s/%s); no lead of the sample reached %q", r.Num, r.Den, s)
		case r.Num.IsZero():
			add(p, "zero; no number of leads at %q reaches %q", s, next)
		case r.Num.IsNegative() != r.Den.IsNegative():
			add(p, "negative (%s/%s)", r.Num, r.Den)
		case r.Num.Abs().GreaterThan(r.Den.Abs()):
			add(p, "%s/%s is above 1; a stage cannot convert more leads than it has", r.Num, r.Den)
		}
		if goal.StageTimes != nil {
			switch d, ok := goal.StageTimes[s]; {
			case !ok:
				add(fmt.Sprintf("stage_times[%q]", s), "missing; give the time from %q to %q", s, next)
			case d < 0:
				add(fmt.Sprintf("stage_times[%q]", s), "negative (%v)", d)
			}
		}
	}
	for _, s := range sortedStages(goal.Rates) {
		if i := f.Index(s); i < 0 {
			add(fmt.Sprintf("rates[%q]", s), "not a stage of the funnel")
		} else if i == n-1 && n > 0 {
			add(fmt.Sprintf("rates[%q]", s), "the last stage has no next stage")
		}
	}
	for _, s := range sortedStages(goal.InProgress) {
		p := fmt.Sprintf("in_progress[%q]", s)
		if i := f.Index(s); i < 0 {
			add(p, "not a stage of the funnel")
		} else if i == n-1 && n > 0 {
			add(p, "the last stage's leads are won already; count their revenue instead")
		}
		if goal.InProgress[s] < 0 {
			add(p, "negative (%d)", goal.InProgress[s])
		}
	}
	for _, s := range sortedStages(goal.StageTimes) {
		if i := f.Index(s); i < 0 {
			add(fmt.Sprintf("stage_times[%q]", s), "not a stage of the funnel")
		} else if i == n-1 && n > 0 {
			add(fmt.Sprintf("stage_times[%q]", s), "the last stage has no next stage")
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	req := &Requirements{Remaining: goal.Revenue.Sub(goal.OpenPipeline), Stages: make([]Requirement, n)}
	if req.Remaining.IsNegative() {
		req.Remaining = decimal.Zero
	}
	// need(i) = (Remaining/ADS − Σ_{s≥i} IP[s]·P(s)) / P(i), with P(s)
	// the product of the rates from s to the last stage. Over the common
	// denominator D(i) = Π den of the rates i..n−2 (N(i) the product of
	// their numerators, so P(i) = N(i)/D(i)):
	//   need(i) = (Remaining·D(i) − ADS·W(i)) / (ADS·N(i)),
	//   W(i) = Σ_{s≥i} IP[s]·P(s)·D(i),
	// and P(s)·D(i) = N(s)·Π den of rates i..s−1, so W(i) is built from
	// the bottom up by W(i) = den(i)·W(i+1) + IP[i]·N(i). Signs are
	// normalised so every factor is positive.
	dprod, nprod, w := one, one, decimal.Zero
	by := goal.Deadline
	for i := n - 1; i >= 0; i-- {
		if i < n-1 {
			r := goal.Rates[f.Stages[i].Name]
			dprod, nprod = dprod.Mul(r.Den.Abs()), nprod.Mul(r.Num.Abs())
			w = w.Mul(r.Den.Abs()).Add(decimal.NewFromInt(goal.InProgress[f.Stages[i].Name]).Mul(nprod))
			if goal.StageTimes != nil {
				by = by.Add(-goal.StageTimes[f.Stages[i].Name].Std())
			} else {
				by = goal.Deadline.Add(-spread(goal.SalesCycle.Std(), int64(n-1-i), int64(n-1)))
			}
		}
		num := req.Remaining.Mul(dprod).Sub(goal.AverageDealSize.Mul(w))
		den := goal.AverageDealSize.Mul(nprod)
		q := decimal.Zero
		if num.IsPositive() {
			var rem decimal.Decimal
			q, rem = num.QuoRem(den, 0)
			if rem.IsPositive() {
				q = q.Add(one)
			}
		}
		if q.GreaterThan(decimal.NewFromInt(math.MaxInt64)) {
			return nil, leadkit.Errorf(fmt.Sprintf("stages[%d]", i), "%q needs %s leads, more than an int64 holds", f.Stages[i].Name, q)
		}
		req.Stages[i] = Requirement{
			Stage: f.Stages[i].Name, Team: f.Stages[i].Team,
			Needed: q.IntPart(), Exact: kpi.NewRatio(num, den), By: by,
		}
		if i < n-1 {
			req.Stages[i].InProgress = goal.InProgress[f.Stages[i].Name]
		}
	}
	req.Budget = decimal.NewFromInt(req.Stages[0].Needed).Mul(goal.CostPerLead)
	for i := range req.Stages {
		req.Stages[i].CostEach = kpi.NewRatio(req.Budget, decimal.NewFromInt(req.Stages[i].Needed))
	}
	return req, nil
}

// rangeHint says which numbers Plan accepts.
const rangeHint = "use at most 30 digits before and 30 after the decimal point"

// inRange reports whether d has at most 30 digits before and 30 after the
// decimal point. Plan multiplies one number per stage exactly, so an
// unbounded exponent ("1e999999999") would make it allocate without
// bound; no revenue or rate needs more.
func inRange(d decimal.Decimal) bool {
	return d.IsZero() || (d.Exponent() >= -30 && int(d.Exponent())+d.NumDigits() <= 30)
}

// spread returns d × k / n without overflowing for any d.
func spread(d time.Duration, k, n int64) time.Duration {
	q, r := int64(d)/n, int64(d)%n
	return time.Duration(q*k + r*k/n)
}

func sortedStages[V any](m map[lead.Stage]V) []lead.Stage {
	s := make([]lead.Stage, 0, len(m))
	for k := range m {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// RatesFrom returns the conversion rates of a report's breakdown (for
// example [Report.Overall]) in the form [Goal.Rates] takes: the exact
// ratio of every stage but the last.
func RatesFrom(b Breakdown) map[lead.Stage]kpi.Ratio {
	m := make(map[lead.Stage]kpi.Ratio, len(b.Stages))
	for i, s := range b.Stages {
		if i < len(b.Stages)-1 {
			m[s.Stage] = s.Conversion
		}
	}
	return m
}

// StageTimesFrom returns the median times to the next stage of a
// report's breakdown in the form [Goal.StageTimes] takes. Stages without
// a timed lead are left out, so Plan will name them. Medians of more than
// 128 leads are within 0.5% (see [leadkit.DurationSummary]).
func StageTimesFrom(b Breakdown) map[lead.Stage]leadkit.Duration {
	m := make(map[lead.Stage]leadkit.Duration, len(b.Stages))
	for i, s := range b.Stages {
		if i < len(b.Stages)-1 && s.TimeToNext.Median != nil {
			m[s.Stage] = *s.TimeToNext.Median
		}
	}
	return m
}

// DecidedRatesFrom is [RatesFrom] without the leads still in progress:
// the rate of a stage is Converted / (Reached − StillIn), the share of
// the leads that went on among those whose outcome at the stage is known
// (they went on or left). A lead still in a stage may yet convert, so
// counting it as not converted, as Conversion does, makes recent cohorts
// look worse than they will be and a plan built on them pessimistic. The
// rate is undefined when every lead that reached the stage is still in
// it, and Plan then names the stage.
func DecidedRatesFrom(b Breakdown) map[lead.Stage]kpi.Ratio {
	m := make(map[lead.Stage]kpi.Ratio, len(b.Stages))
	for i, s := range b.Stages {
		if i < len(b.Stages)-1 {
			m[s.Stage] = kpi.RatioOf(s.Converted, s.Reached-s.StillIn)
		}
	}
	return m
}

// InProgressFrom returns the leads in each stage of a report's breakdown
// now (StillIn), every stage but the last, in the form [Goal.InProgress]
// takes. Stages without one are left out.
func InProgressFrom(b Breakdown) map[lead.Stage]int64 {
	m := make(map[lead.Stage]int64, len(b.Stages))
	for i, s := range b.Stages {
		if i < len(b.Stages)-1 && s.StillIn > 0 {
			m[s.Stage] = s.StillIn
		}
	}
	return m
}

// Deadline returns the end of the period p that holds asOf in loc (nil
// means UTC): the instant a plan for "this period" must be met by, for
// [Goal.Deadline]. A quarter's plan made on 2026-02-10 is due on
// 2026-04-01 00:00, not 91 days later. It returns an error for an
// invalid period.
func Deadline(p leadkit.Period, asOf time.Time, loc *time.Location) (time.Time, error) {
	if err := p.Check(); err != nil {
		return time.Time{}, err
	}
	if loc == nil {
		loc = time.UTC
	}
	return p.Next(asOf, loc), nil
}
