package scoring_test

import (
	"fmt"
	"github.com/leadkit/leadkit"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

func ExampleCompile() {
	model := scoring.Model{
		Name: "starter",
		Rules: []scoring.Rule{
			{Name: "mid-market", When: `company.employees >= 200`, Points: 20},
			{Name: "decision maker", When: `person.seniority in ["vp", "executive"]`, Points: 20},
			{Name: "free mail", When: `free_email(person.email)`, Points: -10},
			{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 30, Max: scoring.Float(30)},
			{Name: "email clicks", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 4, HalfLife: leadkit.MustParseDuration("7d")},
		},
		Grades: scoring.Bands("A", 40, "B", 20, "C"),
		Qualification: []scoring.QualificationStage{
			{Stage: lead.StageMQL, Criteria: []scoring.Criterion{
				{Name: "fits", When: `grade in ["A", "B"]`},
				{Name: "engaged", When: `engagement >= 10`},
			}},
			{Stage: lead.StageSQL, Criteria: []scoring.Criterion{
				{Name: "asked for a demo", When: `activity_count("demo_request", "30d") > 0`},
				{Name: "has an owner", When: `owner != ""`},
			}},
		},
	}
	s, err := scoring.Compile(model)
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	l := lead.Lead{
		ID: "lead-1", CreatedAt: now.AddDate(0, -1, 0),
		Person:  lead.Person{Email: "dana@acme.example", Seniority: lead.SeniorityVP},
		Company: lead.Company{Employees: 350},
		Activities: []lead.Activity{
			{Type: lead.ActivityDemoRequest, At: now.AddDate(0, 0, -2)},
			{Type: lead.ActivityEmailClick, At: now.AddDate(0, 0, -7)},  // one half-life old: 2 points
			{Type: lead.ActivityEmailClick, At: now.AddDate(0, 0, -14)}, // two: 1 point
		},
	}
	r, err := s.Score(&l, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("fit %g, engagement %g, total %g, grade %s\n", r.Fit, r.Engagement, r.Total, r.Grade)
	fmt.Printf("stage %s; for %s: met %v, unmet %v\n", r.Qualification.Stage, r.Qualification.Next, r.Qualification.Met, r.Qualification.Unmet)
	for _, c := range r.Contributions {
		fmt.Printf("  %-15s %2d × → %g\n", c.Rule, c.Matches, c.Points)
	}
	// Output:
	// fit 40, engagement 33, total 73, grade A
	// stage mql; for sql: met [asked for a demo], unmet [has an owner]
	//   mid-market       1 × → 20
	//   decision maker   1 × → 20
	//   demo request     1 × → 30
	//   email clicks     2 × → 3
}

func ExampleCompile_errors() {
	_, err := scoring.Compile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "title", When: `person.titel contains "VP"`, Points: 10},
			{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1, Within: leadkit.MustParseDuration("-30d")},
		},
	})
	fmt.Println(err)
	// Output:
	// rules[0].when: unknown name "person.titel"; did you mean "person.title"? (1:8)
	//  | person.titel contains "VP"
	//  | .......^
	// rules[1].within: must be positive, got "-30d"
}

func ExampleScorer_ScoreInto() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 2, Within: leadkit.MustParseDuration("30d")},
	}})
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	leads := []lead.Lead{
		{ID: "a", Activities: []lead.Activity{{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -1)}}},
		{ID: "b", Activities: []lead.Activity{{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -40)}}},
	}
	var r scoring.Result // reused: no allocation per lead in steady state
	for i := range leads {
		if err := s.ScoreInto(&r, &leads[i], now); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(r.LeadID, r.Total)
	}
	// Output:
	// a 2
	// b 0
}

func ExampleScorer_Warnings() {
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "size", When: `company.employees >= 100`, Points: 30},
			{Name: "typo", When: `"saas" in ["SaaS"]`, Points: 20},
		},
		Grades: scoring.Bands("A", 50, "B"),
	})
	for _, w := range s.Warnings() {
		fmt.Println(w)
	}
	// Output:
	// rules[1].when: always false: the rule never fires
	// grades[0]: grade "A" is unreachable: fit ranges over [0, 30]
}
