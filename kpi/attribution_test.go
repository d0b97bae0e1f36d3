package kpi

import (
	"errors"
	"github.com/leadkit/leadkit"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func credits(t *testing.T, a Attribution, amount string, at time.Time, touches []Touch) string {
	t.Helper()
	c, err := a.Credits(dec(amount), at, touches)
	if err != nil {
		t.Fatal(err)
	}
	s := make([]string, len(c))
	for i, d := range c {
		s[i] = d.StringFixed(2)
	}
	return strings.Join(s, " ")
}

func TestAttribution(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return t0.AddDate(0, 0, days) }
	plain := func(days ...int) []Touch {
		ts := make([]Touch, len(days))
		for i, d := range days {
			ts[i] = Touch{At: at(d)}
		}
		return ts
	}
	five := plain(0, 1, 2, 3, 4)
	five[1].LeadCreated = true
	five[3].OpportunityCreated = true
	tests := []struct {
		name    string
		a       Attribution
		amount  string
		touches []Touch
		want    string
	}{
		// one touch takes everything in every model
		{"first/one", Attribution{Model: FirstTouch}, "99.99", plain(0), "99.99"},
		{"w/one", Attribution{Model: WShaped}, "99.99", plain(0), "99.99"},
		{"decay/one", Attribution{Model: TimeDecay}, "99.99", plain(0), "99.99"},
		// input out of time order: first touch is the one at day 0 (index 1)
		{"first/unsorted", Attribution{Model: FirstTouch}, "10", plain(5, 0, 3), "0.00 10.00 0.00"},
		{"last/unsorted", Attribution{Model: LastTouch}, "10", plain(5, 0, 3), "10.00 0.00 0.00"},
		// 100.00 / 3 = 33.333..: 3333 cents each, 1 cent left, remainders
		// tie, so the earliest touch gets it
		{"linear/thirds", Attribution{Model: Linear}, "100", plain(0, 1, 2), "33.34 33.33 33.33"},
		// same, but the earliest touch is last in the input
		{"linear/thirds unsorted", Attribution{Model: Linear}, "100", plain(2, 1, 0), "33.33 33.33 33.34"},
		// 0.05 over 3: 1 cent each, 2 left to the two earliest
		{"linear/cents", Attribution{Model: Linear}, "0.05", plain(0, 1, 2), "0.02 0.02 0.01"},
		// negative amounts (refunds) split symmetrically: -0.05 -> -2 -2 -1 cents
		{"linear/negative", Attribution{Model: Linear}, "-0.05", plain(0, 1, 2), "-0.02 -0.02 -0.01"},
		// U-shaped, 2 touches, none marked: 40/40 pooled = 50/50
		{"u/two", Attribution{Model: UShaped}, "100", plain(0, 1), "50.00 50.00"},
		// U-shaped, 4 touches, lead created by the last (unmarked):
		// 40, 20/2, 20/2, 40
		{"u/four", Attribution{Model: UShaped}, "1000", plain(0, 1, 2, 3), "400.00 100.00 100.00 400.00"},
		// U-shaped where the first touch created the lead: 80, then 20/3
		// each = 6.666..: 666 cents x3 + 2 left to the earliest two
		{"u/first is lead", Attribution{Model: UShaped}, "100",
			[]Touch{{At: at(0), LeadCreated: true}, {At: at(1)}, {At: at(2)}, {At: at(3)}},
			"80.00 6.67 6.67 6.66"},
		// W-shaped with 5 touches: first 30, lead (1) 30, opp (3) 30, the
		// other two (2, 4) 10/2 = 5 each
		{"w/five", Attribution{Model: WShaped}, "100", five, "30.00 30.00 5.00 30.00 5.00"},
		// W-shaped, three distinct milestones alone: 30/30/30 -> thirds;
		// 3333 each, 1 cent to the earliest
		{"w/three milestones", Attribution{Model: WShaped}, "100",
			[]Touch{{At: at(0)}, {At: at(1), LeadCreated: true}, {At: at(2), OpportunityCreated: true}},
			"33.34 33.33 33.33"},
		// W-shaped, nothing marked: lead and opp default to the last touch,
		// so first 30, last 60, middle 10
		{"w/unmarked", Attribution{Model: WShaped}, "100", plain(0, 1, 2), "30.00 10.00 60.00"},
		// W-shaped, one touch all three milestones, one other: 90/10
		{"w/all in one", Attribution{Model: WShaped}, "100",
			[]Touch{{At: at(0), LeadCreated: true, OpportunityCreated: true}, {At: at(1)}}, "90.00 10.00"},
		// time decay, half-life 7 days, ages 14, 7, 0 days: weights 1/4,
		// 1/2, 1, total 7/4: 10000 cents x 1/7 = 1428.571, x 2/7 = 2857.143,
		// x 4/7 = 5714.286: floors sum to 9999; remainders .571 .143 .286:
		// the oldest touch takes the last cent
		{"decay/7d", Attribution{Model: TimeDecay}, "100", plain(0, 7, 14), "14.29 28.57 57.14"},
		// half-life 1 day, ages 1 and 0: weights 1/2, 1 -> 33.33, 66.67
		{"decay/1d", Attribution{Model: TimeDecay, HalfLife: leadkit.Duration(24 * time.Hour)}, "100", plain(0, 1), "33.33 66.67"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := credits(t, tt.a, tt.amount, time.Time{}, tt.touches); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAttributionConvertedAt(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ts := []Touch{{At: t0}, {At: t0.AddDate(0, 0, 7)}}
	// conversion 7 days after the last touch: ages 14 and 7 days, weights
	// 1/4 and 1/2: 1/3 and 2/3
	if got := credits(t, Attribution{Model: TimeDecay}, "3", t0.AddDate(0, 0, 14), ts); got != "1.00 2.00" {
		t.Errorf("got %s, want 1.00 2.00", got)
	}
	if _, err := (Attribution{Model: TimeDecay}).Credits(dec("3"), t0.AddDate(0, 0, 1), ts); err == nil {
		t.Error("touch after the conversion: want an error")
	}
}

func TestAttributionErrors(t *testing.T) {
	ts := []Touch{{}}
	tests := []struct {
		name string
		a    Attribution
		ts   []Touch
		want string
	}{
		{"zero model", Attribution{}, ts, `unknown model ""`},
		{"unknown model", Attribution{Model: "position"}, ts, `unknown model "position"`},
		{"negative half-life", Attribution{Model: TimeDecay, HalfLife: leadkit.Duration(-time.Hour)}, ts, "negative half-life"},
		{"no touches", Attribution{Model: Linear}, nil, "no touches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.a.Credits(dec("1"), time.Time{}, tt.ts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := (Attribution{Model: Linear}).Credits(dec("1"), time.Time{}, nil); !errors.Is(err, ErrNoTouches) {
		t.Errorf("no touches: got %v, want ErrNoTouches", err)
	}
}

// TestAttributionSumsExactly is the property test: for random amounts
// (including negative ones and amounts finer than a cent) and random
// touches, every model's credits add up exactly to the amount, none has
// the wrong sign, each is a whole number of cents (or of the amount's
// finer unit), and the result does not depend on the order of the input.
func TestAttributionSumsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	models := []Model{FirstTouch, LastTouch, Linear, UShaped, WShaped, TimeDecay}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for iter := range 3000 {
		amount := decimal.New(rng.Int64N(2e12)-1e11, -int32(rng.IntN(5)))
		n := 1 + rng.IntN(12)
		ts := make([]Touch, n)
		for i := range ts {
			ts[i] = Touch{
				// distinct instants so that any permutation has one time order
				At:                 t0.Add(time.Duration(i*1000+rng.IntN(999)) * time.Minute),
				LeadCreated:        rng.IntN(4) == 0,
				OpportunityCreated: rng.IntN(4) == 0,
			}
		}
		rng.Shuffle(n, func(i, j int) { ts[i], ts[j] = ts[j], ts[i] })
		a := Attribution{Model: models[iter%len(models)], HalfLife: leadkit.Duration(time.Duration(1+rng.IntN(500)) * time.Hour)}
		c, err := a.Credits(amount, time.Time{}, ts)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		unitPlaces := max(2, -amount.Exponent())
		for _, x := range c {
			sum = sum.Add(x)
			if x.Sign()*amount.Sign() < 0 {
				t.Fatalf("%s %s over %d touches: credit %s has the wrong sign", a.Model, amount, n, x)
			}
			if !x.Shift(unitPlaces).IsInteger() {
				t.Fatalf("%s %s: credit %s is not a whole unit", a.Model, amount, x)
			}
		}
		if !sum.Equal(amount) {
			t.Fatalf("%s: credits %v sum to %s, want %s", a.Model, c, sum, amount)
		}
		// Reversing the input reverses the credits.
		rev := make([]Touch, n)
		for i := range ts {
			rev[n-1-i] = ts[i]
		}
		c2, _ := a.Credits(amount, time.Time{}, rev)
		for i := range c {
			if !c[i].Equal(c2[n-1-i]) {
				t.Fatalf("%s: credits depend on input order: %v vs reversed %v", a.Model, c, c2)
			}
		}
	}
}

// FuzzAttribution checks on arbitrary amounts and touches that Credits
// never panics and that a successful split adds up to the amount.
func FuzzAttribution(f *testing.F) {
	f.Add("100", uint8(3), uint16(0b1001), int64(7), "w_shaped")
	f.Add("-0.07", uint8(1), uint16(0), int64(0), "time_decay")
	f.Add("1e-9", uint8(9), uint16(0xffff), int64(-5), "u_shaped")
	f.Add("123456789012345678901234567890.123", uint8(200), uint16(3), int64(1), "linear")
	f.Fuzz(func(t *testing.T, amount string, n uint8, flags uint16, step int64, model string) {
		a, err := decimal.NewFromString(amount)
		if err != nil || a.Exponent() < -30 || a.Exponent() > 30 {
			return
		}
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		ts := make([]Touch, int(n)%40)
		for i := range ts {
			ts[i] = Touch{
				At:                 t0.Add(time.Duration(int64(i)*step) * time.Hour),
				LeadCreated:        flags&(1<<(i%16)) != 0,
				OpportunityCreated: flags&(1<<((i+5)%16)) != 0,
			}
		}
		c, err := Attribution{Model: Model(model)}.Credits(a, time.Time{}, ts)
		if err != nil {
			return
		}
		sum := decimal.Zero
		for _, x := range c {
			sum = sum.Add(x)
		}
		if !sum.Equal(a) {
			t.Fatalf("credits %v sum to %s, want %s", c, sum, a)
		}
	})
}
