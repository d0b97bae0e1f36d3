package kpi

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// ErrUndefined is returned when a KPI has no value because its
// denominator is zero: a conversion rate of a period with no leads, a CAC
// with no new customers. Test for it with errors.Is.
var ErrUndefined = errors.New("kpi: undefined (zero denominator)")

// Ratio is an exact ratio Num / Den. It is defined only when Den is not
// zero; an undefined ratio has no value, never 0, NaN or a panic.
//
// Ratios keep their numerator and denominator so they can be
// re-aggregated correctly: the conversion rate of two segments together
// is [Ratio.Add] of the two ratios (sum of numerators over sum of
// denominators), never the average of two percentages.
//
// The zero Ratio is 0/0, undefined.
type Ratio struct {
	Num decimal.Decimal
	Den decimal.Decimal
}

// NewRatio returns the ratio num / den.
func NewRatio(num, den decimal.Decimal) Ratio { return Ratio{Num: num, Den: den} }

// RatioOf returns the ratio of two counts, num / den.
func RatioOf(num, den int64) Ratio {
	return Ratio{Num: decimal.NewFromInt(num), Den: decimal.NewFromInt(den)}
}

// Defined reports whether the ratio has a value, that is whether its
// denominator is not zero.
func (r Ratio) Defined() bool { return !r.Den.IsZero() }

// Value returns Num / Den rounded to places decimal places, half away from
// zero (decimal.DivRound). It returns [ErrUndefined] when Den is zero.
func (r Ratio) Value(places int32) (decimal.Decimal, error) {
	if !r.Defined() {
		return decimal.Decimal{}, ErrUndefined
	}
	return r.Num.DivRound(r.Den, places), nil
}

// Percent returns 100 × Num / Den rounded to places decimal places, half
// away from zero. It returns [ErrUndefined] when Den is zero.
func (r Ratio) Percent(places int32) (decimal.Decimal, error) {
	if !r.Defined() {
		return decimal.Decimal{}, ErrUndefined
	}
	return r.Num.Shift(2).DivRound(r.Den, places), nil
}

// Float64 returns Num / Den as the nearest float64, for charts and
// statistics, and false when the ratio is undefined. Use [Ratio.Value] for
// anything that is shown as a figure or summed.
func (r Ratio) Float64() (float64, bool) {
	if !r.Defined() {
		return 0, false
	}
	v, _ := r.Num.DivRound(r.Den, 16).Float64()
	return v, true
}

// Add returns the ratio of the summed numerators over the summed
// denominators: the ratio of the union of the two populations.
func (r Ratio) Add(o Ratio) Ratio { return Ratio{Num: r.Num.Add(o.Num), Den: r.Den.Add(o.Den)} }

// String returns the value rounded to 4 decimal places ("0.3333"), or
// "n/a" when the ratio is undefined.
func (r Ratio) String() string {
	v, err := r.Value(4)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(4)
}

// Format implements fmt.Formatter so that %v and %s print [Ratio.String]
// and %.Nf prints the value with N decimal places ("n/a" when undefined).
func (r Ratio) Format(f fmt.State, verb rune) {
	if verb == 'f' {
		p, ok := f.Precision()
		if !ok {
			p = 6
		}
		v, err := r.Value(int32(p))
		if err != nil {
			fmt.Fprint(f, "n/a")
			return
		}
		fmt.Fprint(f, v.StringFixed(int32(p)))
		return
	}
	fmt.Fprint(f, r.String())
}

// ratioJSON is the JSON form of a Ratio.
type ratioJSON struct {
	Num   decimal.Decimal  `json:"num"`
	Den   decimal.Decimal  `json:"den"`
	Value *decimal.Decimal `json:"value"`
}

// ratioJSONPlaces is the precision of the informative "value" member.
const ratioJSONPlaces = 6

// MarshalJSON encodes the ratio as
// {"num":"3","den":"8","value":"0.375"}: numerator and denominator as
// exact decimal strings, so ratios can be re-aggregated, and value rounded
// to 6 places for readers, null when undefined. UnmarshalJSON ignores
// value.
func (r Ratio) MarshalJSON() ([]byte, error) {
	j := ratioJSON{Num: r.Num, Den: r.Den}
	if v, err := r.Value(ratioJSONPlaces); err == nil {
		j.Value = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form written by [Ratio.MarshalJSON].
func (r *Ratio) UnmarshalJSON(b []byte) error {
	var j ratioJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("kpi: ratio: %w", err)
	}
	r.Num, r.Den = j.Num, j.Den
	return nil
}
