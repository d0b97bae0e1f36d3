// Package acctest is the one property harness every leadkit accumulator
// is tested with (DESIGN.md, "The analysis contract"): the same records,
// added in a random order, split over a random number of accumulators,
// round-tripped through JSON into zero values at random points and merged
// in a random order, must give the identical report.
package acctest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// Harness describes one accumulator under test. A is the accumulator
// type and R its report type.
type Harness[A any, R any] struct {
	// New returns a fresh, empty accumulator: same definition, same as-of.
	New func() *A
	// Records is the number of records; Add adds record i to a.
	Records int
	Add     func(a *A, i int) error
	// Merge merges b into a; Report reports a.
	Merge  func(a, b *A) error
	Report func(a *A) (R, error)
	// Rounds is the number of random trials; zero means 20.
	Rounds int
	// Seed seeds the trials; the same seed gives the same trials.
	Seed uint64
}

// Run checks h: the report of every record added in order to one
// accumulator is the reference; every trial must give a report whose
// JSON is byte-identical to it, and every accumulator must survive a JSON
// round trip into a zero value at any point.
func Run[A any, R any](t *testing.T, h Harness[A, R]) {
	t.Helper()
	ref := h.New()
	for i := 0; i < h.Records; i++ {
		if err := h.Add(ref, i); err != nil {
			t.Fatalf("reference: add record %d: %v", i, err)
		}
	}
	want := reportJSON(t, h, ref)
	rounds := h.Rounds
	if rounds == 0 {
		rounds = 20
	}
	rng := rand.New(rand.NewPCG(h.Seed, 0x1eadc17))
	for round := 0; round < rounds; round++ {
		order := rng.Perm(h.Records)
		parts := make([]*A, 1+rng.IntN(8))
		for i := range parts {
			parts[i] = h.New()
		}
		for _, i := range order {
			k := rng.IntN(len(parts))
			if rng.IntN(50) == 0 {
				parts[k] = RoundTrip(t, parts[k])
			}
			if err := h.Add(parts[k], i); err != nil {
				t.Fatalf("round %d: add record %d: %v", round, i, err)
			}
		}
		// Merge in a random order: repeatedly merge a random part into
		// another, round-tripping either side now and then.
		for len(parts) > 1 {
			a := rng.IntN(len(parts))
			b := rng.IntN(len(parts) - 1)
			if b >= a {
				b++
			}
			if rng.IntN(2) == 0 {
				parts[b] = RoundTrip(t, parts[b])
			}
			if err := h.Merge(parts[a], parts[b]); err != nil {
				t.Fatalf("round %d: merge: %v", round, err)
			}
			parts = append(parts[:b], parts[b+1:]...)
		}
		got := reportJSON(t, h, RoundTrip(t, parts[0]))
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d: report differs from the single pass\n got: %s\nwant: %s", round, clip(got), clip(want))
		}
	}
}

// RoundTrip encodes a with encoding/json and decodes it into a zero
// value of A, failing the test on any error, and checks that the decoded
// accumulator encodes to the same bytes.
func RoundTrip[A any](t *testing.T, a *A) *A {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	out := new(A)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("unmarshal into a zero value: %v\nstate: %s", err, clip(b))
	}
	b2, err := json.Marshal(out)
	if err != nil {
		t.Fatalf("marshal after round trip: %v", err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("state changes in a round trip\nbefore: %s\nafter:  %s", clip(b), clip(b2))
	}
	return out
}

func reportJSON[A any, R any](t *testing.T, h Harness[A, R], a *A) []byte {
	t.Helper()
	r, err := h.Report(a)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal report: %v", err)
	}
	return b
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}
