package account

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// Account is one account of the host's account list: a company that
// leads are matched to.
type Account struct {
	// ID identifies the account in the host's system. Required, unique.
	ID string `json:"id"`
	// Name is the company's name.
	Name string `json:"name,omitempty"`
	// Domains are the company's web and mail domains ("acme.com",
	// "acme.co.uk"); URLs and "www." forms are accepted.
	Domains []string `json:"domains,omitempty"`
}

// Method says which signal matched a lead to an account.
type Method string

// The matching methods, strongest first.
const (
	ByEmailDomain   Method = "email_domain"
	ByWebsiteDomain Method = "website_domain"
	ByName          Method = "name"
)

// The score of a match by each method, and the factor a match on a parent
// domain ("eu.acme.com" to "acme.com") is worth.
const (
	ScoreEmailDomain   = 1.0
	ScoreWebsiteDomain = 0.9
	ScoreName          = 0.7
	parentFactor       = 0.95
)

// Candidate is one account a lead may belong to.
type Candidate struct {
	// AccountID is the account's ID.
	AccountID string `json:"account_id"`
	// Method is the signal that found it.
	Method Method `json:"method"`
	// Score is the match's strength in (0, 1]: 1 for the lead's email
	// domain, 0.9 for its company's website domain, 0.7 for its company's
	// name, times 0.95 for a match on a parent domain.
	Score float64 `json:"score"`
	// Reason explains the match in words ("email domain acme.com =
	// account domain").
	Reason string `json:"reason"`
}

