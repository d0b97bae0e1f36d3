package lead

import (
	"sort"
	"strings"
)

// CountryCode returns the ISO 3166-1 alpha-2 code of the country that s
// names, and whether it knows the country. It reads:
//   - alpha-2 codes ("DE", "de"), and "UK" for GB;
//   - alpha-3 codes ("DEU");
//   - English names: the ISO short name, its common and official forms
//     ("Germany", "Korea, Republic of", "South Korea", "Bolivia"), and
//     common short forms ("USA", "UK", "Holland", "Ivory Coast");
//   - native names in the country's main languages ("Deutschland",
//     "Österreich", "España", "Schweiz", "Suisse", "日本", "Россия"), with
//     or without their accents ("Osterreich").
//
// Case, surrounding white space, punctuation (".,'’()-/"), repeated
// spaces and a leading "the" are ignored: "the Netherlands", "U.S.A."
// and "korea (republic of)" are found. The names come from Debian's
// iso-codes tables; [Mapping] lets a host add its own.
//
// Regions that are not countries ("Europe", "EMEA") and ambiguous forms
// ("Korea", "Congo" is the Republic of the Congo as in ISO 3166) are
// not guessed: CountryCode returns false, or the ISO reading.
func CountryCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 2 || len(s) == 3 {
		if code, ok := countryFromCode(s); ok {
			return code, true
		}
	}
	k := countryKey(s)
	i := sort.Search(len(countryNames), func(i int) bool { return countryNames[i][0] >= k })
	if i < len(countryNames) && countryNames[i][0] == k {
		return countryNames[i][1], true
	}
	return "", false
}

// countryFromCode reads an alpha-2 or alpha-3 code in any case.
func countryFromCode(s string) (string, bool) {
	var b [3]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			return "", false
		}
		b[i] = c
	}
	code := string(b[:len(s)])
	if code == "UK" {
		return "GB", true
	}
	if len(code) == 2 {
		i := sort.Search(len(countryCodes), func(i int) bool { return countryCodes[i][0] >= code })
		if i < len(countryCodes) && countryCodes[i][0] == code {
			return code, true
		}
		return "", false
	}
	for _, c := range countryCodes {
		if c[1] == code {
			return c[0], true
		}
	}
	return "", false
}

// countryKey folds a name as the table's keys are folded: lower case,
// the punctuation .,'’()-/ as spaces, "&" as "and", single spaces, no
// leading "the".
func countryKey(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '.', ',', '\'', '’', '(', ')', '-', '/', ' ', '\t', '\u00a0':
			space = true
			continue
		case '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimPrefix(b.String(), "the ")
}
