package money

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func TestSum(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"empty", nil, "0"},
		// 0.10 + 0.20 = 0.30: exact, unlike float64
		{"cents", []string{"0.10", "0.20"}, "0.3"},
		// 1e3 has a positive exponent: 1000 + 0.0001 = 1000.0001
		{"positive exponent", []string{"1e3", "0.0001"}, "1000.0001"},
		// finer than 4 places goes to the decimal part: 0.00001 + 1 = 1.00001
		{"fine scale", []string{"0.00001", "1"}, "1.00001"},
		// 9e14 = 9e18 units: two of them overflow int64 (max ~9.22e18)
		// and the second goes to the decimal part: 1.8e15
		{"overflow", []string{"900000000000000", "900000000000000"}, "1800000000000000"},
		// too many digits for int64 at all
		{"huge", []string{"123456789012345678901234567890", "-1"}, "123456789012345678901234567889"},
		{"negative", []string{"-5.25", "2", "-0.75"}, "-4"},
		{"zero value decimal", []string{"0"}, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Sum
			for _, x := range tt.in {
				s.Add(decimal.RequireFromString(x))
			}
			if got := s.Value(); !got.Equal(decimal.RequireFromString(tt.want)) {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
	var z Sum
	z.Add(decimal.Decimal{}) // the zero Decimal
	if !z.IsZero() || z.String() != "0" {
		t.Fatalf("zero: got %s", z)
	}
}

// TestSumMatchesDecimal compares with plain decimal addition (the
// independent method) on random amounts of mixed scale and size, summed
// whole and in two merged halves, and through JSON.
func TestSumMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := range 200 {
		var whole, a, b Sum
		want := decimal.Zero
		n := rng.IntN(300)
		for i := range n {
			var d decimal.Decimal
			switch rng.IntN(4) {
			case 0:
				d = decimal.New(rng.Int64N(1e9)-5e8, -2)
			case 1:
				d = decimal.New(rng.Int64()-1<<62, int32(rng.IntN(6))-3)
			case 2:
				d = decimal.New(rng.Int64N(1e6), -int32(rng.IntN(9)))
			default:
				d = decimal.New(1<<62+rng.Int64N(1<<61), 0)
			}
			want = want.Add(d)
			whole.Add(d)
			if i%2 == 0 {
				a.Add(d)
			} else {
				b.Add(d)
			}
		}
		b.Merge(a)
		for _, s := range []Sum{whole, b} {
			if !s.Value().Equal(want) {
				t.Fatalf("iter %d: got %s, want %s", iter, s.Value(), want)
			}
		}
		j, err := json.Marshal(whole)
		if err != nil {
			t.Fatal(err)
		}
		var back Sum
		if err := json.Unmarshal(j, &back); err != nil {
			t.Fatal(err)
		}
		if !back.Value().Equal(want) {
			t.Fatalf("JSON %s: got %s, want %s", j, back.Value(), want)
		}
	}
}

func TestSumJSON(t *testing.T) {
	var s Sum
	s.Add(decimal.RequireFromString("12.50"))
	j, _ := json.Marshal(s)
	if string(j) != `"12.5"` {
		t.Fatalf("got %s, want \"12.5\"", j)
	}
	if err := json.Unmarshal([]byte(`"x"`), &s); err == nil {
		t.Fatal("want an error for a bad decimal")
	}
}

func TestSumAddAllocs(t *testing.T) {
	d := decimal.RequireFromString("19.99")
	var s Sum
	if n := testing.AllocsPerRun(100, func() { s.Add(d) }); n != 0 {
		t.Fatalf("Add allocates %v times, want 0", n)
	}
}

func BenchmarkSum(b *testing.B) {
	amounts := make([]decimal.Decimal, 1000)
	floats := make([]float64, len(amounts))
	for i := range amounts {
		amounts[i] = decimal.New(int64(i*7919%100000), -2)
		floats[i], _ = amounts[i].Float64()
	}
	b.Run("money.Sum", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s Sum
			for _, a := range amounts {
				s.Add(a)
			}
		}
	})
	b.Run("decimal.Add", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := decimal.Zero
			for _, a := range amounts {
				s = s.Add(a)
			}
		}
	})
	b.Run("float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s float64
			for _, f := range floats {
				s += f
			}
			_ = s
		}
	})
}
