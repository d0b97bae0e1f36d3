package scoring

import (
	"maps"
	"math"
	"slices"

	"github.com/leadkit/leadkit/kpi"
)

// OddsScale says how a model's points map to odds of converting, as a
// scorecard states it: a lead scoring Score has odds Odds (converted :
// not converted), and every PointsToDoubleOdds more points double them.
// [Learn] builds its models on such a scale ([Learned.Scale]).
type OddsScale struct {
	PointsToDoubleOdds float64 `json:"points_to_double_odds"`
	Score              float64 `json:"score"`
	Odds               float64 `json:"odds"`
}

// Probability returns the probability of converting that the scale gives
// a score: odds / (1 + odds) with odds = Odds·2^((score − Score) /
// PointsToDoubleOdds). It reports false when the scale is not usable
// (PointsToDoubleOdds or Odds not a positive finite number).
func (s OddsScale) Probability(score float64) (float64, bool) {
	if !(s.PointsToDoubleOdds > 0) || math.IsInf(s.PointsToDoubleOdds, 0) || !(s.Odds > 0) || math.IsInf(s.Odds, 0) {
		return 0, false
	}
	logOdds := math.Log(s.Odds) + math.Ln2*(score-s.Score)/s.PointsToDoubleOdds
	return 1 / (1 + math.Exp(-logOdds)), true
}

// Diagnostics are the figures of an [Evaluation] beyond its report:
// deciles with lift, the AUC's standard error, and, when the model's
// points map to odds, a calibration table.
type Diagnostics struct {
	// AUC is the report's AUC, and AUCStdErr its standard error by
	// DeLong's method (DeLong, DeLong and Clarke-Pearson, "Comparing the
	// areas under two or more correlated receiver operating
	// characteristic curves", Biometrics 44:837–845, 1988): the variance
	// is S10/P + S01/N, with S10 the sample variance (divisor P−1) over
	// the converted leads of the share of other leads each outscores
	// (ties one half), and S01 the same over the other leads. Nil when
	// there are fewer than two converted or two other leads.
	AUC       kpi.Ratio `json:"auc"`
	AUCStdErr *float64  `json:"auc_se"`
	// Deciles rank the leads by score, the top tenth first.
	Deciles []Decile `json:"deciles"`
	// Calibration compares, band by band (the report's bands), the
	// conversion the scale predicts with the one observed. Empty when no
	// usable scale was given.
	Calibration []CalibrationRow `json:"calibration,omitempty"`
}

// Decile is one tenth of the leads ranked by score, the highest first.
// Leads with the same rounded score are never split: a tie goes whole to
// the decile its middle rank falls in, so deciles may differ in size,
// and a decile may be empty when a large tie fills its place.
type Decile struct {
	// Decile is 1 for the top tenth, 10 for the bottom.
	Decile int `json:"decile"`
	// MinScore and MaxScore bound the scores of its leads; nil when it
	// is empty.
	MinScore *float64 `json:"min_score"`
	MaxScore *float64 `json:"max_score"`
	// Leads and Converted count its leads; Conversion is Converted /
	// Leads.
	Leads      int64     `json:"leads"`
	Converted  int64     `json:"converted"`
	Conversion kpi.Ratio `json:"conversion"`
	// Lift is Conversion over the base rate: (Converted / Leads) /
	// (all converted / all leads); undefined when the decile is empty or
	// nothing converted.
	Lift kpi.Ratio `json:"lift"`
	// CumulativeLift is the lift of this decile and all above it.
	CumulativeLift kpi.Ratio `json:"cumulative_lift"`
}

// CalibrationRow is one band's predicted and observed conversion.
type CalibrationRow struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
	// Leads and Converted count the band's leads.
	Leads     int64 `json:"leads"`
	Converted int64 `json:"converted"`
	// Predicted is the mean probability the scale gives the band's
	// leads' scores; nil for an empty band.
	Predicted *float64 `json:"predicted"`
	// Observed is Converted / Leads.
	Observed kpi.Ratio `json:"observed"`
}

