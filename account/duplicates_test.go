package account_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/lead"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Jane.Doe+news@GMail.com":      "janedoe@gmail.com", // gmail ignores dots and +tags
		"jane.doe@googlemail.com":      "janedoe@gmail.com", // googlemail is gmail
		"jane.doe+x@outlook.com":       "jane.doe@outlook.com",
		"Jane.Doe+x@acme.com":          "jane.doe+x@acme.com", // unknown provider: only case
		"jane@mail.acme.com":           "jane@acme.com",
		"+tag@gmail.com":               "+tag@gmail.com", // no local part before the tag: kept
		"@acme.com":                    "",
		"jane":                         "",
		"jane@localhost":               "",
		" JANE@ACME.COM ":              "jane@acme.com",
		"j.a.n.e@gmail.com":            "jane@gmail.com",
		"jane.doe+a+b@icloud.com":      "jane.doe@icloud.com",
		"jane..doe+news@yahoo.com":     "jane..doe+news@yahoo.com",
		"jane.doe+news@protonmail.com": "jane.doe@protonmail.com",
	} {
		if got := account.NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestFindDuplicates(t *testing.T) {
	mk := func(id, name, email, company, domain string) lead.Lead {
		return lead.Lead{ID: id, Person: lead.Person{Name: name, Email: email}, Company: lead.Company{Name: company, Domain: domain}}
	}
	leads := []lead.Lead{
		mk("L1", "Jane Doe", "jane.doe@gmail.com", "", ""),
		mk("L2", "J. Doe", "JaneDoe+webinar@gmail.com", "", ""),            // same gmail box as L1
		mk("L3", "Bob Roe", "bob@acme.com", "Acme Inc.", "acme.com"),       //
		mk("L4", "Bob Roe", "robert.roe@acme.com", "Acme", "www.acme.com"), // same person at acme.com as L3
		mk("L5", "Bob Roe", "bob@globex.com", "Globex", "globex.com"),      // same name, other account: not a duplicate
		mk("L6", "Ann Lee", "ann@acme.com", "Acme", "acme.com"),            //
		mk("L7", "ANN LEE", "Ann@Acme.com", "Acme", "acme.com"),            // same email and same person: reported once
		mk("L8", "Jane Doe", "jane.doe+x@acme.com", "Acme", "acme.com"),    // plus tag kept on acme.com
		mk("L9", "Jane Doe", "jane.doe@acme.com", "Acme", "acme.com"),      // ... but same person at acme.com as L8
		mk("L10", "", "", "", ""),                                          // nothing to compare
		mk("L11", "", "", "", ""),
	}
	want := []account.Duplicate{
		{Kind: account.SameEmail, Key: "janedoe@gmail.com", LeadIDs: []string{"L1", "L2"}},
		{Kind: account.SamePerson, Key: "acme.com / bob roe", LeadIDs: []string{"L3", "L4"}},
		{Kind: account.SameEmail, Key: "ann@acme.com", LeadIDs: []string{"L6", "L7"}},
		{Kind: account.SamePerson, Key: "acme.com / jane doe", LeadIDs: []string{"L8", "L9"}},
	}
	got := account.FindDuplicates(leads, nil)
	reasons := []string{"the provider ignores case, +tags and dots", `the same person "bob roe" at acme.com`, "ignoring case", `"jane doe" at acme.com`}
	for i := range got {
		if i < len(reasons) && !strings.Contains(got[i].Reason, reasons[i]) {
			t.Errorf("finding %d reason %q; want it to contain %q", i, got[i].Reason, reasons[i])
		}
		got[i].Reason = ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	// With an account list the account is the matched one: Globex's lead
	// L5 is matched to "acme" only if the list says so; here two
	// accounts, and "Bob Roe" at Globex stays apart.
	m := mustMatcher(t, account.Account{ID: "A", Name: "Acme", Domains: []string{"acme.com"}}, account.Account{ID: "G", Domains: []string{"globex.com"}})
	got = account.FindDuplicates(leads, m)
	if len(got) != 4 || got[1].Key != "account A / bob roe" {
		t.Errorf("with matcher: %+v", got)
	}
	if got := account.FindDuplicates(nil, nil); got != nil {
		t.Errorf("nil leads: %+v", got)
	}
}

func TestAccountOf(t *testing.T) {
	tests := []struct {
		l    *lead.Lead
		want string
	}{
		{nil, ""},
		{&lead.Lead{}, ""},
		{&lead.Lead{Company: lead.Company{Domain: "WWW.Acme.com", Name: "X"}, Person: lead.Person{Email: "a@b.com"}}, "acme.com"},
		{&lead.Lead{Company: lead.Company{Name: "Acme Inc"}, Person: lead.Person{Email: "a@mail.b.com"}}, "b.com"},
		{&lead.Lead{Company: lead.Company{Name: "Acme Inc"}, Person: lead.Person{Email: "a@gmail.com"}}, "name:acme"},
	}
	for _, tt := range tests {
		if got := account.AccountOf(tt.l); got != tt.want {
			t.Errorf("AccountOf(%+v) = %q; want %q", tt.l, got, tt.want)
		}
	}
}
