package funnel

import (
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/stats"
)

// HistogramRelativeError bounds the relative error of the medians and
// p90s reported in [TimingHistogram] mode: each is within 0.5% of the
// exact figure (for a 30-day median, about 3.6 hours).
//
// Durations are counted in buckets (γ^(i−1), γ^i] nanoseconds with
// γ = (1+α)/(1−α), α = 0.005, and each bucket is represented by
// 2γ^i/(γ+1), which is within α of every value in it. A percentile
// interpolates between the representatives of the two closest ranks,
// which keeps the bound. Zero durations are counted exactly.
const HistogramRelativeError = 0.005

// HistogramBuckets is the largest number of buckets one histogram can
// hold: the positive durations up to the longest time.Duration (about 292
// years) span this many buckets, whatever the number of leads.
const HistogramBuckets = 4368

var logGamma = math.Log((1 + HistogramRelativeError) / (1 - HistogramRelativeError))

func bucketOf(d time.Duration) int32 { return int32(math.Ceil(math.Log(float64(d)) / logGamma)) }

func bucketValue(i int32) float64 {
	g := math.Exp(logGamma)
	return 2 * math.Exp(float64(i)*logGamma) / (g + 1)
}

// TimingState holds the durations from a stage to the next for one cell.
type TimingState struct {
	// N counts the durations.
	N int64 `json:"n"`
	// Seconds and Nanos sum the durations exactly: the total is
	// Seconds s + Nanos ns. Durations accumulate in Nanos, which moves
	// its whole seconds to Seconds before it could overflow, so the sum
	// cannot overflow for any realistic number of leads. Nanos is never
	// negative.
	Seconds int64 `json:"seconds"`
	Nanos   int64 `json:"nanos"`
	// Values holds every duration (exact mode), in no particular order,
	// in chunks: appending to chunks never copies what is already stored,
	// which a single growing slice would do over and over. Any chunking
	// is valid.
	Values [][]time.Duration `json:"values,omitempty"`
	// Zeros counts zero durations (histogram mode).
	Zeros int64 `json:"zeros,omitempty"`
	// Buckets counts positive durations by logarithmic bucket (histogram
	// mode): Buckets[i] counts bucket Base+i, see
	// [HistogramRelativeError]. It never holds more than
	// [HistogramBuckets] counts.
	Base    int32   `json:"base,omitempty"`
	Buckets []int64 `json:"buckets,omitempty"`
}

// Chunk sizes of TimingState.Values: the first chunk of a cell holds 32
// durations and each next one twice as many, up to 8192 (64 KiB), so
// small cells stay small and big ones waste at most one chunk.
const (
	firstChunk = 32
	maxChunk   = 8192
)

func (t *TimingState) add(d time.Duration, mode TimingMode) {
	t.N++
	if t.Nanos > math.MaxInt64-int64(d) {
		t.normalize()
		t.Seconds += int64(d / time.Second)
		d %= time.Second
	}
	t.Nanos += int64(d)
	if mode == TimingExact {
		k := len(t.Values) - 1
		if k < 0 || len(t.Values[k]) == cap(t.Values[k]) {
			size := firstChunk
			if k >= 0 {
				size = min(2*cap(t.Values[k]), maxChunk)
			}
			t.Values = append(t.Values, make([]time.Duration, 0, size))
			k++
		}
		t.Values[k] = append(t.Values[k], d)
		return
	}
	if d == 0 {
		t.Zeros++
		return
	}
	t.count(bucketOf(d), 1)
}

// count adds n to bucket b, widening the dense bucket range as needed
// with some slack (within the HistogramBuckets possible buckets), so a
// range that grows bucket by bucket is not copied every time.
func (t *TimingState) count(b int32, n int64) {
	if len(t.Buckets) == 0 {
		t.Base = b
		t.Buckets = append(t.Buckets[:0], 0)
	}
	if b < t.Base || int(b-t.Base) >= len(t.Buckets) {
		slack := int32(max(16, len(t.Buckets)/2))
		lo, hi := t.Base, t.Base+int32(len(t.Buckets)) // [lo, hi)
		if b < lo {
			lo = max(0, b-slack)
		} else {
			hi = min(HistogramBuckets, b+1+slack)
		}
		wide := make([]int64, hi-lo)
		copy(wide[t.Base-lo:], t.Buckets)
		t.Base, t.Buckets = lo, wide
	}
	t.Buckets[b-t.Base] += n
}

