package account_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/lead"
)

// TestRealWorldPairs matches a lead against a one-account list for each
// of real-world name and domain spellings. The expected answer is what a
// person would say; the comment gives the normalised forms that decide it.
func TestRealWorldPairs(t *testing.T) {
	type pair struct {
		lead, acct string
		match      bool
		why        string
	}
	names := []pair{
		{"US Bank", "U.S. Bank", true, "us bank = us bank (dots dropped)"},
		{"U.S Bank", "US bank", true, "fleetdm/fleet#15144: us bank"},
		{"U. S. Bancorp", "US Bancorp", true, "single letters joined: us bancorp"},
		{"U.S. Bank N.A.", "US Bank", true, "n.a. (national association) is a legal form"},
		{"Apple Inc.", "Apple", true, "inc dropped"},
		{"Amazon.com, Inc.", "Amazon", true, ".com and inc dropped"},
		{"AT&T Inc.", "AT and T", true, "at and t"},
		{"Johnson & Johnson", "Johnson and Johnson", true, "& is and"},
		{"Procter & Gamble Co.", "Procter and Gamble Company", true, "procter and gamble"},
		{"Siemens AG", "Siemens", true, "ag dropped"},
		{"Robert Bosch GmbH", "Robert Bosch", true, "gmbh dropped"},
		{"Nestlé S.A.", "Nestle", true, "accent folded, sa dropped"},
		{"L'Oréal", "LOreal SA", true, "loreal"},
		{"Deutsche Bank AG", "Deutsche Bank", true, "deutsche bank"},
		{"ING Groep N.V.", "ING Groep", true, "nv dropped"},
		{"Toyota Motor Corporation", "Toyota Motor Corp.", true, "toyota motor"},
		{"BHP Group Limited", "BHP Group Ltd", true, "bhp group"},
		{"The Home Depot, Inc.", "Home Depot", true, "the and inc dropped"},
		{"Ernst & Young LLP", "Ernst and Young", true, "ernst and young"},
		{"PricewaterhouseCoopers LLP", "Price Waterhouse Coopers", true, "key ignores spaces: pricewaterhousecoopers"},
		{"Salesforce.com, Inc.", "Salesforce", true, "salesforce"},
		{"General Motors Company", "General Motors Co", true, "general motors"},
		{"Intl Paper", "International Paper Company", true, "intl is international"},
		{"Acme Mfg. Co.", "Acme Manufacturing Company", true, "mfg is manufacturing"},
		{"Wells Fargo & Company", "Wells Fargo & Co.", true, "trailing 'and co' dropped: wells fargo"},
		{"Banco Santander, S.A.", "Banco Santander", true, "banco santander"},
		{"SAP SE", "SAP", true, "se dropped"},
		{"Kraft Heinz Co", "The Kraft Heinz Company", true, "kraft heinz"},
		{"Linked In", "LinkedIn Corporation", true, "key ignores spaces: linkedin"},
		{"Acme Tech", "Acme Technologies Inc", true, "tech is technologies"},
		{"Unilever PLC", "Unilever N.V.", true, "unilever"},
		{"Marks & Spencer Group plc", "Marks and Spencer Group", true, "marks and spencer group"},
		{"Coca-Cola Co", "The Coca Cola Company", true, "hyphen is a space: cocacola"},
		{"3M Company", "3M", true, "3m"},
		{"H&M", "H and M", true, "h and m"},
		{"Société Générale S.A.", "Societe Generale", true, "societe generale"},
		{"Zürich Insurance Group AG", "Zurich Insurance Group", true, "zurich insurance group"},
		{"Atlassian Pty Ltd", "Atlassian", true, "pty and ltd dropped"},
		{"Dun & Bradstreet Holdings, Inc.", "Dun and Bradstreet", false, "holdings is part of the name (the parent, not the company)"},
		{"Dun & Bradstreet, Inc.", "Dun and Bradstreet", true, "dun and bradstreet"},
		{"McDonald's Corporation", "McDonalds", true, "apostrophe dropped"},
		{"General Motors", "General Mills", false, "different words"},
		{"Meta Platforms, Inc.", "Meta", false, "platforms is part of the name"},
		{"International Business Machines Corp.", "IBM", false, "acronyms are not expanded"},
		{"Volkswagen AG", "Volkswagen Group", false, "group is part of the name"},
		{"Sony Group Corporation", "Sony", false, "sony group vs sony"},
		{"H & M Hennes & Mauritz AB", "H&M", false, "longer name"},
		{"Commonwealth Bank of Australia", "Commonwealth Bank", false, "of australia is part of the name"},
		{"Fleet Device Management Inc", "Fleet", false, "fleet device management vs fleet"},
		{"American Express", "American Airlines", false, "different words"},
		{"Inc.", "Incorporated", false, "a lone legal word is kept: inc vs incorporated"},
	}
	domains := []pair{
		{"www.acme.com", "acme.com", true, "www stripped"},
		{"https://WWW.Acme.com/about?x=1", "acme.com", true, "scheme, path, case"},
		{"mail.acme.com", "acme.com", true, "mail host stripped"},
		{"ACME.COM.", "acme.com", true, "trailing dot"},
		{"acme.com:8080", "acme.com", true, "port"},
		{"eu.acme.com", "acme.com", true, "parent domain, score 0.9*0.95"},
		{"acme.co.uk", "acme.com", false, "different top-level domain"},
		{"acme.co.uk", "co.uk", false, "never climbs to a public second level"},
		{"acmecorp.com", "acme.com", false, "different domain"},
		{"www.mail.com", "mail.com", true, "mail.com keeps two labels"},
		{"notacme.com", "acme.com", false, "a suffix of the text is not a parent domain"},
	}
	for _, p := range names {
		m := mustMatcher(t, account.Account{ID: "a1", Name: p.acct})
		got := m.MatchLead(&lead.Lead{Company: lead.Company{Name: p.lead}})
		if (got.AccountID == "a1") != p.match {
			t.Errorf("name %q vs %q: got %+v; want match=%v (%s); normalised %q and %q",
				p.lead, p.acct, got, p.match, p.why, account.NormalizeName(p.lead), account.NormalizeName(p.acct))
		}
		if p.match && got.Score != account.ScoreName {
			t.Errorf("name %q: score %v; want %v", p.lead, got.Score, account.ScoreName)
		}
	}
	for _, p := range domains {
		m := mustMatcher(t, account.Account{ID: "a1", Domains: []string{p.acct}})
		got := m.MatchLead(&lead.Lead{Company: lead.Company{Domain: p.lead}})
		if (got.AccountID == "a1") != p.match {
			t.Errorf("domain %q vs %q: got %+v; want match=%v (%s)", p.lead, p.acct, got, p.match, p.why)
		}
	}
	if n := len(names) + len(domains); n < 40 {
		t.Fatalf("%d pairs; the issue asks for at least 40", n)
	}
}

