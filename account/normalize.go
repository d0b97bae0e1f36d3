package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leadkit/leadkit/lead"
)

// maxInput bounds the length of a name, domain or email that is
// normalised: a longer one, in or out, has no normalised form (""), so
// normalisation of hostile input stays linear and small, and cutting
// never makes it give different answers for its own output.
const maxInput = 512

// mailLabels are the leading labels NormalizeDomain strips: web and mail
// host names in front of the organisation's domain.
var mailLabels = map[string]bool{
	"www": true, "www1": true, "www2": true, "www3": true, "mail": true, "mail2": true,
	"email": true, "e-mail": true, "webmail": true, "smtp": true, "mx": true,
	"mx1": true, "mx2": true, "imap": true, "pop": true, "pop3": true, "exchange": true,
	"owa": true, "outlook": true,
}

// NormalizeDomain returns the organisation's domain in d, a domain, a
// URL or an email address: lower case, without scheme, path, port,
// trailing dot or user part, and without leading web and mail host labels
// ("www.", "mail.", "smtp.", ...) as long as two labels remain, so
// "https://WWW.Acme.com/about", "mail.acme.com" and "jo@acme.com" all give
// "acme.com" while "mail.com" stays "mail.com". It returns "" when d holds
// no usable domain (no dot, an empty label, a space or control character).
func NormalizeDomain(d string) string {
	if len(d) > maxInput {
		return ""
	}
	d = strings.TrimSpace(d)
	if i := strings.Index(d, "://"); i >= 0 {
		d = d[i+3:]
	} else {
		d = strings.TrimPrefix(d, "//")
	}
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		d = d[:i]
	}
	if i := strings.LastIndexByte(d, '@'); i >= 0 {
		d = d[i+1:]
	}
	if i := strings.IndexByte(d, ':'); i >= 0 {
		d = d[:i]
	}
	d = strings.TrimSuffix(d, ".")
	if d == "" || !utf8.ValidString(d) {
		return "" // checked before lowercasing, which would turn bad bytes into U+FFFD
	}
	if hasUpper(d) {
		d = strings.ToLower(d)
		if len(d) > maxInput { // a few runes grow when lowered
			return ""
		}
	}
	for _, r := range d {
		if r <= ' ' || unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`,;"'<>()[]\`, r) {
			return ""
		}
	}
	if d[0] == '.' || d[len(d)-1] == '.' || strings.Contains(d, "..") || !strings.Contains(d, ".") {
		return "" // an empty label ("0.." too: one trailing dot is the DNS root, two are not), or a single one
	}
	// Strip leading web and mail host labels while two labels remain
	// (three under a public second level such as co.uk).
	for {
		first, rest, _ := strings.Cut(d, ".")
		labels := strings.Count(rest, ".") + 1
		if labels < 2 || !mailLabels[first] || labels == 2 && isSecondLevel(rest) {
			return d
		}
		d = rest
	}
}

// hasUpper reports whether s has an upper-case letter (or any non-ASCII
// byte, which ToLower may change).
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// EmailDomain returns the normalised domain of an email address, or ""
// when the address has no "@" or no usable domain.
func EmailDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || at == len(email)-1 {
		return ""
	}
	return NormalizeDomain(email[at+1:])
}

// IsFreeMail reports whether the email address (or bare domain) is on a
// free or consumer mail provider ([lead.FreeMailDomain], the same list as
// the scoring helper free_email). Its domain says nothing about the
// person's company.
func IsFreeMail(emailOrDomain string) bool {
	return lead.FreeMailDomain(emailOrDomain[strings.LastIndexByte(emailOrDomain, '@')+1:])
}

// legalSuffixes are the legal-form words NormalizeName drops from the end
// of a name (after punctuation is removed: "L.L.C." is "llc").
var legalSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "ltd": true, "limited": true,
	"corp": true, "corporation": true, "co": true, "company": true, "cos": true,
	"gmbh": true, "ag": true, "kg": true, "kgaa": true, "se": true, "sa": true, "sas": true,
	"sarl": true, "srl": true, "spa": true, "bv": true, "nv": true, "plc": true,
	"pty": true, "pte": true, "oy": true, "oyj": true, "ab": true, "as": true, "asa": true,
	"aps": true, "kk": true, "llp": true, "lp": true, "pllc": true, "pc": true, "lda": true,
	"sl": true, "ug": true, "na": true,
}

// abbreviations maps common abbreviations and variants of a word to one
// form, so "Intl Paper" and "International Paper" normalise alike.
var abbreviations = map[string]string{
	"intl": "international", "natl": "national",
	"mfg": "manufacturing", "mfrs": "manufacturers", "svc": "services", "svcs": "services",
	"service": "services", "tech": "technologies", "technology": "technologies",
	"sys": "systems", "grp": "group", "assoc": "associates", "bros": "brothers",
	"ctr": "center", "centre": "center", "univ": "university", "mgmt": "management",
	"dept": "department", "labs": "laboratories", "lab": "laboratories",
	"solns": "solutions", "hldgs": "holdings",
}

// foldRune maps accented Latin letters to their base letter; it returns
// the rune itself otherwise.
func foldRune(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'č', 'ć':
		return "c"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ě':
		return "e"
	case 'ì', 'í', 'î', 'ï':
		return "i"
	case 'ñ', 'ń':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o"
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ß':
		return "ss"
	case 'š', 'ś':
		return "s"
	case 'ž', 'ź', 'ż':
		return "z"
	case 'ł':
		return "l"
	case 'ř':
		return "r"
	case 'œ':
		return "oe"
	}
	return string(r)
}

// webSuffixes are endings of names such as "Amazon.com" that are part of
// a domain, not of the company's name.
var webSuffixes = []string{".com", ".net", ".org", ".io", ".co"}

// NormalizeName returns a company name in a form where spelling variants
// of one company agree: lower case, accents folded ("Nestlé" is
// "nestle"), "&" and "+" written "and", apostrophes and dots dropped ("U.S."
// is "us", "L'Oréal" is "loreal"), other punctuation a space, a trailing
// ".com" dropped, runs of single letters joined ("u s bank" is "us bank"),
// common abbreviations expanded ("intl" is "international", "mfg"
// "manufacturing", "tech" "technologies"), a leading "the" and trailing
// legal forms ("inc", "llc", "gmbh", "s.a.", "pty ltd", "& co") removed.
// Words are separated by one space. It returns "" for a name with no
// letter or digit. Acronyms are not expanded: "IBM" and "International
// Business Machines" stay different.
func NormalizeName(name string) string {
	n := strings.Join(nameWords(name), " ")
	if len(n) > maxInput { // "&" becomes "and": the output can outgrow the input
		return ""
	}
	return n
}

// nameKey is the matching key of a name: its normalised words without
// spaces, so "Linked In" and "LinkedIn" agree.
func nameKey(name string) string {
	return strings.Join(nameWords(name), "")
}

func nameWords(name string) []string {
	if len(name) > maxInput {
		return nil
	}
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, " ")
	}
	low := strings.ToLower(strings.TrimSpace(name))
	for _, s := range webSuffixes {
		if t, ok := strings.CutSuffix(low, s); ok && t != "" {
			low = t
			break
		}
		if i := strings.Index(low, s+","); i > 0 {
			low = low[:i] + low[i+len(s):]
			break
		}
	}
	var b strings.Builder
	b.Grow(len(low))
	for _, r := range low {
		switch {
		case r == '&' || r == '+':
			b.WriteString(" and ")
		case r == '\'' || r == '’' || r == '.' || r == '`':
			// dropped: "U.S." is "us", "McDonald's" is "mcdonalds"
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(foldRune(r))
		default:
			b.WriteByte(' ')
		}
	}
	raw := strings.Fields(b.String())
	// Join runs of single letters: "u s bank" -> "us bank".
	words := raw[:0]
	for i := 0; i < len(raw); i++ {
		w := raw[i]
		if utf8.RuneCountInString(w) == 1 {
			j := i + 1
			for j < len(raw) && utf8.RuneCountInString(raw[j]) == 1 {
				w += raw[j]
				j++
			}
			i = j - 1
		}
		words = append(words, w)
	}
	for i, w := range words {
		if a, ok := abbreviations[w]; ok {
			words[i] = a
		}
	}
	for len(words) > 1 && words[0] == "the" { // "The The Band" too: idempotent
		words = words[1:]
	}
	for len(words) > 1 {
		last := words[len(words)-1]
		if legalSuffixes[last] || last == "and" {
			words = words[:len(words)-1]
			continue
		}
		break
	}
	return words
}

// freeMailOf reports whether email, whose normalised domain is d, is on a
// free-mail provider, without allocating when the address's domain is
// already d.
func freeMailOf(email, d string) bool {
	if at := strings.LastIndexByte(email, '@'); at >= 0 && lead.FreeMailDomain(email[at+1:]) {
		return true
	}
	return !strings.HasSuffix(email, "@"+d) && IsFreeMail(d)
}