// normalize moves the whole seconds of Nanos to Seconds.
func (t *TimingState) normalize() {
	t.Seconds += t.Nanos / int64(time.Second)
	t.Nanos %= int64(time.Second)
}

func (t *TimingState) merge(o *TimingState) {
	t.N += o.N
	t.normalize()
	t.Seconds += o.Seconds + o.Nanos/int64(time.Second)
	t.Nanos += o.Nanos % int64(time.Second)
	// Clipped, the chunks are shared without copying: neither side can
	// append into the other's spare capacity, and stored values are never
	// modified.
	for _, c := range o.Values {
		if len(c) > 0 {
			t.Values = append(t.Values, slices.Clip(c))
		}
	}
	t.Zeros += o.Zeros
	for i, v := range o.Buckets {
		if v != 0 {
			t.count(o.Base+int32(i), v)
		}
	}
}

// Timing summarises the time from a stage to the next. When N is zero
// the figures are undefined and nil (JSON null). In JSON the durations
// are integers in nanoseconds, as encoding/json writes a time.Duration.
type Timing struct {
	// N counts the leads timed.
	N int64 `json:"n"`
	// Median and P90 are percentiles by linear interpolation between
	// closest ranks (numpy's default, Excel's PERCENTILE.INC), rounded to
	// the nanosecond.
	Median *time.Duration `json:"median"`
	P90    *time.Duration `json:"p90"`
	// Mean is the arithmetic mean, rounded to the nanosecond.
	Mean *time.Duration `json:"mean"`
	// Approximate reports whether Median and P90 come from a histogram
	// ([TimingHistogram]); they are then within [HistogramRelativeError]
	// of the exact figures.
	Approximate bool `json:"approximate,omitempty"`
}

// summary computes the Timing of t; it does not modify t.
func (t *TimingState) summary(mode TimingMode) Timing {
	out := Timing{N: t.N, Approximate: mode == TimingHistogram}
	if t.N == 0 {
		return out
	}
	// The canonical split (0 ≤ Nanos < 1s) makes the mean the same
	// whatever the order the durations were added or merged in.
	c := *t
	c.normalize()
	mean := dur(float64(c.Seconds)/float64(t.N)*1e9 + float64(c.Nanos)/float64(t.N))
	out.Mean = &mean
	var med, p90 float64
	if mode == TimingExact {
		all := slices.Concat(t.Values...)
		slices.Sort(all)
		med, _ = stats.Percentile(all, 0.5)
		p90, _ = stats.Percentile(all, 0.9)
	} else {
		med, p90 = t.histPercentile(0.5), t.histPercentile(0.9)
	}
	m, p := dur(med), dur(p90)
	out.Median, out.P90 = &m, &p
	return out
}

func dur(ns float64) time.Duration {
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(math.Round(ns))
}

// histPercentile applies the same definition as stats.Percentile to the
// bucket representatives: the rank h = (N−1)·p falls between the values
// of ranks ⌊h⌋ and ⌊h⌋+1, and the result interpolates linearly between
// their representatives.
func (t *TimingState) histPercentile(p float64) float64 {
	h := float64(t.N-1) * p
	lo := int64(math.Floor(h))
	frac := h - float64(lo)
	a := t.histValue(lo)
	if frac == 0 || lo+1 >= t.N {
		return a
	}
	b := t.histValue(lo + 1)
	return a + frac*(b-a)
}

// histValue returns the representative of the value of 0-based rank r.
func (t *TimingState) histValue(r int64) float64 {
	if r < t.Zeros {
		return 0
	}
	r -= t.Zeros
	for i, n := range t.Buckets {
		if r < n {
			return bucketValue(t.Base + int32(i))
		}
		r -= n
	}
	return 0 // unreachable when N matches the counts
}