func mustMatcher(t testing.TB, accts ...account.Account) *account.Matcher {
	t.Helper()
	m, err := account.NewMatcher(accts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMatchOrderAndReasons(t *testing.T) {
	m := mustMatcher(t,
		account.Account{ID: "acme", Name: "Acme Inc.", Domains: []string{"acme.com", "www.acme.io"}},
		account.Account{ID: "acme-uk", Name: "Acme Ltd", Domains: []string{"acme.co.uk"}},
		account.Account{ID: "globex", Name: "Globex", Domains: []string{"globex.com"}},
		account.Account{ID: "shared1", Name: "Initech", Domains: []string{"shared.com"}},
		account.Account{ID: "shared2", Name: "Initrode", Domains: []string{"shared.com"}},
	)
	tests := []struct {
		name      string
		l         *lead.Lead
		id        string
		score     float64
		ambiguous int // number of candidates when ambiguous
		reason    string
	}{
		{"email first", &lead.Lead{Person: lead.Person{Email: "jo@Acme.com"}, Company: lead.Company{Name: "Globex"}},
			"acme", 1, 0, "email domain acme.com = account domain"},
		{"email subdomain", &lead.Lead{Person: lead.Person{Email: "jo@eu.acme.com"}},
			"acme", 0.95, 0, "email domain eu.acme.com is under account domain acme.com"},
		{"free mail skipped, website next", &lead.Lead{Person: lead.Person{Email: "jo@gmail.com"}, Company: lead.Company{Domain: "https://www.acme.io"}},
			"acme", 0.9, 0, "company domain acme.io = account domain"},
		{"free mail, name last", &lead.Lead{Person: lead.Person{Email: "jo@gmail.com"}, Company: lead.Company{Name: "GLOBEX, Inc."}},
			"globex", 0.7, 0, `company name "GLOBEX, Inc." = account name (normalised "globex")`},
		{"free mail only", &lead.Lead{Person: lead.Person{Email: "jo@yahoo.co.uk"}},
			"", 0, 0, "email domain yahoo.co.uk is free mail; no account"},
		{"shared domain is ambiguous", &lead.Lead{Person: lead.Person{Email: "jo@shared.com"}},
			"", 0, 2, "email domain shared.com = account domain matches 2 accounts"},
		{"shared domain narrowed by name", &lead.Lead{Person: lead.Person{Email: "jo@shared.com"}, Company: lead.Company{Name: "Initrode LLC"}},
			"shared2", 1, 0, `email domain shared.com = account domain; company name "Initrode LLC"`},
		{"nothing", &lead.Lead{}, "", 0, 0, "no account has"},
		{"nil lead", nil, "", 0, 0, "no lead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.MatchLead(tt.l)
			if got.AccountID != tt.id || got.Score != tt.score || !strings.HasPrefix(got.Reason, tt.reason) {
				t.Errorf("got %+v; want %q score %v reason %q...", got, tt.id, tt.score, tt.reason)
			}
			if got.Ambiguous != (tt.ambiguous > 0) || tt.ambiguous > 0 && len(got.Candidates) != tt.ambiguous {
				t.Errorf("ambiguity: got %+v; want %d candidates", got, tt.ambiguous)
			}
		})
	}
	var nilM *account.Matcher
	if got := nilM.MatchLead(&lead.Lead{}); got.AccountID != "" || nilM.Len() != 0 {
		t.Errorf("nil matcher: %+v", got)
	}
}

func TestNewMatcherErrors(t *testing.T) {
	_, err := account.NewMatcher([]account.Account{{ID: ""}, {ID: "a", Domains: []string{"no dot"}}, {ID: "a"}})
	if err == nil {
		t.Fatal("no error")
	}
	var le *leadkit.Error
	if !errors.As(err, &le) {
		t.Fatalf("%v is not a *leadkit.Error", err)
	}
	for _, want := range []string{"[0].id", "[1].domains[0]", "[2].id"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if m, err := account.NewMatcher(nil); err != nil || m.Len() != 0 {
		t.Errorf("nil list: %v, %v", m, err)
	}
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"Acme.COM": "acme.com", "jo@www.acme.com": "acme.com", "localhost": "", "a..b": "",
		"": "", "acme .com": "", "//acme.com/x": "acme.com", "smtp.mail.acme.com": "acme.com",
		"www.com": "www.com", "mail.co.uk": "mail.co.uk",
	} {
		if got := account.NormalizeDomain(in); got != want {
			t.Errorf("NormalizeDomain(%q) = %q; want %q", in, got, want)
		}
	}
}
