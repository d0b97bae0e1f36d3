package rules

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// ParseDuration parses a duration as rule authors write it: a sequence of
// decimal numbers each followed by a unit, where the units are "w" (7 days
// of 24 hours), "d" (24 hours), "h", "m", "s" and "ms". "30d", "2w",
// "1w3d", "36h" and "1.5d" are valid; an optional leading "-" negates.
// Days and weeks are absolute spans of 24 and 168 hours: a rule window
// is elapsed time, not calendar days.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	if s == "" {
		return 0, errors.New("empty duration")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return 0, fmt.Errorf("invalid duration %q", orig)
	}
	var total float64
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 || strings.Count(s[:i], ".") > 1 || s[:i] == "." {
			return 0, fmt.Errorf("invalid duration %q: want a number followed by w, d, h, m, s or ms, as in \"30d\"", orig)
		}
		num, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", orig)
		}
		s = s[i:]
		j := 0
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		var unit time.Duration
		switch s[:j] {
		case "w":
			unit = 7 * 24 * time.Hour
		case "d":
			unit = 24 * time.Hour
		case "h":
			unit = time.Hour
		case "m":
			unit = time.Minute
		case "s":
			unit = time.Second
		case "ms":
			unit = time.Millisecond
		case "":
			return 0, fmt.Errorf("invalid duration %q: missing unit (w, d, h, m, s or ms)", orig)
		default:
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (want w, d, h, m, s or ms)", orig, s[:j])
		}
		s = s[j:]
		total += num * float64(unit)
		if total > math.MaxInt64 {
			return 0, fmt.Errorf("invalid duration %q: too long", orig)
		}
	}
	d := time.Duration(total)
	if neg {
		d = -d
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
	return t, nil
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
// mail domain (gmail.com, yahoo.*, hotmail.*, outlook.com, ...): a signal
// that the lead did not give a work address. An address without "@" is
// not free mail.
func FreeEmail(email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	d := strings.ToLower(strings.TrimSpace(email[at+1:]))
	// Country variants of the big providers: yahoo.co.uk, hotmail.fr, ...
	for _, p := range [...]string{"yahoo.", "hotmail.", "live.", "gmx.", "web.de", "yandex.", "googlemail."} {
		if strings.HasPrefix(d, p) {
			return true
		}
	}
	switch d {
	case "gmail.com", "outlook.com", "aol.com", "icloud.com", "me.com", "mac.com",
		"msn.com", "mail.com", "proton.me", "protonmail.com", "zoho.com",
		"mail.ru", "qq.com", "163.com", "126.com", "gmx.net", "ymail.com",
		"fastmail.com", "hey.com", "tutanota.com", "orange.fr", "free.fr",
		"t-online.de", "libero.it", "rediffmail.com":
		return true
	}
	return false
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
