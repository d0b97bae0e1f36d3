package hist

import (
	"encoding/json"
	"github.com/leadkit/leadkit"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/internal/stats"
)

func TestEmpty(t *testing.T) {
	var h Durations
	s := h.Summary()
	if s.Count != 0 || s.Median != nil || s.P90 != nil || s.Mean != nil {
		t.Errorf("empty summary = %+v, want count 0 and nil figures", s)
	}
}

func TestExact(t *testing.T) {
	// 1h, 2h, 3h, 10h: median at rank 1.5 = 2.5h; p90 at rank 2.7 =
	// 3h + 0.7 × 7h = 7.9h; mean 16h / 4 = 4h.
	var h Durations
	for _, d := range []time.Duration{3 * time.Hour, time.Hour, 10 * time.Hour, 2 * time.Hour} {
		h.Add(d)
	}
	s := h.Summary()
	if s.Count != 4 || *s.Median != 150*60e9 || *s.P90 != 474*60e9 || *s.Mean != 4*3600e9 || s.RelativeError != 0 {
		t.Errorf("summary = %d %v %v %v %v", s.Count, *s.Median, *s.P90, *s.Mean, s.RelativeError)
	}
	if h.Add(-1) {
		t.Error("a negative duration was added")
	}
}

// TestFewDistinctValuesStayExact: whole-day durations, a million of
// them, have few distinct values and stay exact.
func TestFewDistinctValuesStayExact(t *testing.T) {
	var h Durations
	var all []time.Duration
	for i := 0; i < 100000; i++ {
		d := time.Duration(i%200) * 24 * time.Hour // 0 to 199 days, 500 times each
		h.Add(d)
		all = append(all, d)
	}
	slices.Sort(all)
	s := h.Summary()
	med, _ := stats.Percentile(all, 0.5)
	p90, _ := stats.Percentile(all, 0.9)
	if s.RelativeError != 0 || float64(*s.Median) != med || float64(*s.P90) != p90 {
		t.Errorf("median %v p90 %v (error %v), want exact %v %v", *s.Median, *s.P90, s.RelativeError, time.Duration(med), time.Duration(p90))
	}
	// 0..199 days, each 500 times: day k holds ranks 500k to 500k+499.
	// The median sits at rank 99,999 × 0.5 = 49,999.5, between day 99
	// (rank 49,999) and day 100 (rank 50,000): 99.5 days. The p90 sits at
	// rank 89,999.1, between day 179 and day 180: 179.1 days. The
	// interpolation runs in float64 over nanoseconds (about 1.5e16), which
	// is good to a few nanoseconds.
	near := func(got *leadkit.Duration, want time.Duration) bool {
		return got != nil && (got.Std()-want).Abs() < time.Microsecond
	}
	if !near(s.Median, 99*24*time.Hour+12*time.Hour) || !near(s.P90, 179*24*time.Hour+24*time.Hour/10) {
		t.Errorf("median %v p90 %v, want 99d12h and 179d2h24m", *s.Median, *s.P90)
	}
}

// TestHistogramBound checks the stated relative error against the exact
// percentiles of the same random durations.
func TestHistogramBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Durations
	var all []time.Duration
	for i := 0; i < 20000; i++ {
		// 1 ms to about 340 years, log-uniform, capped at 146 years
		// before the conversion (a float beyond MaxInt64 does not convert).
		d := time.Duration(min(math.Exp(rng.Float64()*30)*1e6, math.MaxInt64/2))
		if i%50 == 0 {
			d = 0
		}
		h.Add(d)
		all = append(all, d)
	}
	slices.Sort(all)
	s := h.Summary()
	if s.RelativeError != RelativeError {
		t.Fatalf("RelativeError = %v", s.RelativeError)
	}
	for _, c := range []struct {
		p   float64
		got time.Duration
	}{{0.5, s.Median.Std()}, {0.9, s.P90.Std()}} {
		want, _ := stats.Percentile(all, c.p)
		if math.Abs(float64(c.got)-want) > RelativeError*want+1 {
			t.Errorf("p%.0f = %d, exact %.0f: beyond %.1f%%", c.p*100, c.got, want, RelativeError*100)
		}
	}
	var sum float64
	for _, d := range all {
		sum += float64(d)
	}
	if mean := sum / float64(len(all)); math.Abs(float64(*s.Mean)-mean) > 1e-9*mean {
		t.Errorf("mean = %d, want %.0f", *s.Mean, mean)
	}
	if len(h.counts) > Buckets {
		t.Errorf("%d counters", len(h.counts))
	}
}

