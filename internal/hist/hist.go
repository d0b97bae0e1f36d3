// Package hist holds the bounded-memory duration histogram behind every
// leadkit duration summary (kpi's sales cycle, funnel's stage times,
// sla's response times).
//
// A [Durations] keeps the exact values while it holds at most [ExactMax]
// of them, and a logarithmic histogram beyond that, so its memory is
// bounded whatever the number of durations: at most [Buckets] counters.
// Which of the two a set ends in depends only on its size, so the same
// durations added in any order and split over any number of merged
// histograms give the identical summary.
package hist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/stats"
)

// ExactMax is the largest number of durations kept exactly.
const ExactMax = 128

// RelativeError bounds the relative error of a percentile taken from the
// histogram: each is within 0.5% of the exact figure (for a 30-day
// median, about 3.6 hours).
//
// Positive durations are counted in buckets (γ^(i−1), γ^i] nanoseconds
// with γ = (1+α)/(1−α), α = 0.005, and each bucket is represented by
// 2γ^i/(γ+1), which is within α of every value in it. A percentile
// interpolates between the representatives of the two closest ranks,
// which keeps the bound. Zero durations are counted exactly.
const RelativeError = 0.005

// Buckets is the number of buckets that the positive time.Duration
// values span: a histogram never holds more counters than this.
const Buckets = 4368

var logGamma = math.Log((1 + RelativeError) / (1 - RelativeError))

func bucketOf(d time.Duration) int32 {
	return min(int32(math.Ceil(math.Log(float64(d))/logGamma)), Buckets-1)
}

func bucketValue(i int32) float64 {
	g := math.Exp(logGamma)
	return 2 * math.Exp(float64(i)*logGamma) / (g + 1)
}

// Durations is a mergeable summary of non-negative durations. The zero
// value is empty and ready to use. It is not safe for concurrent
// mutation.
type Durations struct {
	n      int64
	sec    int64           // the exact sum is sec seconds + ns nanoseconds,
	ns     int64           // with 0 ≤ ns < 1e9
	values []time.Duration // exact mode: n == len(values) ≤ ExactMax
	zeros  int64           // histogram mode: zero durations
	base   int32           // histogram mode: buckets[i] counts bucket base+i
	counts []int64
}

// Len returns the number of durations added.
func (h *Durations) Len() int64 { return h.n }

// Add adds d. A negative d is not added and Add returns false.
func (h *Durations) Add(d time.Duration) bool {
	if d < 0 || h.n == math.MaxInt64 || h.sec > math.MaxInt64-int64(d/time.Second)-1 {
		return false
	}
	h.n++
	h.ns += int64(d % time.Second)
	h.sec += int64(d / time.Second)
	if h.ns >= 1e9 {
		h.ns -= 1e9
		h.sec++
	}
	if h.isExact() && len(h.values) < ExactMax {
		h.values = append(h.values, d)
		return true
	}
	h.toHistogram()
	h.put(d, 1)
	return true
}

func (h *Durations) isExact() bool { return h.counts == nil && h.zeros == 0 }

// toHistogram moves the exact values into buckets.
func (h *Durations) toHistogram() {
	vs := h.values
	h.values = nil
	for _, v := range vs {
		h.put(v, 1)
	}
}

func (h *Durations) put(d time.Duration, n int64) {
	if d == 0 {
		h.zeros += n
		return
	}
	h.count(bucketOf(d), n)
}

// count adds n to bucket b, widening the dense range with some slack so
// a range that grows bucket by bucket is not copied every time.
func (h *Durations) count(b int32, n int64) {
	if len(h.counts) == 0 {
		h.base = b
		h.counts = []int64{0}
	}
	if b < h.base || int(b-h.base) >= len(h.counts) {
		slack := int32(max(16, len(h.counts)/2))
		lo, hi := h.base, h.base+int32(len(h.counts))
		if b < lo {
			lo = max(0, b-slack)
		} else {
			hi = min(Buckets, b+1+slack)
		}
		wide := make([]int64, hi-lo)
		copy(wide[h.base-lo:], h.counts)
		h.base, h.counts = lo, wide
	}
	h.counts[b-h.base] += n
}

// ErrOverflow is returned by Merge when a count would overflow.
var ErrOverflow = errors.New("count overflows int64")

// Merge adds the durations of o to h. It returns ErrOverflow, and
// changes nothing, when the merged count or sum would overflow. o is not
// modified and shares no memory with h afterwards.
func (h *Durations) Merge(o *Durations) error {
	if o.n == 0 {
		return nil
	}
	if h.n > math.MaxInt64-o.n || h.sec > math.MaxInt64-o.sec-1 {
		return ErrOverflow
	}
	h.n += o.n
	h.sec += o.sec
	h.ns += o.ns
	if h.ns >= 1e9 {
		h.ns -= 1e9
		h.sec++
	}
	if h.isExact() && o.isExact() && len(h.values)+len(o.values) <= ExactMax {
		h.values = append(h.values, o.values...)
		return nil
	}
	h.toHistogram()
	for _, v := range o.values {
		h.put(v, 1)
	}
	h.zeros += o.zeros
	for i, c := range o.counts {
		if c != 0 {
			h.count(o.base+int32(i), c)
		}
	}
	return nil
}

