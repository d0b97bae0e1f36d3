package account_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/lead"
)

// An account's state does not grow with its leads: past
// max(LeadsPerAccount, N) leads only counts change.
func TestStateBoundedPerAccount(t *testing.T) {
	s := account.MustCompile(handDefinition(account.Rollup{}))
	size := func(n int) int {
		a := s.NewAccounts(handAsOf)
		l := handLeads()[0]
		for i := range n {
			l.ID = "L" + strings.Repeat("0", 4-len(itoa(i))) + itoa(i)
			if err := a.Add(&l); err != nil {
				t.Fatal(err)
			}
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return len(b)
	}
	// 100 and 500 leads keep the same 5 lines (L0000..L0004: equal
	// engagement, then by ID); counts and sums (13e8, 65e8 units) have
	// as many digits in both.
	if a, b := size(100), size(500); a != b {
		t.Errorf("state of 100 leads %d bytes, of 500 leads %d bytes", a, b)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestMergeOverflow(t *testing.T) {
	d := handDefinition(account.Rollup{})
	d.LeadsPerAccount = 1
	a := account.MustCompile(d).NewAccounts(handAsOf)
	l := handLeads()[2] // A3: no engagement
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a)
	huge := strings.Replace(string(b), `"leads":1`, `"leads":9223372036854775807`, 1)
	var x, y account.Accounts
	if err := json.Unmarshal([]byte(huge), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(huge), &y); err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(&x)
	if err := x.Merge(&y); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Errorf("merge: %v; want an overflow error", err)
	}
	if err := x.Add(&l); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Errorf("add: %v; want an overflow error", err)
	}
	if after, _ := json.Marshal(&x); string(before) != string(after) {
		t.Error("a refused merge or add changed the accumulator")
	}
	skipped := strings.Replace(string(b), `"skipped":0`, `"skipped":9223372036854775807`, 1)
	var p, q account.Accounts
	_ = json.Unmarshal([]byte(skipped), &p)
	_ = json.Unmarshal([]byte(skipped), &q)
	if err := p.Merge(&q); err == nil {
		t.Error("skipped overflow merged")
	}
}

// Key names the account by a lead field: here the raw company name, so
// "Acme Inc." and "Acme" are two accounts, and a lead without one is
// unkeyed.
func TestKeyField(t *testing.T) {
	d := handDefinition(account.Rollup{})
	d.Key = "company.name"
	a := account.MustCompile(d).NewAccounts(handAsOf)
	leads := handLeads()
	leads[1].Company.Name = "Acme"
	for _, l := range leads {
		if err := a.Add(&l); err != nil {
			t.Fatal(err)
		}
	}
	rep, _ := a.Report()
	// A1, A3 at "Acme Inc."; A2 at "Acme"; G1 at "Globex"; N1 has no
	// company name; A4 is after the as-of.
	if rep.Accounts != 3 || rep.Leads != 4 || rep.Unkeyed != 1 || rep.Skipped != 1 {
		t.Errorf("accounts %d leads %d unkeyed %d skipped %d; want 3 4 1 1", rep.Accounts, rep.Leads, rep.Unkeyed, rep.Skipped)
	}
}

func TestMatcherConcurrent(t *testing.T) {
	leads := sampleLeads(t, 600)
	var accts []account.Account
	seen := map[string]bool{}
	for _, l := range leads {
		if d := l.Company.Domain; d != "" && !seen[d] {
			seen[d] = true
			accts = append(accts, account.Account{ID: d, Name: l.Company.Name, Domains: []string{d}})
		}
	}
	m := mustMatcher(t, accts...)
	want := make([]string, len(leads))
	for i := range leads {
		want[i] = m.MatchLead(&leads[i]).AccountID
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range leads {
				if got := m.MatchLead(&leads[i]).AccountID; got != want[i] {
					t.Errorf("lead %d: %q != %q", i, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(account.FindDuplicates([]lead.Lead{}, m)) != 0 {
		t.Error("duplicates in no leads")
	}
}
