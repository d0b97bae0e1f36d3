package scoring

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// Outcome is a lead whose outcome is known, for [Evaluate]: the lead, the
// instant its outcome was decided (it is scored as of then, so nothing it
// did afterwards leaks into the score), and whether it converted.
type Outcome struct {
	Lead      *lead.Lead
	DecidedAt time.Time
	Converted bool
}

// Measure names the score an evaluation ranks leads by.
type Measure string

// The scores an evaluation can rank by.
const (
	MeasureTotal      Measure = "total"
	MeasureFit        Measure = "fit"
	MeasureEngagement Measure = "engagement"
)

// EvalOptions configures an [Evaluation]. The zero EvalOptions ranks by
// the total score at a resolution of 0.01 points, with thresholds every 10
// points.
type EvalOptions struct {
	// Measure is the score to rank by; empty means MeasureTotal.
	Measure Measure `json:"measure,omitempty"`
	// Resolution is the width of the score buckets the evaluation keeps:
	// scores are rounded to a multiple of it (half away from zero). AUC
	// and the tables are exact for the rounded scores. Zero means 0.01.
	Resolution float64 `json:"resolution,omitempty"`
	// Thresholds are the candidate thresholds of the threshold table,
	// and the band edges of the band table. Empty means every multiple
	// of 10 points from the lowest score seen to the highest.
	Thresholds []float64 `json:"thresholds,omitempty"`
}

// Evaluation is the accumulator that compares a scoring model with real
// outcomes. Add one [Result] per lead with a known outcome, scored as of
// the instant the outcome was decided; Merge evaluations built on shards;
// Report gives conversion by score band, the AUC and a threshold table.
//
// Its state is a histogram of rounded scores with converted and
// non-converted counts per bucket, so memory grows with the number of
// distinct rounded scores, not with the number of leads, and any split of
// the same results, merged in any order, gives the identical report. The
// exported fields are the state and round-trip through encoding/json.
//
// An Evaluation is not safe for concurrent use; give each goroutine its
// own and Merge them.
type Evaluation struct {
	Options EvalOptions `json:"options"`
	// Model is the fingerprint of the model whose results were added.
	Model string `json:"model,omitempty"`
	// Buckets maps a rounded score (in units of Resolution) to its
	// counts.
	Buckets map[int64]*BucketCount `json:"buckets"`
}

// BucketCount counts the leads of one score bucket by outcome.
type BucketCount struct {
	Converted int64 `json:"converted"`
	Other     int64 `json:"other"`
}