// Match is the result of matching one lead. Exactly one of three cases
// holds: matched (AccountID set, Candidates has that one candidate),
// ambiguous (Ambiguous true, AccountID empty, Candidates lists the
// accounts that tie, best first) or unmatched (both empty; Reason says
// why).
type Match struct {
	// AccountID is the account the lead belongs to; empty when unmatched
	// or ambiguous.
	AccountID string `json:"account_id,omitempty"`
	// Score and Reason are the chosen candidate's; for an ambiguous or
	// unmatched lead Reason says why no account was chosen.
	Score  float64 `json:"score,omitempty"`
	Reason string  `json:"reason"`
	// Ambiguous is true when several accounts match equally well.
	Ambiguous bool `json:"ambiguous,omitempty"`
	// Candidates are the accounts considered at the deciding step.
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Matcher matches leads to a fixed list of accounts. Build it once with
// NewMatcher; it is immutable and safe for concurrent use.
type Matcher struct {
	ids      []string
	byDomain map[string][]int32
	byName   map[string][]int32
}

// MaxAccounts is the largest account list NewMatcher accepts.
const MaxAccounts = 1 << 30

// NewMatcher indexes accounts by normalised domain and normalised name.
// Every problem is reported at once as *leadkit.Error values with their
// path ("[3].id"): an empty or repeated ID, a domain that does not
// normalise. Two accounts may share a domain or a name: leads that match
// both are reported as ambiguous. A nil or empty list gives a Matcher
// that matches nothing.
func NewMatcher(accounts []Account) (*Matcher, error) {
	if len(accounts) > MaxAccounts {
		return nil, fmt.Errorf("account: %d accounts; at most %d", len(accounts), MaxAccounts)
	}
	m := &Matcher{
		ids:      make([]string, len(accounts)),
		byDomain: make(map[string][]int32, len(accounts)),
		byName:   make(map[string][]int32, len(accounts)),
	}
	seen := make(map[string]int, len(accounts))
	var errs []error
	for i, a := range accounts {
		p := fmt.Sprintf("[%d]", i)
		switch j, dup := seen[a.ID]; {
		case a.ID == "":
			errs = append(errs, leadkit.Errorf(p+".id", "account id is required"))
		case dup:
			errs = append(errs, leadkit.Errorf(p+".id", "account id %q repeats [%d]", a.ID, j))
		default:
			seen[a.ID] = i
		}
		m.ids[i] = a.ID
		for k, d := range a.Domains {
			n := NormalizeDomain(d)
			if n == "" {
				errs = append(errs, leadkit.Errorf(fmt.Sprintf("%s.domains[%d]", p, k), "%q is not a domain", d))
				continue
			}
			if l := m.byDomain[n]; len(l) == 0 || l[len(l)-1] != int32(i) {
				m.byDomain[n] = append(l, int32(i))
			}
		}
		if k := nameKey(a.Name); k != "" {
			m.byName[k] = append(m.byName[k], int32(i))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// Len returns the number of accounts; 0 for a nil Matcher.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.ids)
}

// domainLookup finds d or, failing that, its parent domains down to two
// labels (three for a two-letter second level such as "co.uk").
func (m *Matcher) domainLookup(d string) (hits []int32, at string, parent bool) {
	for cur := d; ; {
		if l := m.byDomain[cur]; len(l) > 0 {
			return l, cur, cur != d
		}
		i := strings.IndexByte(cur, '.')
		next := cur[i+1:]
		labels := strings.Count(next, ".") + 1
		if labels < 2 || labels == 2 && isSecondLevel(next) {
			return nil, "", false
		}
		cur = next
	}
}

// isSecondLevel reports whether d ("co.uk", "com.au") looks like a
// public second-level domain, which is never an organisation's domain.
func isSecondLevel(d string) bool {
	sld, tld, _ := strings.Cut(d, ".")
	if len(tld) != 2 {
		return false
	}
	switch sld {
	case "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go":
		return true
	}
	return false
}

// MatchLead matches one lead: by the domain of its email address (never a
// free-mail domain), then by its company's website domain, then by its
// company's normalised name. The first signal that finds accounts
// decides; when it finds several, the later signals narrow them down and
// a single survivor is chosen, with both reasons; otherwise the lead is
// ambiguous and its candidates are listed. A nil Matcher or lead gives an
// unmatched Match.
func (m *Matcher) MatchLead(l *lead.Lead) Match {
	if m == nil || l == nil {
		return Match{Reason: "no lead or no accounts"}
	}
	// The steps are computed lazily: a unique match by email domain
	// needs neither the website domain nor the name.
	type step struct {
		method Method
		hits   []int32
		signal string // the normalised domain or the name
		at     string // the account domain when a parent matched
	}
	free := ""
	next := 0 // the next step to compute
	nextStep := func() (step, bool) {
		for next < 3 {
			next++
			switch next {
			case 1:
				ed := EmailDomain(l.Person.Email)
				if ed == "" {
					continue
				}
				if freeMailOf(l.Person.Email, ed) {
					free = ed
					continue
				}
				if hits, at, parent := m.domainLookup(ed); len(hits) > 0 {
					st := step{method: ByEmailDomain, hits: hits, signal: ed}
					if parent {
						st.at = at
					}
					return st, true
				}
			case 2:
				wd := NormalizeDomain(l.Company.Domain)
				if wd == "" {
					continue
				}
				if hits, at, parent := m.domainLookup(wd); len(hits) > 0 {
					st := step{method: ByWebsiteDomain, hits: hits, signal: wd}
					if parent {
						st.at = at
					}
					return st, true
				}
			case 3:
				if k := nameKey(l.Company.Name); k != "" {
					if hits := m.byName[k]; len(hits) > 0 {
						return step{method: ByName, hits: hits, signal: l.Company.Name}, true
					}
				}
			}
		}
		return step{}, false
	}
	reason := func(s step) (string, float64) {
		switch {
		case s.method == ByName:
			return fmt.Sprintf("company name %q = account name (normalised %q)", s.signal, NormalizeName(s.signal)), ScoreName
		case s.method == ByEmailDomain && s.at == "":
			return "email domain " + s.signal + " = account domain", ScoreEmailDomain
		case s.method == ByEmailDomain:
			return "email domain " + s.signal + " is under account domain " + s.at, ScoreEmailDomain * parentFactor
		case s.at == "":
			return "company domain " + s.signal + " = account domain", ScoreWebsiteDomain
		}
		return "company domain " + s.signal + " is under account domain " + s.at, ScoreWebsiteDomain * parentFactor
	}
	first, ok := nextStep()
	if !ok {
		r := "no account has the lead's email domain, company domain or company name"
		if free != "" {
			r = "email domain " + free + " is free mail; " + r
		}
		return Match{Reason: r}
	}
	firstReason, score := reason(first)
	cands := first.hits
	reasons := []string{firstReason}
	for len(cands) > 1 {
		s, ok := nextStep()
		if !ok {
			break
		}
		if narrowed := intersect(cands, s.hits); len(narrowed) > 0 {
			cands = narrowed
			r, _ := reason(s)
			reasons = append(reasons, r)
		}
	}
	if len(cands) == 1 {
		id := m.ids[cands[0]]
		r := strings.Join(reasons, "; ")
		return Match{AccountID: id, Score: score, Reason: r,
			Candidates: []Candidate{{AccountID: id, Method: first.method, Score: score, Reason: r}}}
	}
	out := Match{Ambiguous: true, Reason: fmt.Sprintf("%s matches %d accounts", firstReason, len(cands))}
	for _, c := range cands {
		out.Candidates = append(out.Candidates, Candidate{AccountID: m.ids[c], Method: first.method, Score: score, Reason: firstReason})
	}
	slices.SortFunc(out.Candidates, func(a, b Candidate) int { return strings.Compare(a.AccountID, b.AccountID) })
	return out
}

// intersect returns the elements of a also in b; both are in increasing
// order.
func intersect(a, b []int32) []int32 {
	var out []int32
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}
