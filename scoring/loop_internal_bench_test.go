package scoring

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkEvaluate1M counts 1,000,000 scored leads (scores with two
// decimals between −100 and 200, the resolution's 30,001 buckets) into
// an Evaluation and then computes its Report and Diagnostics (AUC,
// DeLong SE, deciles, calibration); it reports ns per lead and the JSON
// state's size. BenchmarkEvaluateBaseline1M is the hand-written floor:
// the same counts into a plain Go map, with no report.
func BenchmarkEvaluate1M(b *testing.B) {
	keys, conv := evalBenchData()
	scale := &OddsScale{PointsToDoubleOdds: 20, Odds: 1}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		e, err := countScorer.NewEvaluation(time.Time{}, EvalOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for i, k := range keys {
			e.count(k, -1, conv[i])
		}
		if _, err := e.Report(); err != nil {
			b.Fatal(err)
		}
		if _, err := e.Diagnostics(scale); err != nil {
			b.Fatal(err)
		}
		st, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		size = len(st)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(keys)), "ns/lead")
	b.ReportMetric(float64(size), "state-bytes")
}

func BenchmarkEvaluateBaseline1M(b *testing.B) {
	keys, conv := evalBenchData()
	b.ReportAllocs()
	for b.Loop() {
		m := map[int64][2]int64{}
		for i, k := range keys {
			c := m[k]
			if conv[i] {
				c[0]++
			} else {
				c[1]++
			}
			m[k] = c
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(keys)), "ns/lead")
}

func evalBenchData() ([]int64, []bool) {
	r := rand.New(rand.NewPCG(5, 6))
	keys := make([]int64, 1000000)
	conv := make([]bool, len(keys))
	for i := range keys {
		keys[i] = int64(r.IntN(30001)) - 10000
		conv[i] = r.Float64() < float64(keys[i]+10000)/40000
	}
	return keys, conv
}