// TestSplitInvariance: any split, merged in any order, gives the same
// summary, across the exact/histogram switch.
func TestSplitInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, ExactMax - 1, ExactMax, ExactMax + 1, 1000} {
		ds := make([]time.Duration, n)
		for i := range ds {
			ds[i] = time.Duration(rng.Int64N(int64(90 * 24 * time.Hour)))
			if i%3 == 0 && i > 0 {
				ds[i] = ds[i-1] // repeated values too
			}
		}
		var ref Durations
		for _, d := range ds {
			ref.Add(d)
		}
		want, _ := json.Marshal(ref.Summary())
		for round := 0; round < 20; round++ {
			parts := make([]Durations, 1+rng.IntN(5))
			for _, i := range rng.Perm(n) {
				parts[rng.IntN(len(parts))].Add(ds[i])
			}
			for len(parts) > 1 {
				k := rng.IntN(len(parts) - 1)
				b, _ := json.Marshal(&parts[k+1])
				var dec Durations
				if err := json.Unmarshal(b, &dec); err != nil {
					t.Fatal(err)
				}
				if err := parts[k].Merge(&dec); err != nil {
					t.Fatal(err)
				}
				parts = slices.Delete(parts, k+1, k+2)
			}
			if got, _ := json.Marshal(parts[0].Summary()); string(got) != string(want) {
				t.Fatalf("n=%d round %d: %s, want %s", n, round, got, want)
			}
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := map[string]string{
		"negative n":              `{"n":-1,"seconds":0,"nanos":0}`,
		"nanos out of range":      `{"n":1,"seconds":0,"nanos":1000000000,"values":[1000000000],"counts":[1]}`,
		"sum without values":      `{"n":0,"seconds":5,"nanos":0}`,
		"counts and n differ":     `{"n":2,"seconds":1,"nanos":0,"values":[1000000000],"counts":[1]}`,
		"sum is tampered":         `{"n":1,"seconds":2,"nanos":0,"values":[1000000000],"counts":[1]}`,
		"negative value":          `{"n":1,"seconds":0,"nanos":0,"values":[-5],"counts":[1]}`,
		"values out of order":     `{"n":2,"seconds":3,"nanos":0,"values":[2000000000,1000000000],"counts":[1,1]}`,
		"repeated value":          `{"n":2,"seconds":2,"nanos":0,"values":[1000000000,1000000000],"counts":[1,1]}`,
		"zero count":              `{"n":1,"seconds":1,"nanos":0,"values":[1000000000,2000000000],"counts":[1,0]}`,
		"counts missing":          `{"n":1,"seconds":1,"nanos":0,"values":[1000000000]}`,
		"both modes":              `{"n":2,"seconds":1,"nanos":0,"values":[1000000000],"counts":[1],"zeros":1}`,
		"no values at all":        `{"n":3,"seconds":0,"nanos":0}`,
		"bucket far out":          `{"n":200,"seconds":0,"nanos":0,"buckets":[[5000,200]]}`,
		"negative bucket":         `{"n":200,"seconds":0,"nanos":0,"buckets":[[-1,200]]}`,
		"buckets out of order":    `{"n":2,"seconds":0,"nanos":2,"buckets":[[1,1],[0,1]]}`,
		"counts do not add up":    `{"n":300,"seconds":0,"nanos":0,"zeros":200,"buckets":[[0,50]]}`,
		"negative bucket count":   `{"n":200,"seconds":0,"nanos":0,"zeros":300,"buckets":[[0,-100]]}`,
		"sum outside buckets":     `{"n":200,"seconds":999999,"nanos":0,"zeros":200}`,
		"a bucket with one count": `{"n":1,"seconds":0,"nanos":1,"buckets":[[0]]}`,
		"overflowing exact sum":   `{"n":2,"seconds":0,"nanos":0,"values":[9223372036854775807],"counts":[2]}`,
		"unknown field":           `{"n":0,"seconds":0,"nanos":0,"extra":1}`,
		"wrong type":              `{"n":"1"}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			var h Durations
			h.Add(7)
			if err := json.Unmarshal([]byte(in), &h); err == nil {
				t.Fatalf("accepted %s", in)
			}
			if h.n != 1 || h.vals[0] != 7 {
				t.Error("a refused decode changed the receiver")
			}
		})
	}
}

// TestStateForms pins the two JSON forms: exact values with counts, and
// sparse [bucket, count] pairs.
func TestStateForms(t *testing.T) {
	var h Durations
	h.Add(time.Second)
	h.Add(time.Second)
	h.Add(3 * time.Second)
	b, _ := json.Marshal(&h)
	if string(b) != `{"n":3,"seconds":5,"nanos":0,"values":[1000000000,3000000000],"counts":[2,1]}` {
		t.Errorf("exact state %s", b)
	}
	var g Durations
	for i := 0; i <= ExactMax; i++ { // ExactMax+1 distinct values: 0 ns, then 1 ns, 2 ns, ...
		g.Add(time.Duration(i))
	}
	b, _ = json.Marshal(&g)
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	// 1 ns is bucket 0 (log 1 = 0); every later bucket is non-empty and
	// increasing; the zero duration is counted apart.
	if st.Zeros != 1 || len(st.Values) != 0 || st.Buckets[0] != [2]int64{0, 1} {
		t.Errorf("histogram state %s", b)
	}
	var total int64 = st.Zeros
	for _, bc := range st.Buckets {
		total += bc[1]
	}
	if total != ExactMax+1 {
		t.Errorf("buckets count %d, want %d", total, ExactMax+1)
	}
	var back Durations
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if b2, _ := json.Marshal(&back); string(b2) != string(b) {
		t.Errorf("round trip changed the state:\n%s\n%s", b, b2)
	}
}

func TestMergeOverflow(t *testing.T) {
	a := Durations{n: math.MaxInt64 - 1, hist: true, zeros: math.MaxInt64 - 1}
	b := Durations{n: 2, hist: true, zeros: 2}
	if err := a.Merge(&b); err == nil {
		t.Fatal("overflow accepted")
	}
	if a.n != math.MaxInt64-1 {
		t.Error("a refused merge changed the receiver")
	}
}

// FuzzDecode: whatever decodes must summarize and merge without panicking
// and give a consistent summary.
func FuzzDecode(f *testing.F) {
	var h Durations
	for i := 0; i < 300; i++ {
		h.Add(time.Duration(i) * time.Minute)
	}
	b, _ := json.Marshal(&h)
	f.Add(b)
	var small Durations
	small.Add(time.Hour)
	b, _ = json.Marshal(&small)
	f.Add(b)
	f.Add([]byte(`{"n":200,"seconds":0,"nanos":0,"buckets":[[4360,100],[4367,100]]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Durations
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		s := d.Summary()
		if s.Count < 0 || (s.Count > 0 && (*s.Median < 0 || *s.P90 < *s.Median || *s.Mean < 0)) {
			t.Fatalf("inconsistent summary %+v from %s", s, b)
		}
		c := d
		c.vals, c.cnts, c.counts = slices.Clone(d.vals), slices.Clone(d.cnts), slices.Clone(d.counts)
		_ = d.Merge(&c)
		_ = d.Summary()
		if strings.Contains(string(b), "NaN") {
			t.Fatal("NaN decoded")
		}
	})
}
