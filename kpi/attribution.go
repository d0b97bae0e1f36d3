package kpi

import (
	"errors"
	"fmt"
	"github.com/leadkit/leadkit"
	"math"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Model is a multi-touch attribution model: the rule that splits a deal's
// amount over the marketing and sales touches that led to it.
type Model string

// The attribution models.
const (
	// FirstTouch gives everything to the earliest touch.
	FirstTouch Model = "first_touch"
	// LastTouch gives everything to the latest touch.
	LastTouch Model = "last_touch"
	// Linear splits evenly over all touches.
	Linear Model = "linear"
	// UShaped gives 40% to the first touch, 40% to the lead-creation
	// touch and 20% evenly to the remaining touches.
	UShaped Model = "u_shaped"
	// WShaped gives 30% each to the first touch, the lead-creation touch
	// and the opportunity-creation touch, and 10% evenly to the remaining
	// touches.
	WShaped Model = "w_shaped"
	// TimeDecay weights each touch by 2^(−age / half-life), age measured
	// back from the conversion.
	TimeDecay Model = "time_decay"
)

// String returns the model's name.
func (m Model) String() string { return string(m) }

// IsValid reports whether m is one of the models defined by this package.
func (m Model) IsValid() bool {
	switch m {
	case FirstTouch, LastTouch, Linear, UShaped, WShaped, TimeDecay:
		return true
	}
	return false
}

// DefaultHalfLife is the half-life [TimeDecay] uses when
// [Attribution.HalfLife] is zero: 7 days.
const DefaultHalfLife = 7 * 24 * time.Hour

// Touch is one interaction on the way to a deal.
type Touch struct {
	// At is when the touch happened.
	At time.Time `json:"at"`
	// Channel and Campaign say where the touch came from; attribution
	// does not read them, they are there to aggregate credits by.
	Channel  string `json:"channel,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	// LeadCreated marks the touch that created the lead (a form fill,
	// say): the second milestone of the U- and W-shaped models.
	LeadCreated bool `json:"lead_created,omitempty"`
	// OpportunityCreated marks the touch that created the opportunity:
	// the third milestone of the W-shaped model.
	OpportunityCreated bool `json:"opportunity_created,omitempty"`
}

// Attribution is an attribution model with its parameters. The zero value
// is invalid (no model); set Model.
//
// # Rules
//
// Touches are put in time order (touches at the same instant keep their
// input order). The milestones are the first touch; the lead-creation
// touch, the earliest touch with LeadCreated, or the last touch when none
// is marked; and the opportunity-creation touch, the earliest touch with
// OpportunityCreated, or the last touch when none is marked.
//
//   - One touch receives the whole amount, whatever the model.
//   - Milestones that coincide pool their shares on that touch: in a
//     U-shaped split where the first touch created the lead it receives
//     80%; in a W-shaped split where one touch is all three milestones
//     it receives 90%.
//   - The middle share (20% U-shaped, 10% W-shaped) is split evenly over
//     the touches that are not milestones. When there are none, it goes
//     to the milestones in proportion to their shares, so two touches
//     split a U-shaped deal 50/50, and a W-shaped deal whose three
//     milestones are distinct and alone gets thirds.
//   - TimeDecay weights a touch of age a (time before ConvertedAt) by
//     2^(−a / HalfLife); each weight is rounded to a multiple of 10^−12
//     before the exact split, so the split itself is exact integer
//     arithmetic.
//
// Credits are whole cents (or finer when the amount itself has more
// decimal places) and add up exactly to the amount: each touch first gets
// its exact share rounded toward zero, then the cents left over go one by
// one to the touches with the largest remainders (largest remainder
// method), ties going to the earlier touch in time order.
type Attribution struct {
	// Model is the attribution model. Required.
	Model Model `json:"model"`
	// HalfLife is TimeDecay's half-life, in JSON a duration string such
	// as "7d" or "36h"; zero means [DefaultHalfLife].
	HalfLife leadkit.Duration `json:"half_life,omitempty"`
}

// Errors returned by [Attribution.Credits].
var (
	ErrNoTouches = errors.New("kpi: attribution: no touches")
)

// Credits splits amount over touches and returns the credit of each touch,
// in the order of touches. The credits add up exactly to amount (see the
// rules on [Attribution]). convertedAt is the moment of conversion, for
// TimeDecay only; zero means the latest touch. It returns an error for an
// unknown model, a negative half-life, no touches, or (TimeDecay) a touch
// after convertedAt.
func (a Attribution) Credits(amount decimal.Decimal, convertedAt time.Time, touches []Touch) ([]decimal.Decimal, error) {
	if !a.Model.IsValid() {
		return nil, fmt.Errorf("kpi: attribution: unknown model %q", a.Model)
	}
	if a.HalfLife < 0 {
		return nil, fmt.Errorf("kpi: attribution: negative half-life %v", a.HalfLife)
	}
	n := len(touches)
	if n == 0 {
		return nil, ErrNoTouches
	}
	// order[k] is the index in touches of the k-th touch in time.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return touches[x].At.Compare(touches[y].At) })

	w := make([]*big.Int, n) // weights in time order
	for k := range w {
		w[k] = new(big.Int)
	}
	switch a.Model {
	case FirstTouch:
		w[0].SetInt64(1)
	case LastTouch:
		w[n-1].SetInt64(1)
	case Linear:
		for k := range w {
			w[k].SetInt64(1)
		}
	case UShaped, WShaped:
		milestoneWeights(w, touches, order, a.Model)
	case TimeDecay:
		if err := decayWeights(w, touches, order, convertedAt, a.HalfLife.Std()); err != nil {
			return nil, err
		}
	}
	credits := split(amount, w)
	out := make([]decimal.Decimal, n)
	for k, i := range order {
		out[i] = credits[k]
	}
	return out, nil
}

// milestoneWeights sets integer weights for the U- and W-shaped models.
func milestoneWeights(w []*big.Int, touches []Touch, order []int, m Model) {
	n := len(order)
	lead, opp := n-1, n-1
	for k := n - 1; k >= 0; k-- {
		if touches[order[k]].LeadCreated {
			lead = k
		}
		if touches[order[k]].OpportunityCreated {
			opp = k
		}
	}
	share := make([]int64, n) // milestone shares in percent
	share[0] += 40
	share[lead] += 40
	middle := int64(20)
	if m == WShaped {
		share[0] -= 10
		share[lead] -= 10
		share[opp] += 30
		middle = 10
	}
	others := int64(0)
	for k := range share {
		if share[k] == 0 {
			others++
		}
	}
	if others == 0 {
		// No middle touches: the milestones keep their shares, and the
		// middle share follows them in proportion.
		for k := range share {
			w[k].SetInt64(share[k])
		}
		return
	}
	// Scale by others so each middle touch gets middle/others exactly.
	for k := range share {
		if share[k] == 0 {
			w[k].SetInt64(middle)
		} else {
			w[k].SetInt64(share[k] * others)
		}
	}
}

// decayScale is the fixed-point scale of TimeDecay weights.
const decayScale = 1e12

// decayWeights sets TimeDecay weights, 2^(−age/halfLife) in fixed point.
func decayWeights(w []*big.Int, touches []Touch, order []int, convertedAt time.Time, halfLife time.Duration) error {
	if halfLife == 0 {
		halfLife = DefaultHalfLife
	}
	ref := convertedAt
	last := touches[order[len(order)-1]].At
	if ref.IsZero() {
		ref = last
	} else if last.After(ref) {
		return fmt.Errorf("kpi: attribution: touch at %s is after the conversion at %s", last.Format(time.RFC3339), ref.Format(time.RFC3339))
	}
	var total int64
	for k, i := range order {
		age := ref.Sub(touches[i].At).Hours() / halfLife.Hours()
		v := int64(math.Round(math.Exp2(-age) * decayScale))
		w[k].SetInt64(v)
		total += v
	}
	if total == 0 {
		// Every touch is so old that its weight rounds to zero: the
		// latest ones share equally, as the limit of the weights does.
		for k, i := range order {
			if touches[i].At.Equal(last) {
				w[k].SetInt64(1)
			}
		}
	}
	return nil
}

// split divides amount in proportion to the weights w (not all zero) by
// the largest remainder method, in units of 10^−places with places =
// max(2, decimal places of amount). Ties go to the lower index.
func split(amount decimal.Decimal, w []*big.Int) []decimal.Decimal {
	places := max(int32(2), -amount.Exponent())
	units := amount.Shift(places).BigInt() // exact: places ≥ −exponent
	neg := units.Sign() < 0
	units.Abs(units)
	total := new(big.Int)
	for _, x := range w {
		total.Add(total, x)
	}
	n := len(w)
	q := make([]*big.Int, n)
	r := make([]*big.Int, n)
	given := new(big.Int)
	for k := range w {
		q[k], r[k] = new(big.Int).QuoRem(new(big.Int).Mul(units, w[k]), total, new(big.Int))
		given.Add(given, q[k])
	}
	left := new(big.Int).Sub(units, given).Int64() // < n
	idx := make([]int, n)
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(x, y int) int { return r[y].Cmp(r[x]) })
	for j := int64(0); j < left; j++ {
		q[idx[j]].Add(q[idx[j]], big.NewInt(1))
	}
	out := make([]decimal.Decimal, n)
	for k := range q {
		if neg {
			q[k].Neg(q[k])
		}
		out[k] = decimal.NewFromBigInt(q[k], -places)
	}
	return out
}
