package sample_test

import (
	"slices"
	"testing"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
)

func TestAccountsMatchEveryLead(t *testing.T) {
	d, err := sample.Generate(sample.Config{Seed: 1, Leads: 3000})
	if err != nil {
		t.Fatal(err)
	}
	accts := accountsOf(sample.Accounts(d.Leads))
	m, err := account.NewMatcher(accts)
	if err != nil {
		t.Fatal(err)
	}
	byDomain := map[string]string{}
	for _, a := range accts {
		byDomain[account.NormalizeDomain(a.Domains[0])] = a.ID
	}
	perAccount := map[string]int{}
	withCompany := 0
	for i := range d.Leads {
		l := &d.Leads[i]
		got := m.MatchLead(l)
		if l.Company.Domain == "" {
			if got.AccountID != "" {
				t.Errorf("%s has no company but matched %+v", l.ID, got)
			}
			continue
		}
		withCompany++
		if want := byDomain[l.Company.Domain]; got.AccountID != want {
			t.Fatalf("%s (%s, %s) matched %+v; want %s", l.ID, l.Person.Email, l.Company.Domain, got, want)
		}
		perAccount[got.AccountID]++
		// By name alone: the account's name has a legal form added
		// ("Oakforge Capital, Inc."), which normalisation removes.
		byName := m.MatchLead(&lead.Lead{Company: lead.Company{Name: l.Company.Name}})
		if byName.AccountID != got.AccountID {
			t.Fatalf("%s: company name %q matched %+v; want %s", l.ID, l.Company.Name, byName, got.AccountID)
		}
	}
	// One account per company domain, every one with a lead; companies
	// are about one per three leads, so accounts hold several leads.
	if len(perAccount) != len(accts) || len(accts) == 0 {
		t.Errorf("%d accounts have leads of %d", len(perAccount), len(accts))
	}
	if avg := float64(withCompany) / float64(len(accts)); avg < 2 {
		t.Errorf("%.2f leads per account; want several", avg)
	}
	if again := accountsOf(sample.Accounts(d.Leads)); !slices.EqualFunc(again, accts, func(a, b account.Account) bool {
		return a.ID == b.ID && a.Name == b.Name && slices.Equal(a.Domains, b.Domains)
	}) {
		t.Error("Accounts is not deterministic")
	}
	if sample.Accounts(nil) != nil {
		t.Error("nil leads give accounts")
	}
}

// TestPlantedDuplicates says how many duplicates the matcher must find:
// 50 planted leads are 10 of each kind; the 30 of the three duplicate
// kinds must each be found with their original, the 20 near-duplicates
// never, and nothing else changes: every other finding is one the data
// set had before planting.
func TestPlantedDuplicates(t *testing.T) {
	d, err := sample.Generate(sample.Config{Seed: 1, Leads: 3000})
	if err != nil {
		t.Fatal(err)
	}
	planted := sample.Planted(d.Leads, 7, 50)
	kinds := map[sample.PlantedKind]int{}
	for _, p := range planted {
		kinds[p.Kind]++
	}
	for _, k := range []sample.PlantedKind{sample.Resubmit, sample.PlusTag, sample.NewAddress, sample.Namesake, sample.SimilarName} {
		if kinds[k] != 10 {
			t.Errorf("%d planted %s; want 10", kinds[k], k)
		}
	}
	m, err := account.NewMatcher(accountsOf(sample.Accounts(d.Leads)))
	if err != nil {
		t.Fatal(err)
	}
	base := account.FindDuplicates(d.Leads, m)
	all := slices.Clone(d.Leads)
	for _, p := range planted {
		all = append(all, p.Lead)
	}
	found := account.FindDuplicates(all, m)
	together := func(a, b string) bool {
		for _, f := range found {
			if slices.Contains(f.LeadIDs, a) && slices.Contains(f.LeadIDs, b) {
				return true
			}
		}
		return false
	}
	dups := 0
	for _, p := range planted {
		if got := together(p.Lead.ID, p.Of); got != p.Kind.Duplicate() {
			t.Errorf("planted %s %s of %s (%q, %q): found together %v", p.Kind, p.Lead.ID, p.Of, p.Lead.Person.Name, p.Lead.Person.Email, got)
		}
		if p.Kind.Duplicate() {
			dups++
		}
	}
	// 30 planted duplicates, each of a different original: 30 more
	// findings than before planting (a planted lead joins a finding only
	// with its own original, which had none unless the data set already
	// did).
	withPlanted := 0
	for _, f := range found {
		if slices.ContainsFunc(f.LeadIDs, func(id string) bool { return id[0] == 'D' }) {
			withPlanted++
		}
	}
	if dups != 30 || withPlanted != 30 {
		t.Errorf("%d planted duplicates in %d findings; want 30 in 30", dups, withPlanted)
	}
	t.Logf("%d findings before planting, %d after", len(base), len(found))
	if len(found) != len(base)+30 {
		t.Errorf("%d findings with the planted leads, %d without; want 30 more", len(found), len(base))
	}
	if again := sample.Planted(d.Leads, 7, 50); !slices.EqualFunc(again, planted, func(a, b sample.PlantedLead) bool {
		return a.Of == b.Of && a.Kind == b.Kind && a.Lead.Person == b.Lead.Person && a.Lead.ID == b.Lead.ID
	}) {
		t.Error("Planted is not deterministic")
	}
	if sample.Planted(nil, 1, 5) != nil || sample.Planted(d.Leads, 1, 0) != nil {
		t.Error("Planted with nothing to do returned leads")
	}
}

// accountsOf converts the sample's accounts to package account's.
func accountsOf(in []sample.Account) []account.Account {
	var out []account.Account
	for _, a := range in {
		out = append(out, account.Account(a))
	}
	return out
}