// Summary returns the summary of the durations added. It does not modify
// h.
func (h *Durations) Summary() leadkit.DurationSummary {
	s := leadkit.DurationSummary{Count: h.n}
	if h.n == 0 {
		return s
	}
	mean := leadkit.Duration(dur(float64(h.sec)/float64(h.n)*1e9 + float64(h.ns)/float64(h.n)))
	s.Mean = &mean
	var med, p90 float64
	if h.isExact() {
		all := slices.Clone(h.values)
		slices.Sort(all)
		med, _ = stats.Percentile(all, 0.5)
		p90, _ = stats.Percentile(all, 0.9)
	} else {
		med, p90 = h.percentile(0.5), h.percentile(0.9)
		s.RelativeError = RelativeError
	}
	m, p := leadkit.Duration(dur(med)), leadkit.Duration(dur(p90))
	s.Median, s.P90 = &m, &p
	return s
}

func dur(ns float64) time.Duration {
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= 0:
		return 0
	}
	return time.Duration(math.Round(ns))
}

// percentile applies stats.Percentile's definition to the bucket
// representatives: rank h = (n−1)·p falls between ranks ⌊h⌋ and ⌊h⌋+1.
func (h *Durations) percentile(p float64) float64 {
	r := float64(h.n-1) * p
	lo := int64(math.Floor(r))
	frac := r - float64(lo)
	a := h.valueAt(lo)
	if frac == 0 || lo+1 >= h.n {
		return a
	}
	return a + frac*(h.valueAt(lo+1)-a)
}

// valueAt returns the representative of the value of 0-based rank r.
func (h *Durations) valueAt(r int64) float64 {
	if r < h.zeros {
		return 0
	}
	r -= h.zeros
	for i, c := range h.counts {
		if r < c {
			return bucketValue(h.base + int32(i))
		}
		r -= c
	}
	return 0 // unreachable: decoding checks that the counts add up to n
}

// state is the JSON form of a Durations.
type state struct {
	N       int64           `json:"n"`
	Seconds int64           `json:"seconds"`
	Nanos   int64           `json:"nanos"`
	Values  []time.Duration `json:"values,omitempty"`
	Zeros   int64           `json:"zeros,omitempty"`
	Base    int32           `json:"base,omitempty"`
	Counts  []int64         `json:"counts,omitempty"`
}

// MarshalJSON encodes the histogram's state.
func (h Durations) MarshalJSON() ([]byte, error) {
	return json.Marshal(state{h.n, h.sec, h.ns, h.values, h.zeros, h.base, h.counts})
}

// UnmarshalJSON decodes and checks a state written by MarshalJSON: any
// inconsistency (a negative count or duration, counts that do not add up
// to n, buckets out of range, more exact values than ExactMax, both
// modes at once, a sum that does not fit the durations) is an error and
// leaves h unchanged.
func (h *Durations) UnmarshalJSON(b []byte) error {
	var s state
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return err
	}
	if err := s.check(); err != nil {
		return err
	}
	*h = Durations{n: s.N, sec: s.Seconds, ns: s.Nanos, values: s.Values, zeros: s.Zeros, base: s.Base, counts: s.Counts}
	if len(h.counts) == 0 {
		h.counts, h.base = nil, 0
	}
	return nil
}

func (s *state) check() error {
	switch {
	case s.N < 0 || s.Seconds < 0 || s.Nanos < 0 || s.Nanos >= 1e9 || s.Zeros < 0:
		return fmt.Errorf("histogram: negative or out-of-range total (n %d, seconds %d, nanos %d, zeros %d)", s.N, s.Seconds, s.Nanos, s.Zeros)
	case s.N == 0 && (s.Seconds != 0 || s.Nanos != 0):
		return errors.New("histogram: a sum without durations")
	}
	if len(s.Values) > 0 {
		if s.Zeros != 0 || len(s.Counts) != 0 {
			return errors.New("histogram: exact values and buckets at once")
		}
		if len(s.Values) > ExactMax || int64(len(s.Values)) != s.N {
			return fmt.Errorf("histogram: %d exact values for n %d (at most %d)", len(s.Values), s.N, ExactMax)
		}
		var sec, ns int64
		for _, v := range s.Values {
			if v < 0 {
				return fmt.Errorf("histogram: negative duration %d", v)
			}
			sec += int64(v / time.Second) // ≤ 128 × 9.3e9: cannot overflow
			ns += int64(v % time.Second)
		}
		sec += ns / 1e9
		if sec != s.Seconds || ns%1e9 != s.Nanos {
			return errors.New("histogram: the sum does not match the values")
		}
		return nil
	}
	if s.Base < 0 || int64(s.Base)+int64(len(s.Counts)) > Buckets {
		return fmt.Errorf("histogram: buckets %d..%d outside 0..%d", s.Base, int64(s.Base)+int64(len(s.Counts)), Buckets)
	}
	total := s.Zeros
	for _, c := range s.Counts {
		if c < 0 || total > math.MaxInt64-c {
			return errors.New("histogram: a negative or overflowing bucket count")
		}
		total += c
	}
	if total != s.N {
		return fmt.Errorf("histogram: bucket counts add up to %d, not n %d", total, s.N)
	}
	if s.N > 0 && s.N <= ExactMax {
		return fmt.Errorf("histogram: %d durations must be held exactly (up to %d)", s.N, ExactMax)
	}
	// The sum must lie within what the buckets allow: bucket i holds
	// durations in (γ^(i−1), γ^i].
	var lo, hi float64
	for i, c := range s.Counts {
		b := float64(s.Base) + float64(i)
		lo += float64(c) * math.Exp((b-1)*logGamma)
		hi += float64(c) * math.Exp(b*logGamma)
	}
	sum := float64(s.Seconds)*1e9 + float64(s.Nanos)
	if sum < lo*(1-1e-9)-1 || sum > hi*(1+1e-9)+1 {
		return errors.New("histogram: the sum does not fit the buckets")
	}
	return nil
}
