package rules

import (
	"fmt"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// MaxDuration is the longest duration [ParseDuration] accepts: 36,525
// days (100 years of 365.25 days). No scoring window or half-life is
// longer, and a bound far inside time.Duration's ±292 years keeps a
// duration from overflowing the arithmetic a rule does with it.
const MaxDuration = 36525 * 24 * time.Hour

// ParseDuration parses a duration as rule authors write it, in
// leadkit's one duration form ([leadkit.ParseDuration]): decimal numbers
// each followed by a unit, where "w" is 7 days of 24 hours and "d" 24
// hours. "30d", "2w", "1w3d", "36h" and "1.5d" are valid; an optional
// leading "-" negates. A rule window is elapsed time, not calendar days.
// A duration longer than [MaxDuration] is an error, so a rule's time
// arithmetic cannot overflow.
func ParseDuration(s string) (time.Duration, error) {
	d, err := leadkit.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d > MaxDuration || d < -MaxDuration {
		return 0, fmt.Errorf("invalid duration %q: longer than %v", s, leadkit.Duration(MaxDuration))
	}
	return d, nil
}

// parseDate parses "2006-01-02" (midnight UTC) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want \"2006-01-02\" or RFC 3339 (\"2006-01-02T15:04:05Z\")", s)
	}
	// time.Parse gives an offset that matches the host's zone the
	// host's Location: UTC keeps the value independent of TZ.
	return t.UTC(), nil
}

// DaysSince returns the elapsed days from t to now: (now − t) in hours
// divided by 24 (negative when t is after now). Far-apart times saturate
// at about ±106,751 days, the range of time.Duration.
func DaysSince(now, t time.Time) float64 {
	return now.Sub(t).Hours() / 24
}

// IContains reports whether sub occurs in s, ignoring case (Unicode simple
// folding). It does not allocate for ASCII input.
func IContains(s, sub string) bool {
	if sub == "" {
		return true
	}
	if isASCII(s) && isASCII(sub) {
		n := len(sub)
		for i := 0; i+n <= len(s); i++ {
			if asciiEqualFold(s[i:i+n], sub) {
				return true
			}
		}
		return false
	}
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// FreeEmail reports whether the email address is on a free or consumer
// mail domain ([lead.FreeMailDomain]): a signal that the lead did not
// give a work address. An address without "@" is not free mail.
func FreeEmail(email string) bool {
	at := strings.LastIndexByte(email, '@')
	return at >= 0 && lead.FreeMailDomain(email[at+1:])
}

// pow10 holds the powers of ten that float64 represents exactly.
func pow10(e int32) float64 {
	return [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}[e]
}

// DecimalFloat converts d to the nearest float64, like d.Float64(), but
// without allocating for the common case of a coefficient of at most 15
// digits scaled by a positive power of ten (a revenue stored as
// 119893 × 10^3): the product of two exactly represented numbers rounded
// once is the correctly rounded result.
func DecimalFloat(d decimal.Decimal) float64 {
	if e := d.Exponent(); e > 0 && e <= 22 && d.NumDigits() <= 15 {
		return float64(d.CoefficientInt64()) * pow10(e)
	}
	f, _ := d.Float64()
	return f
}
