package account_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/account"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

func ExampleMatcher_MatchLead() {
	m, err := account.NewMatcher([]account.Account{
		{ID: "acct-1", Name: "U.S. Bank N.A.", Domains: []string{"https://www.usbank.com"}},
		{ID: "acct-2", Name: "Acme, Inc.", Domains: []string{"acme.com"}},
	})
	if err != nil {
		panic(err)
	}
	for _, l := range []lead.Lead{
		{Person: lead.Person{Email: "jo@mail.usbank.com"}},
		{Person: lead.Person{Email: "sam@gmail.com"}, Company: lead.Company{Name: "US bank"}},
		{Person: lead.Person{Email: "kim@gmail.com"}},
	} {
		got := m.MatchLead(&l)
		fmt.Printf("%q %.2f %s\n", got.AccountID, got.Score, got.Reason)
	}
	// Output:
	// "acct-1" 1.00 email domain usbank.com = account domain
	// "acct-1" 0.70 company name "US bank" = account name (normalised "us bank")
	// "" 0.00 email domain gmail.com is free mail; no account has the lead's email domain, company domain or company name
}

func ExampleFindDuplicates() {
	leads := []lead.Lead{
		{ID: "L1", Person: lead.Person{Name: "Jane Doe", Email: "jane.doe@gmail.com"}},
		{ID: "L2", Person: lead.Person{Name: "Jane Doe", Email: "JaneDoe+events@googlemail.com"}},
		{ID: "L3", Person: lead.Person{Name: "Bob Roe", Email: "bob@acme.com"}, Company: lead.Company{Domain: "acme.com"}},
		{ID: "L4", Person: lead.Person{Name: "Bob Roe", Email: "b.roe@acme.com"}, Company: lead.Company{Domain: "acme.com"}},
	}
	for _, d := range account.FindDuplicates(leads, nil) {
		fmt.Println(d.LeadIDs, d.Reason)
	}
	// Output:
	// [L1 L2] addresses "jane.doe@gmail.com", "JaneDoe+events@googlemail.com" are all janedoe@gmail.com (the provider ignores case, +tags and dots)
	// [L3 L4] the same person "bob roe" at acme.com
}

func ExampleScorer_NewAccounts() {
	s := account.MustCompile(account.Definition{
		Leads: scoring.Model{
			Rules: []scoring.Rule{{Name: "demo", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 10}},
			Personas: []lead.Persona{
				{Name: "economic buyer", Criteria: `person.seniority in ["vp", "executive"]`},
				{Name: "champion", Criteria: `person.seniority == "manager"`},
			},
		},
		Fit:           []scoring.Rule{{Name: "software", When: `company.industry == "Software"`, Points: 20}},
		Engagement:    account.Rollup{Method: account.TopN, N: 2, Decay: 0.5},
		BuyingGroup:   []account.Role{{Persona: "economic buyer"}, {Persona: "champion"}},
		Qualification: []account.Rung{{Stage: "MQA", MinTotal: f(30), Engaged: []string{"champion"}}},
	})
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	demo := []lead.Activity{{Type: lead.ActivityDemoRequest, At: asOf.Add(-time.Hour)}}
	acme := lead.Company{Name: "Acme", Domain: "acme.com", Industry: "Software"}
	a := s.NewAccounts(asOf)
	for _, l := range []lead.Lead{
		{ID: "L1", CreatedAt: asOf.AddDate(0, -1, 0), Company: acme, Person: lead.Person{Seniority: lead.SeniorityManager}, Activities: demo},
		{ID: "L2", CreatedAt: asOf.AddDate(0, -1, 0), Company: acme, Person: lead.Person{Seniority: lead.SeniorityEntry}, Activities: demo},
	} {
		if err := a.Add(&l); err != nil {
			panic(err)
		}
	}
	rep, err := a.Report()
	if err != nil {
		panic(err)
	}
	for _, acc := range rep.Top {
		// engagement: 10 + 0.5 × 10 = 15; total 20 + 15 = 35
		fmt.Printf("%s fit %g engagement %g total %g stage %s\n", acc.Key, acc.Fit, acc.Engagement, acc.Total, acc.Stage)
		fmt.Println("gaps:", acc.Gaps)
		for _, l := range acc.TopLeads {
			fmt.Println(" ", l.ID, l.Engagement, l.Personas)
		}
	}
	// Output:
	// acme.com fit 20 engagement 15 total 35 stage MQA
	// gaps: [economic buyer: missing]
	//   L1 10 [champion]
	//   L2 10 []
}
