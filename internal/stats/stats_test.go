package stats

import "testing"

func TestPercentile(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		p    float64
		want float64
		ok   bool
	}{
		{"empty", nil, 0.5, 0, false},
		{"p below 0", []float64{1}, -0.1, 0, false},
		{"p above 1", []float64{1}, 1.1, 0, false},
		{"single", []float64{7}, 0.9, 7, true},
		// n=4, h=(4-1)*0.5=1.5: x[1]+0.5*(x[2]-x[1]) = 2+0.5*1 = 2.5
		{"median even", []float64{1, 2, 3, 4}, 0.5, 2.5, true},
		// n=5, h=2: x[2] = 3
		{"median odd", []float64{1, 2, 3, 4, 5}, 0.5, 3, true},
		// n=10 (1..10), h=9*0.9=8.1: x[8]+0.1*(x[9]-x[8]) = 9+0.1 = 9.1,
		// numpy.percentile(range(1,11), 90) = 9.1
		{"p90", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1, true},
		{"min", []float64{3, 5}, 0, 3, true},
		{"max", []float64{3, 5}, 1, 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Percentile(tt.xs, tt.p)
			if ok != tt.ok || (ok && (got-tt.want > 1e-12 || tt.want-got > 1e-12)) {
				t.Errorf("Percentile(%v, %v) = %v, %v; want %v, %v", tt.xs, tt.p, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPercentileInt64(t *testing.T) {
	// durations in hours as int64: n=3, h=2*0.5=1 -> x[1] = 48
	got, ok := Percentile([]int64{24, 48, 120}, 0.5)
	if !ok || got != 48 {
		t.Fatalf("got %v, %v; want 48, true", got, ok)
	}
}