// NewEvaluation returns an empty evaluation, or an error for options that
// make no sense (a negative or non-finite resolution or threshold, an
// unknown measure).
func NewEvaluation(opts EvalOptions) (*Evaluation, error) {
	var errs []error
	switch opts.Measure {
	case "":
		opts.Measure = MeasureTotal
	case MeasureTotal, MeasureFit, MeasureEngagement:
	default:
		errs = append(errs, fmt.Errorf("measure: unknown %q; use total, fit or engagement", opts.Measure))
	}
	if opts.Resolution == 0 {
		opts.Resolution = 0.01
	}
	if !(opts.Resolution > 0) || math.IsInf(opts.Resolution, 0) {
		errs = append(errs, fmt.Errorf("resolution: %v is not a positive number", opts.Resolution))
	}
	for i, t := range opts.Thresholds {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			errs = append(errs, fmt.Errorf("thresholds[%d]: %v is not a finite number", i, t))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	opts.Thresholds = slices.Clone(opts.Thresholds)
	slices.Sort(opts.Thresholds)
	opts.Thresholds = slices.Compact(opts.Thresholds)
	return &Evaluation{Options: opts, Buckets: map[int64]*BucketCount{}}, nil
}

// Add counts one scored lead with its outcome. The result must come from
// the same model as the results added before (same fingerprint).
func (e *Evaluation) Add(r *Result, converted bool) error {
	if !(e.Options.Resolution > 0) || e.Buckets == nil {
		return errors.New("scoring: evaluation not initialized; create it with NewEvaluation")
	}
	if e.Model == "" {
		e.Model = r.Model
	} else if r.Model != e.Model {
		return fmt.Errorf("scoring: evaluation of model %s cannot take a result of model %s", e.Model, r.Model)
	}
	var v float64
	switch e.Options.Measure {
	case MeasureFit:
		v = r.Fit
	case MeasureEngagement:
		v = r.Engagement
	default:
		v = r.Total
	}
	k := e.bucket(v)
	b := e.Buckets[k]
	if b == nil {
		b = &BucketCount{}
		e.Buckets[k] = b
	}
	if converted {
		b.Converted++
	} else {
		b.Other++
	}
	return nil
}

func (e *Evaluation) bucket(v float64) int64 {
	q := math.Round(v / e.Options.Resolution)
	// Scores are bounded by the model's points, but keep a hostile value
	// from overflowing the conversion.
	return int64(max(min(q, 1<<53), -(1 << 53)))
}

func (e *Evaluation) value(k int64) float64 {
	// Rounded to the resolution's decimal places so that 0.3 prints as
	// 0.3, not 0.30000000000000004.
	v := float64(k) * e.Options.Resolution
	places := max(0, int(math.Ceil(-math.Log10(e.Options.Resolution)))+1)
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Merge adds o's counts to e. Both must have the same options and model.
func (e *Evaluation) Merge(o *Evaluation) error {
	if e.Options.Measure != o.Options.Measure || e.Options.Resolution != o.Options.Resolution ||
		!slices.Equal(e.Options.Thresholds, o.Options.Thresholds) {
		return errors.New("scoring: cannot merge evaluations with different options")
	}
	if e.Model != "" && o.Model != "" && e.Model != o.Model {
		return fmt.Errorf("scoring: cannot merge evaluations of models %s and %s", e.Model, o.Model)
	}
	if e.Model == "" {
		e.Model = o.Model
	}
	if e.Buckets == nil {
		e.Buckets = map[int64]*BucketCount{}
	}
	for k, ob := range o.Buckets {
		b := e.Buckets[k]
		if b == nil {
			b = &BucketCount{}
			e.Buckets[k] = b
		}
		b.Converted += ob.Converted
		b.Other += ob.Other
	}
	return nil
}

// EvaluationReport is what an [Evaluation] found.
type EvaluationReport struct {
	Model   string  `json:"model"`
	Measure Measure `json:"measure"`
	// Leads and Converted count the leads and those that converted;
	// BaseRate is Converted / Leads.
	Leads     int64     `json:"leads"`
	Converted int64     `json:"converted"`
	BaseRate  kpi.Ratio `json:"base_rate"`
	// AUC is the area under the ROC curve: the probability that a
	// converted lead, drawn at random, scores higher than a lead that did
	// not convert, with ties counting one half. 0.5 is no better than
	// chance. It is exact for the rounded scores: (2·C + T) / (2·P·N)
	// with C the converted/other pairs ranked right, T the tied pairs,
	// P and N the two counts; undefined when either count is zero.
	AUC kpi.Ratio `json:"auc"`
	// Bands gives the conversion of the leads between consecutive
	// thresholds, highest band first.
	Bands []Band `json:"bands"`
	// Thresholds says, for each candidate threshold, what qualifying the
	// leads that score at or above it would have given.
	Thresholds []ThresholdRow `json:"thresholds"`
}

// Band is the conversion of the leads whose score lies in [Min, Max).
// Min is nil for the lowest band and Max nil for the highest.
type Band struct {
	Min        *float64  `json:"min"`
	Max        *float64  `json:"max"`
	Leads      int64     `json:"leads"`
	Converted  int64     `json:"converted"`
	Conversion kpi.Ratio `json:"conversion"`
}

// ThresholdRow is the outcome of qualifying every lead that scores at or
// above Threshold: Above leads, of which Captured converted. Precision is
// Captured / Above (how many of the qualified leads convert: what sales
// cares about); Recall is Captured / all converted (how many of the
// conversions the threshold lets through: what marketing cares about).
type ThresholdRow struct {
	Threshold float64   `json:"threshold"`
	Above     int64     `json:"above"`
	Captured  int64     `json:"captured"`
	Precision kpi.Ratio `json:"precision"`
	Recall    kpi.Ratio `json:"recall"`
}

// Report computes the evaluation's figures. It does not change e.
func (e *Evaluation) Report() EvaluationReport {
	rep := EvaluationReport{Model: e.Model, Measure: e.Options.Measure}
	keys := slices.Sorted(maps.Keys(e.Buckets))

	// AUC: walk the buckets from the lowest score up, counting for each
	// converted lead the others strictly below it and those tied with it.
	var concordant, ties decimal.Decimal
	var otherBelow int64
	for _, k := range keys {
		b := e.Buckets[k]
		rep.Leads += b.Converted + b.Other
		rep.Converted += b.Converted
		conv := decimal.NewFromInt(b.Converted)
		concordant = concordant.Add(conv.Mul(decimal.NewFromInt(otherBelow)))
		ties = ties.Add(conv.Mul(decimal.NewFromInt(b.Other)))
		otherBelow += b.Other
	}
	rep.BaseRate = kpi.RatioOf(rep.Converted, rep.Leads)
	pairs := decimal.NewFromInt(rep.Converted).Mul(decimal.NewFromInt(rep.Leads - rep.Converted))
	rep.AUC = kpi.NewRatio(concordant.Mul(decimal.NewFromInt(2)).Add(ties), pairs.Mul(decimal.NewFromInt(2)))

	thresholds := e.Options.Thresholds
	if len(thresholds) == 0 && len(keys) > 0 {
		lo := math.Floor(e.value(keys[0])/10) * 10
		hi := e.value(keys[len(keys)-1])
		for t := lo; t <= hi && len(thresholds) < 1000; t += 10 {
			thresholds = append(thresholds, t)
		}
	}
	// Bands between consecutive thresholds, and the cumulative counts at
	// or above each threshold, in one pass from the top down.
	type count struct{ leads, conv int64 }
	band := make([]count, len(thresholds)+1) // band[i] = [t[i-1], t[i])
	for _, k := range keys {
		v, b := e.value(k), e.Buckets[k]
		i, found := slices.BinarySearch(thresholds, v)
		if found {
			i++
		}
		band[i].leads += b.Converted + b.Other
		band[i].conv += b.Converted
	}
	var above count
	rep.Thresholds = make([]ThresholdRow, len(thresholds))
	for i := len(thresholds); i >= 0; i-- {
		bd := Band{Leads: band[i].leads, Converted: band[i].conv, Conversion: kpi.RatioOf(band[i].conv, band[i].leads)}
		if i > 0 {
			bd.Min = ptr(thresholds[i-1])
		}
		if i < len(thresholds) {
			bd.Max = ptr(thresholds[i])
		}
		rep.Bands = append(rep.Bands, bd)
		if i == 0 {
			break
		}
		above.leads += band[i].leads
		above.conv += band[i].conv
		rep.Thresholds[i-1] = ThresholdRow{
			Threshold: thresholds[i-1], Above: above.leads, Captured: above.conv,
			Precision: kpi.RatioOf(above.conv, above.leads), Recall: kpi.RatioOf(above.conv, rep.Converted),
		}
	}
	return rep
}

func ptr(v float64) *float64 { return &v }

// Evaluate scores every outcome's lead as of its decision time with s and
// evaluates the scores against the outcomes. A lead whose scoring fails
// is left out and its error returned, joined, with the report of the
// others.
func Evaluate(s *Scorer, outcomes []Outcome, opts EvalOptions) (EvaluationReport, error) {
	e, err := NewEvaluation(opts)
	if err != nil {
		return EvaluationReport{}, err
	}
	var errs []error
	var r Result
	for i := range outcomes {
		o := &outcomes[i]
		if o.Lead == nil {
			errs = append(errs, fmt.Errorf("outcomes[%d]: nil lead", i))
			continue
		}
		if err := s.ScoreInto(&r, o.Lead, o.DecidedAt); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := e.Add(&r, o.Converted); err != nil {
			errs = append(errs, err)
		}
	}
	return e.Report(), errors.Join(errs...)
}
