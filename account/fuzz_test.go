package account_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/lead"
)

// FuzzNormalize checks that the normalisations never panic, are
// idempotent, and keep their promises on any input.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"U.S. Bank", "AT&T Inc.", "Nestlé S.A.", "https://www.acme.com/x", "jane.doe+x@gmail.com",
		"mail.co.uk", "a..b", "\xff\xfe", "The", "Inc.", "& & &", "u s a", strings.Repeat("a.", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := account.NormalizeName(s)
		if account.NormalizeName(n) != n {
			t.Errorf("NormalizeName not idempotent: %q -> %q -> %q", s, n, account.NormalizeName(n))
		}
		if !utf8.ValidString(n) || strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Errorf("NormalizeName(%q) = %q", s, n)
		}
		d := account.NormalizeDomain(s)
		if d != "" && (account.NormalizeDomain(d) != d || strings.ToLower(d) != d || !strings.Contains(d, ".")) {
			t.Errorf("NormalizeDomain(%q) = %q -> %q", s, d, account.NormalizeDomain(d))
		}
		e := account.NormalizeEmail(s)
		if e != "" && account.NormalizeEmail(e) != e {
			t.Errorf("NormalizeEmail not idempotent: %q -> %q -> %q", s, e, account.NormalizeEmail(e))
		}
		_ = account.IsFreeMail(s)
		m, err := account.NewMatcher([]account.Account{{ID: "x", Name: s}, {ID: "y", Name: n}})
		if err != nil {
			t.Fatal(err)
		}
		l := &lead.Lead{Person: lead.Person{Email: s}, Company: lead.Company{Name: s, Domain: s}}
		got := m.MatchLead(l)
		if n != "" && got.AccountID == "" && !got.Ambiguous {
			t.Errorf("name %q (normalised %q) matches neither its own account nor is ambiguous: %+v", s, n, got)
		}
	})
}

// FuzzAccountsState decodes arbitrary bytes as state and, when they
// decode, adds, merges and reports without panicking.
func FuzzAccountsState(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "accounts_state.golden.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	a := account.MustCompile(handDefinition(account.Rollup{Method: account.TopN, N: 2, Decay: 0.5})).NewAccounts(handAsOf)
	for _, l := range handLeads() {
		if err := a.Add(&l); err != nil {
			f.Fatal(err)
		}
	}
	small, _ := json.Marshal(a)
	f.Add(small)
	f.Add([]byte(strings.Replace(string(small), `"leads":3`, `"leads":4`, 1)))
	f.Add([]byte(strings.Replace(string(small), `"units":13000000`, `"units":-1`, 1)))
	f.Add([]byte(`{"format":"leadkit.account/1"}`))
	probe := handLeads()[0]
	f.Fuzz(func(t *testing.T, data []byte) {
		var b account.Accounts
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		l := probe
		l.CreatedAt = b.AsOf()
		_ = b.Add(&l) // may fail: the decoded definition's rules are any
		var c account.Accounts
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("second decode: %v", err)
		}
		if err := b.Merge(&c); err != nil && !strings.Contains(err.Error(), "overflow") {
			t.Fatalf("merge with a copy: %v", err)
		}
		fresh := b.Scorer().NewAccounts(b.AsOf())
		_ = b.Merge(fresh)
		rep, err := b.Report()
		if err != nil {
			return
		}
		if rep.Leads < 0 || rep.Skipped < 0 || rep.Unkeyed < 0 || rep.Accounts < 0 {
			t.Fatalf("negative counts: %+v", rep)
		}
		for _, s := range rep.Top {
			if s.Leads < 1 || s.EngagedLeads < 0 || s.EngagedLeads > s.Leads {
				t.Fatalf("account %q counts %d %d", s.Key, s.Leads, s.EngagedLeads)
			}
		}
		if _, err := json.Marshal(&b); err != nil {
			t.Fatal(err)
		}
	})
}
