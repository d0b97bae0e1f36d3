package funnel

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestInstantMatchesTime checks the pointer-free instant against
// time.Time, the independent reference, on random and extreme times.
func TestInstantMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	times := []time.Time{
		{}, time.Unix(0, 0), time.Unix(0, 1), time.Unix(-1, 999999999),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Unix(1<<62, 0), time.Unix(-1<<62, 0), time.Unix(1<<33, 5), time.Unix(-(1 << 33), 7),
	}
	for range 2000 {
		times = append(times, time.Unix(rng.Int64N(1<<40)-1<<39, rng.Int64N(1e9)))
	}
	for range 20000 {
		a, b := times[rng.IntN(len(times))], times[rng.IntN(len(times))]
		ia, ib := instantOf(a), instantOf(b)
		if got, want := ia.before(ib), a.Before(b); got != want {
			t.Fatalf("%v before %v = %v, want %v", a, b, got, want)
		}
		if got, want := ia.sub(ib), a.Sub(b); got != want {
			t.Fatalf("%v − %v = %v, want %v", a, b, got, want)
		}
		if !ia.time().Equal(a) {
			t.Fatalf("round trip of %v = %v", a, ia.time())
		}
	}
}
