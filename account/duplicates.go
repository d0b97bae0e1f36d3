package account

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/leadkit/leadkit/lead"
)

// DuplicateKind says why leads are duplicates.
type DuplicateKind string

// The kinds of duplicate.
const (
	// SameEmail: the addresses are equal once normalised (case, and for
	// the providers that ignore them, "+tags" and dots).
	SameEmail DuplicateKind = "same_email"
	// SamePerson: the same person's name at the same account.
	SamePerson DuplicateKind = "same_person"
)

// Duplicate is one group of leads that are the same person.
type Duplicate struct {
	// Kind says which test found the group.
	Kind DuplicateKind `json:"kind"`
	// Key is what the leads share: the normalised email, or the account
	// and normalised person name ("acme.com / jane doe").
	Key string `json:"key"`
	// LeadIDs are the leads, in input order; at least two.
	LeadIDs []string `json:"lead_ids"`
	// Reason explains the finding in words.
	Reason string `json:"reason"`
}

// plusProviders ignore "+tag" in the local part; dotProviders ignore dots
// as well. googlemail.com is gmail.com.
var (
	plusProviders = map[string]bool{
		"gmail.com": true, "outlook.com": true, "hotmail.com": true, "live.com": true,
		"icloud.com": true, "me.com": true, "mac.com": true, "protonmail.com": true,
		"proton.me": true, "fastmail.com": true, "yandex.ru": true,
	}
	dotProviders = map[string]bool{"gmail.com": true}
)

// NormalizeEmail returns the address in the form its mailbox is known
// by: lower case with a normalised domain; for providers that deliver
// "jane+news@" to "jane@" (gmail.com, outlook.com, icloud.com, ...) the
// "+tag" removed, and for gmail.com (and googlemail.com, which is the
// same) the dots of the local part removed. It returns "" for an address
// without a local part or a usable domain. Other domains keep their
// "+tags" and dots: whether they ignore them is not known.
func NormalizeEmail(email string) string {
	if len(email) > maxInput {
		return ""
	}
	email = strings.TrimSpace(email)
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return ""
	}
	d := EmailDomain(email)
	if d == "" {
		return ""
	}
	if d == "googlemail.com" {
		d = "gmail.com"
	}
	local := strings.ToLower(email[:at])
	if plusProviders[d] {
		if i := strings.IndexByte(local, '+'); i > 0 {
			local = local[:i]
		}
	}
	if dotProviders[d] {
		local = strings.ReplaceAll(local, ".", "")
	}
	if local == "" || strings.ContainsFunc(local, unicode.IsSpace) {
		return "" // no mailbox, or white space in it: not an address
	}
	if e := local + "@" + d; len(e) <= maxInput {
		return e
	}
	return ""
}

// normalizePerson is a person's name for comparison: lower case, accents
// folded, punctuation dropped, one space between words.
func normalizePerson(name string) string {
	if len(name) > maxInput {
		return ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(strings.ToValidUTF8(name, " ")) {
		switch {
		case r == '.' || r == '\'' || r == '’':
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r > 127 && (r >= 'à' && r <= 'ž'):
			b.WriteString(foldRune(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// AccountOf returns the account key of a lead without an account list:
// the normalised company domain, else the email domain unless it is free
// mail, else "name:" and the normalised company name; "" when the lead
// has none of them. It is the key Definition uses when its Key is empty.
func AccountOf(l *lead.Lead) string {
	if l == nil {
		return ""
	}
	if d := NormalizeDomain(l.Company.Domain); d != "" {
		return d
	}
	if d := EmailDomain(l.Person.Email); d != "" && !freeMailOf(l.Person.Email, d) {
		return d
	}
	if n := NormalizeName(l.Company.Name); n != "" {
		return "name:" + n
	}
	return ""
}

// FindDuplicates finds the leads that are the same person, in two ways:
// the same normalised email (see NormalizeEmail), and the same normalised
// person name at the same account. The account is the Matcher's when m is
// non-nil and matches the lead, and AccountOf otherwise. A group of the
// second kind whose leads all share one email is not repeated. Groups are
// ordered by their first lead's position in leads. Nil leads (a nil
// slice) give no duplicates. Memory grows with the number of leads.
func FindDuplicates(leads []lead.Lead, m *Matcher) []Duplicate {
	type group struct {
		key   string
		first int
		idx   []int
	}
	collect := func(keyOf func(i int) string) []group {
		pos := map[string]int{}
		var gs []group
		for i := range leads {
			k := keyOf(i)
			if k == "" {
				continue
			}
			if j, ok := pos[k]; ok {
				gs[j].idx = append(gs[j].idx, i)
				continue
			}
			pos[k] = len(gs)
			gs = append(gs, group{key: k, first: i, idx: []int{i}})
		}
		return slices.DeleteFunc(gs, func(g group) bool { return len(g.idx) < 2 })
	}
	emails := make([]string, len(leads))
	for i := range leads {
		emails[i] = NormalizeEmail(leads[i].Person.Email)
	}
	var out []Duplicate
	type found struct {
		first int
		d     Duplicate
	}
	var all []found
	for _, g := range collect(func(i int) string { return emails[i] }) {
		raw := make([]string, len(g.idx))
		ids := make([]string, len(g.idx))
		for k, i := range g.idx {
			raw[k] = leads[i].Person.Email
			ids[k] = leads[i].ID
		}
		reason := fmt.Sprintf("addresses %s are all %s", quoteList(raw), g.key)
		if plusProviders[strings.SplitN(g.key, "@", 2)[1]] {
			reason += " (the provider ignores case, +tags"
			if dotProviders[strings.SplitN(g.key, "@", 2)[1]] {
				reason += " and dots"
			}
			reason += ")"
		} else {
			reason += " ignoring case"
		}
		all = append(all, found{g.first, Duplicate{Kind: SameEmail, Key: g.key, LeadIDs: ids, Reason: reason}})
	}
	accountOf := func(i int) string {
		if m != nil {
			if mt := m.MatchLead(&leads[i]); mt.AccountID != "" {
				return "account " + mt.AccountID
			}
		}
		return AccountOf(&leads[i])
	}
	for _, g := range collect(func(i int) string {
		p := normalizePerson(leads[i].Person.Name)
		if p == "" {
			return ""
		}
		a := accountOf(i)
		if a == "" {
			return ""
		}
		return a + " / " + p
	}) {
		ids := make([]string, len(g.idx))
		sameEmail := true
		for k, i := range g.idx {
			ids[k] = leads[i].ID
			if emails[i] == "" || emails[i] != emails[g.idx[0]] {
				sameEmail = false
			}
		}
		if sameEmail {
			continue
		}
		acct, person, _ := strings.Cut(g.key, " / ")
		reason := fmt.Sprintf("the same person %q at %s", person, acct)
		all = append(all, found{g.first, Duplicate{Kind: SamePerson, Key: g.key, LeadIDs: ids, Reason: reason}})
	}
	slices.SortStableFunc(all, func(a, b found) int { return a.first - b.first })
	for _, f := range all {
		out = append(out, f.d)
	}
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
