package scoring

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/leadkit/leadkit/lead"
)

// FuzzLearn learns from leads and options made of arbitrary bytes: a
// category field, a number field (any float64, NaN and ±Inf included),
// the outcome, and the scale and penalty. Learn must not panic; when it
// succeeds, its model compiles, every point is finite and the AUCs lie
// in [0, 1].
func FuzzLearn(f *testing.F) {
	f.Add([]byte("aXbYcZaXbY\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"), 20.0, 1.0, 1e-3)
	f.Add([]byte("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4"), 1e-9, 1e300, 1e-12)
	f.Add([]byte("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"), 1e12, 1e-300, 1e6)
	f.Fuzz(func(t *testing.T, b []byte, pdo, odds, lambda float64) {
		var data []Outcome
		for i := 0; i+10 <= len(b) && i < 10*200; i += 10 {
			l := &lead.Lead{ID: fmt.Sprint(i), CreatedAt: learnT0, Fields: map[string]any{"c": string(b[i : i+1])}}
			if b[i+1]%5 != 0 {
				l.Fields["n"] = math.Float64frombits(binary.LittleEndian.Uint64(b[i+2 : i+10]))
			}
			data = append(data, Outcome{Lead: l, DecidedAt: learnT0, Converted: b[i+1]%2 == 1})
		}
		got, err := Learn(data, LearnOptions{
			PointsToDoubleOdds: pdo, Odds: odds, Lambdas: []float64{lambda}, Folds: 2, Holdout: 0.3,
			Rules:      []Rule{{Name: "c is a", When: `fields.c == "a"`}},
			Categories: []CategoryFeature{{Key: "fields.c", MinLeads: 2}},
			Numbers:    []NumberFeature{{Key: "fields.n", Bins: 3}},
		})
		if err != nil {
			return
		}
		if _, err := Compile(got.Model); err != nil {
			t.Fatalf("learned model does not compile: %v", err)
		}
		for _, r := range got.Model.Rules {
			if math.IsNaN(r.Points) || math.IsInf(r.Points, 0) {
				t.Fatalf("rule %q has %v points", r.Name, r.Points)
			}
		}
		for _, auc := range []float64{ratio(got.TrainAUC), ratio(got.HoldoutAUC)} {
			if auc < 0 || auc > 1 {
				t.Fatalf("AUC %v", auc)
			}
		}
	})
}

// ratio returns r's value, 0.5 when undefined.
func ratio(r interface{ Float64() (float64, bool) }) float64 {
	v, ok := r.Float64()
	if !ok {
		return 0.5
	}
	return v
}
