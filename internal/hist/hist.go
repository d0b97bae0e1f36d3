// Package hist holds the bounded-memory duration histogram behind every
// leadkit duration summary (kpi's sales cycle, funnel's stage times,
// sla's response times).
//
// A [Durations] keeps exact counts per distinct duration while it has
// seen at most [ExactMax] distinct values, and a logarithmic histogram
// beyond that, so its memory is bounded whatever the number of durations:
// at most [Buckets] counters. Data with few distinct values (whole days,
// whole minutes) stays exact at any volume. Which of the two a set ends
// in depends only on its set of distinct values, so the same durations
// added in any order and split over any number of merged histograms give
// the identical summary.
package hist

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
)

// ExactMax is the largest number of distinct durations counted exactly.
const ExactMax = 256

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
	n   int64
	sec int64 // the exact sum is sec seconds + ns nanoseconds,
	ns  int64 // with 0 ≤ ns < 1e9
	// Exact mode: the distinct durations in increasing order and how
	// many times each was added (len(vals) ≤ ExactMax).
	vals []time.Duration
	cnts []int64
	// Histogram mode (hist true): zero durations and the dense bucket
	// counts, counts[i] counting bucket base+i.
	hist   bool
	zeros  int64
	base   int32
	counts []int64
}

// Len returns the number of durations added.
func (h *Durations) Len() int64 { return h.n }

// Add adds d. A negative d, or one whose count or sum would overflow, is
// not added and Add returns false.
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
	if !h.hist {
		i, found := slices.BinarySearch(h.vals, d)
		if found {
			h.cnts[i]++
			return true
		}
		if len(h.vals) < ExactMax {
			h.vals = slices.Insert(h.vals, i, d)
			h.cnts = slices.Insert(h.cnts, i, 1)
			return true
		}
		h.toHistogram()
	}
	h.put(d, 1)
	return true
}

