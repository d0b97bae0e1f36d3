// Package money holds an exact and fast running sum of decimal amounts.
//
// decimal.Decimal's Add allocates on every call, which makes summing
// millions of amounts tens of times slower than float64. [Sum] keeps the
// total in an int64 count of 10^−4 units while every amount fits that
// scale and the total stays in range, and falls back to decimal only for
// amounts with more than four decimal places or on int64 overflow. The
// result is always exact.
//
// The zero Sum is an empty sum (0). A Sum is a value that is not safe for
// concurrent mutation; sum in parallel with one Sum per goroutine and
// [Sum.Merge] them.
package money

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Places is the number of decimal places of the fast path: amounts with
// at most this many places are summed as int64 units of 10^−Places.
const Places = 4

// pow10 holds 10^0 .. 10^18.
var pow10 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// Sum is an exact running sum of decimals. See the package doc.
type Sum struct {
	units int64           // the fast part, in 10^−Places
	rest  decimal.Decimal // the slow part: fine-scaled amounts and overflow
}

// Add adds d to the sum.
func (s *Sum) Add(d decimal.Decimal) {
	if u, ok := toUnits(d); ok {
		s.addUnits(u)
		return
	}
	s.rest = s.rest.Add(d)
}

// addUnits adds u × 10^−Places to the sum.
func (s *Sum) addUnits(u int64) {
	t := s.units + u
	// Overflow iff both operands have the same sign and the result's
	// sign differs.
	if (s.units >= 0) == (u >= 0) && (t >= 0) != (u >= 0) {
		s.rest = s.rest.Add(decimal.New(u, -Places))
		return
	}
	s.units = t
}

// toUnits returns d as a count of 10^−Places units when that is exact and
// fits an int64.
func toUnits(d decimal.Decimal) (int64, bool) {
	e := d.Exponent() + Places
	if e < 0 || e > 18 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	if e == 0 {
		return c, true
	}
	p := pow10[e]
	if c > (1<<63-1)/p || c < -(1<<63-1)/p {
		return 0, false
	}
	return c * p, true
}

// Merge adds the other sum to s.
func (s *Sum) Merge(o Sum) {
	s.addUnits(o.units)
	if !o.rest.IsZero() {
		s.rest = s.rest.Add(o.rest)
	}
}

// Value returns the exact total.
func (s Sum) Value() decimal.Decimal {
	v := decimal.New(s.units, -Places)
	if s.rest.IsZero() {
		return v
	}
	return v.Add(s.rest)
}

// IsZero reports whether the total is zero.
func (s Sum) IsZero() bool { return s.Value().IsZero() }

// String returns the total as a decimal string without trailing zeros.
func (s Sum) String() string { return s.Value().String() }

// MarshalJSON encodes the total as a JSON string holding the exact
// decimal ("1234.5").
func (s Sum) MarshalJSON() ([]byte, error) { return json.Marshal(s.Value().String()) }

// UnmarshalJSON decodes the form written by MarshalJSON (a JSON number is
// accepted too).
func (s *Sum) UnmarshalJSON(b []byte) error {
	var d decimal.Decimal
	if err := d.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("money: sum: %w", err)
	}
	*s = Sum{}
	s.Add(d)
	return nil
}