// Diagnostics computes deciles with lift, the AUC's standard error and,
// when scale is not nil and usable, a calibration table, from the
// evaluation's counts. Like Report, it does not change e, and any split
// of the same outcomes merged in any order gives the same figures. It
// returns an error only for a nil or zero Evaluation.
func (e *Evaluation) Diagnostics(scale *OddsScale) (Diagnostics, error) {
	rep, err := e.Report()
	if err != nil {
		return Diagnostics{}, err
	}
	d := Diagnostics{AUC: rep.AUC}
	keys := slices.Sorted(maps.Keys(e.buckets))
	P, N := rep.Converted, rep.Leads-rep.Converted

	// DeLong: placement values per bucket.
	if P >= 2 && N >= 2 {
		auc := aucFloat(e, keys)
		var s10, s01 float64
		var negBelow, posAbove int64 = 0, P
		for _, k := range keys {
			b := e.buckets[k]
			posAbove -= b.converted
			v10 := (float64(negBelow) + float64(b.other)/2) / float64(N)
			v01 := (float64(posAbove) + float64(b.converted)/2) / float64(P)
			s10 += float64(b.converted) * (v10 - auc) * (v10 - auc)
			s01 += float64(b.other) * (v01 - auc) * (v01 - auc)
			negBelow += b.other
		}
		se := math.Sqrt(s10/float64(P-1)/float64(P) + s01/float64(N-1)/float64(N))
		d.AUCStdErr = &se
	}

	// Deciles, from the top.
	d.Deciles = make([]Decile, 10)
	for i := range d.Deciles {
		d.Deciles[i].Decile = i + 1
	}
	var rank int64
	for i := len(keys) - 1; i >= 0; i-- {
		b, v := e.buckets[keys[i]], e.value(keys[i])
		n := b.converted + b.other
		// Middle rank 2·rank+n over 2·Leads, times 10, floored.
		dec := min(9, int((2*float64(rank)+float64(n))*10/(2*float64(rep.Leads))))
		r := &d.Deciles[dec]
		if r.MaxScore == nil {
			r.MaxScore = ptr(v)
		}
		r.MinScore = ptr(v)
		r.Leads += n
		r.Converted += b.converted
		rank += n
	}
	var cumLeads, cumConv int64
	for i := range d.Deciles {
		r := &d.Deciles[i]
		r.Conversion = kpi.RatioOf(r.Converted, r.Leads)
		r.Lift = lift(r.Converted, r.Leads, P, rep.Leads)
		cumLeads += r.Leads
		cumConv += r.Converted
		r.CumulativeLift = lift(cumConv, cumLeads, P, rep.Leads)
	}

	// Calibration by the report's bands.
	if scale == nil {
		return d, nil
	}
	if _, ok := scale.Probability(0); !ok {
		return d, nil
	}
	for _, bd := range rep.Bands {
		row := CalibrationRow{Min: bd.Min, Max: bd.Max, Leads: bd.Leads, Converted: bd.Converted, Observed: bd.Conversion}
		var sum float64
		for _, k := range keys {
			v := e.value(k)
			if (bd.Min != nil && v < *bd.Min) || (bd.Max != nil && v >= *bd.Max) {
				continue
			}
			b := e.buckets[k]
			p, _ := scale.Probability(v)
			sum += p * float64(b.converted+b.other)
		}
		if bd.Leads > 0 {
			row.Predicted = ptr(sum / float64(bd.Leads))
		}
		d.Calibration = append(d.Calibration, row)
	}
	return d, nil
}

// lift is (conv/leads) / (p/all) = conv·all / (leads·p), exactly.
func lift(conv, leads, p, all int64) kpi.Ratio {
	r := kpi.RatioOf(conv, leads)
	base := kpi.RatioOf(p, all)
	if r.Den.IsZero() || base.Den.IsZero() || base.Num.IsZero() {
		return kpi.Ratio{}
	}
	return kpi.NewRatio(r.Num.Mul(base.Den), r.Den.Mul(base.Num))
}

// aucFloat is the evaluation's AUC as a float64 (both counts non-zero).
func aucFloat(e *Evaluation, keys []int64) float64 {
	var s, negBelow, p, n float64
	for _, k := range keys {
		b := e.buckets[k]
		s += float64(b.converted) * (negBelow + float64(b.other)/2)
		negBelow += float64(b.other)
		p += float64(b.converted)
		n += float64(b.other)
	}
	return s / (p * n)
}
