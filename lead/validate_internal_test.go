package lead

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// randomValue builds a custom field value of random shape, sometimes
// invalid: NaN or infinite floats, unsupported types, empty keys,
// nesting past the depth limit.
func randomValue(r *rand.Rand, depth int) any {
	switch r.IntN(14) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return "s"
	case 3:
		return r.Int64()
	case 4:
		return []float64{1.5, math.NaN(), math.Inf(1), math.Inf(-1)}[r.IntN(4)]
	case 5:
		return float32([]float64{2.5, math.NaN(), math.Inf(-1)}[r.IntN(3)])
	case 6:
		return decimal.NewFromInt(3)
	case 7:
		return time.Unix(0, 0)
	case 8:
		return struct{}{} // unsupported
	case 9, 10:
		var s []any
		for range r.IntN(3) {
			s = append(s, randomValue(r, depth+1))
		}
		return s
	default:
		m := map[string]any{}
		for range r.IntN(3) {
			m[[]string{"a", "b", ""}[r.IntN(3)]] = randomValue(r, depth+1)
		}
		if depth < 40 && r.IntN(8) == 0 { // a deep chain
			v := any("x")
			for range 30 + r.IntN(5) {
				v = map[string]any{"d": v}
			}
			m["deep"] = v
		}
		return m
	}
}

// TestFieldsValidAgreesWithValidateFields checks the fast path against
// the reporting walk on random values: fieldsValid holds exactly when
// the walk reports nothing.
func TestFieldsValidAgreesWithValidateFields(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	for i := range 20000 {
		m := map[string]any{}
		for range r.IntN(4) {
			m[[]string{"x", "y", "", "z"}[r.IntN(4)]] = randomValue(r, 0)
		}
		problems := 0
		validateFields("fields", m, func(string, string) { problems++ })
		if fieldsValid(m) != (problems == 0) {
			t.Fatalf("case %d: fieldsValid %v, validateFields found %d problems in %#v", i, fieldsValid(m), problems, m)
		}
		if problems == 0 {
			valid++
		}
	}
	if valid < 2000 || valid > 18000 {
		t.Fatalf("%d of 20000 cases valid: the generator does not exercise both sides", valid)
	}
}