// toHistogram moves the exact counts into buckets.
func (h *Durations) toHistogram() {
	vals, cnts := h.vals, h.cnts
	h.vals, h.cnts, h.hist = nil, nil, true
	for i, v := range vals {
		h.put(v, cnts[i])
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
	if !h.hist && !o.hist {
		if vals, cnts, ok := union(h.vals, h.cnts, o.vals, o.cnts); ok {
			h.vals, h.cnts = vals, cnts
			return nil
		}
	}
	if !h.hist {
		h.toHistogram()
	}
	for i, v := range o.vals {
		h.put(v, o.cnts[i])
	}
	h.zeros += o.zeros
	for i, c := range o.counts {
		if c != 0 {
			h.count(o.base+int32(i), c)
		}
	}
	return nil
}

// union merges two sorted distinct-value lists with their counts, or
// reports false when the union holds more than ExactMax values.
func union(av []time.Duration, ac []int64, bv []time.Duration, bc []int64) ([]time.Duration, []int64, bool) {
	vals := make([]time.Duration, 0, len(av)+len(bv))
	cnts := make([]int64, 0, len(av)+len(bv))
	i, j := 0, 0
	for i < len(av) || j < len(bv) {
		switch {
		case j == len(bv) || (i < len(av) && av[i] < bv[j]):
			vals, cnts = append(vals, av[i]), append(cnts, ac[i])
			i++
		case i == len(av) || bv[j] < av[i]:
			vals, cnts = append(vals, bv[j]), append(cnts, bc[j])
			j++
		default: // equal; the counts cannot overflow: their sum is at most n
			vals, cnts = append(vals, av[i]), append(cnts, ac[i]+bc[j])
			i++
			j++
		}
		if len(vals) > ExactMax {
			return nil, nil, false
		}
	}
	return vals, cnts, true
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
	med, p90 := h.percentile(0.5), h.percentile(0.9)
	if h.hist {
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

// percentile applies stats.Percentile's definition (linear interpolation
// between closest ranks) to the exact values or to the bucket
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

// valueAt returns the value of 0-based rank r, or its bucket's
// representative in histogram mode.
func (h *Durations) valueAt(r int64) float64 {
	if !h.hist {
		for i, c := range h.cnts {
			if r < c {
				return float64(h.vals[i])
			}
			r -= c
		}
		return 0 // unreachable: decoding checks that the counts add up to n
	}
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

// state is the JSON form of a Durations: exact, the distinct values and
// their counts; otherwise the zero count and the non-empty buckets as
// [index, count] pairs in increasing index order.
type state struct {
	N       int64           `json:"n"`
	Seconds int64           `json:"seconds"`
	Nanos   int64           `json:"nanos"`
	Values  []time.Duration `json:"values,omitempty"`
	Counts  []int64         `json:"counts,omitempty"`
	Zeros   int64           `json:"zeros,omitempty"`
	Buckets [][2]int64      `json:"buckets,omitempty"`
}

// MarshalJSON encodes the histogram's state.
func (h Durations) MarshalJSON() ([]byte, error) {
	st := state{N: h.n, Seconds: h.sec, Nanos: h.ns, Values: h.vals, Counts: h.cnts, Zeros: h.zeros}
	for i, c := range h.counts {
		if c != 0 {
			st.Buckets = append(st.Buckets, [2]int64{int64(h.base) + int64(i), c})
		}
	}
	return json.Marshal(st)
}

// UnmarshalJSON decodes and checks a state written by MarshalJSON: any
// inconsistency (a negative count or duration, counts that do not add up
// to n, values out of order, buckets out of range or order, a mode that
// the values do not call for, a sum that does not fit the durations) is
// an error and leaves h unchanged.
func (h *Durations) UnmarshalJSON(b []byte) error {
	var s state
	if err := jsonstrict.DecodeState(b, &s); err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	if err := s.check(); err != nil {
		return err
	}
	d := Durations{n: s.N, sec: s.Seconds, ns: s.Nanos, vals: s.Values, cnts: s.Counts,
		hist: s.Zeros != 0 || len(s.Buckets) != 0}
	if d.hist {
		d.zeros = s.Zeros
		for _, bc := range s.Buckets {
			d.count(int32(bc[0]), bc[1])
		}
	}
	*h = d
	return nil
}

func (s *state) check() error {
	switch {
	case s.N < 0 || s.Seconds < 0 || s.Nanos < 0 || s.Nanos >= 1e9 || s.Zeros < 0:
		return fmt.Errorf("histogram: negative or out-of-range total (n %d, seconds %d, nanos %d, zeros %d)", s.N, s.Seconds, s.Nanos, s.Zeros)
	case s.N == 0 && (s.Seconds != 0 || s.Nanos != 0 || len(s.Values) != 0 || s.Zeros != 0 || len(s.Buckets) != 0):
		return errors.New("histogram: durations or a sum without a count")
	case s.N == 0:
		return nil
	}
	exact := len(s.Values) > 0
	if exact == (s.Zeros != 0 || len(s.Buckets) != 0) {
		return errors.New("histogram: want either exact values or buckets")
	}
	if exact {
		return s.checkExact()
	}
	return s.checkBuckets()
}

func (s *state) checkExact() error {
	if len(s.Values) > ExactMax || len(s.Counts) != len(s.Values) {
		return fmt.Errorf("histogram: %d exact values with %d counts (at most %d)", len(s.Values), len(s.Counts), ExactMax)
	}
	// The sum of count × value, exactly, as seconds and nanoseconds.
	var total, sec, ns int64
	for i, v := range s.Values {
		c := s.Counts[i]
		switch {
		case v < 0:
			return fmt.Errorf("histogram: negative duration %d", v)
		case i > 0 && v <= s.Values[i-1]:
			return errors.New("histogram: exact values out of order or repeated")
		case c <= 0 || total > math.MaxInt64-c:
			return errors.New("histogram: a zero, negative or overflowing count")
		}
		total += c
		vs, vn := int64(v/time.Second), int64(v%time.Second)
		hi, lo := bits.Mul64(uint64(c), uint64(vs))
		if hi != 0 || lo > math.MaxInt64 || sec > math.MaxInt64-int64(lo) {
			return errors.New("histogram: the sum overflows")
		}
		sec += int64(lo)
		// c × vn < 2^63 × 1e9, so its high word is below 1e9 and the
		// division cannot overflow.
		hi, lo = bits.Mul64(uint64(c), uint64(vn))
		q, r := bits.Div64(hi, lo, 1e9)
		if q > math.MaxInt64 || sec > math.MaxInt64-int64(q) {
			return errors.New("histogram: the sum overflows")
		}
		sec += int64(q)
		ns += int64(r)
		if ns >= 1e9 {
			ns -= 1e9
			sec++
		}
	}
	if total != s.N {
		return fmt.Errorf("histogram: counts add up to %d, not n %d", total, s.N)
	}
	if sec != s.Seconds || ns != s.Nanos {
		return errors.New("histogram: the sum does not match the values")
	}
	return nil
}

func (s *state) checkBuckets() error {
	if len(s.Values) != 0 || len(s.Counts) != 0 {
		return errors.New("histogram: exact values and buckets at once")
	}
	total := s.Zeros
	var lo, hi float64 // the least and most the buckets' durations can sum to
	for i, bc := range s.Buckets {
		b, c := bc[0], bc[1]
		switch {
		case b < 0 || b >= Buckets:
			return fmt.Errorf("histogram: bucket %d outside 0..%d", b, Buckets-1)
		case i > 0 && b <= s.Buckets[i-1][0]:
			return errors.New("histogram: buckets out of order or repeated")
		case c <= 0 || total > math.MaxInt64-c:
			return errors.New("histogram: a zero, negative or overflowing bucket count")
		}
		total += c
		// bucket b holds durations in (γ^(b−1), γ^b]
		lo += float64(c) * math.Exp(float64(b-1)*logGamma)
		hi += float64(c) * math.Exp(float64(b)*logGamma)
	}
	if total != s.N {
		return fmt.Errorf("histogram: bucket counts add up to %d, not n %d", total, s.N)
	}
	sum := float64(s.Seconds)*1e9 + float64(s.Nanos)
	if sum < lo*(1-1e-9)-1 || sum > hi*(1+1e-9)+1 {
		return errors.New("histogram: the sum does not fit the buckets")
	}
	return nil
}
