package leadkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration whose JSON form is a string that people
// write and read: "30d", "2w", "36h", "1d12h", "90m", "1.5h". It is the
// one duration form of every leadkit definition.
//
// The units are ns, us (or µs), ms, s, m, h, d (24 hours) and w (7 × 24
// hours); a day here is 24 hours of elapsed time, not a calendar date.
// Components may carry a decimal fraction and may be combined
// ("1d12h30m"). The zero Duration is zero and encodes as "0s".
type Duration time.Duration

// ErrDurationRange is returned (wrapped) for a duration that does not fit
// a time.Duration, about ±292 years.
var ErrDurationRange = errors.New("duration out of range (about ±292 years)")

// unitNanos maps the units ParseDuration accepts to nanoseconds.
var unitNanos = map[string]uint64{
	"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9,
	"m": 60e9, "h": 3600e9, "d": 24 * 3600e9, "w": 7 * 24 * 3600e9,
}

// ParseDuration parses a duration string such as "30d", "-1.5h" or
// "1d12h". It accepts Go's time.ParseDuration syntax plus the units d
// (24 h) and w (7 d). It returns an error for an empty string, a missing
// or unknown unit, and a value out of range ([ErrDurationRange]); it
// never wraps around.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return 0, fmt.Errorf("invalid duration %q: want a number followed by a unit, as in \"30d\"", orig)
	}
	var total uint64
	for s != "" {
		// The number: digits, an optional fraction.
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		whole := s[:i]
		s = s[i:]
		frac := ""
		if s != "" && s[0] == '.' {
			s = s[1:]
			i = 0
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			frac = s[:i]
			s = s[i:]
		}
		if whole == "" && frac == "" {
			return 0, fmt.Errorf("invalid duration %q: want a number followed by a unit, as in \"30d\"", orig)
		}
		// The unit: everything up to the next digit or dot.
		i = 0
		for i < len(s) && s[i] != '.' && (s[i] < '0' || s[i] > '9') {
			i++
		}
		u := s[:i]
		s = s[i:]
		unit, ok := unitNanos[u]
		if !ok {
			if u == "" {
				return 0, fmt.Errorf("invalid duration %q: missing unit (ns, us, ms, s, m, h, d, w)", orig)
			}
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (ns, us, ms, s, m, h, d, w)", orig, u)
		}
		v, err := component(whole, frac, unit)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: %w", orig, err)
		}
		if total > math.MaxUint64-v {
			return 0, fmt.Errorf("invalid duration %q: %w", orig, ErrDurationRange)
		}
		total += v
	}
	if neg {
		if total > 1<<63 {
			return 0, fmt.Errorf("invalid duration %q: %w", orig, ErrDurationRange)
		}
		return -time.Duration(total-1) - 1, nil // -(1<<63) without overflow
	}
	if total > math.MaxInt64 {
		return 0, fmt.Errorf("invalid duration %q: %w", orig, ErrDurationRange)
	}
	return time.Duration(total), nil
}

// component returns whole.frac × unit nanoseconds, truncated toward zero,
// or ErrDurationRange when it exceeds 1<<63.
func component(whole, frac string, unit uint64) (uint64, error) {
	const limit = 1 << 63
	var w uint64
	for _, c := range []byte(whole) {
		if w > limit/10 {
			return 0, ErrDurationRange
		}
		w = w*10 + uint64(c-'0')
		if w > limit {
			return 0, ErrDurationRange
		}
	}
	if w > limit/unit {
		return 0, ErrDurationRange
	}
	v := w * unit
	// The fraction: f / 10^k of a unit, kept exact while 10^k stays small.
	var f, scale uint64 = 0, 1
	for _, c := range []byte(frac) {
		if scale > 1e18/10 { // further digits are below a nanosecond's reach
			break
		}
		f = f*10 + uint64(c-'0')
		scale *= 10
	}
	if f > 0 {
		// f × unit / scale without overflowing: unit ≤ 6.048e14, f < scale ≤ 1e18.
		hi, lo := bits.Mul64(f, unit)
		q, _ := bits.Div64(hi, lo, scale) // hi < scale since f < scale
		v += q
		if v > limit {
			return 0, ErrDurationRange
		}
	}
	return v, nil
}

// String formats d in the form ParseDuration reads back exactly: whole
// days as "30d", other durations as days followed by Go's form without
// trailing zero units ("1d12h", "1h32m", "45.5s"), and zero as "0s".
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	if d < 0 {
		if d == math.MinInt64 {
			return "-" + strconv.FormatUint(1<<63, 10) + "ns"
		}
		return "-" + (-d).String()
	}
	const day = 24 * time.Hour
	days := time.Duration(d) / day
	rest := time.Duration(d) % day
	var b strings.Builder
	if days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10))
		b.WriteByte('d')
	}
	if rest > 0 {
		s := rest.String()
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
		b.WriteString(s)
	}
	return b.String()
}

// MarshalText encodes d as its String form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses d with ParseDuration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON accepts only a JSON string (a number of nanoseconds is
// refused: it is the form this type exists to replace, and it hides
// mistakes such as 30 meaning 30 ns).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"30d\" or \"36h\", not %s", b)
	}
	return d.UnmarshalText([]byte(s))
}

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// MustParseDuration is ParseDuration for literals in tests, examples and
// Go-built definitions: it returns the Duration, and panics, quoting s,
// when s does not parse. Use ParseDuration for input.
func MustParseDuration(s string) Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic("leadkit: MustParseDuration(" + strconv.Quote(s) + "): " + err.Error())
	}
	return Duration(d)
}
