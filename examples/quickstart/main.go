// Quickstart: the smallest useful leadkit program.
//
// It defines a scoring model twice, once as a Go value and once as the
// JSON a marketing-ops person would store and edit, checks that both are
// the same model, scores three leads and prints each score with its
// explanation: what a sales rep reads next to a lead.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -json   # score with the JSON model
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"github.com/leadkit/leadkit"
	"log"
	"strings"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// modelJSON is the same model as goModel below, as stored data.
const modelJSON = `{
  "name": "quickstart",
  "version": "1",
  "rules": [
    {"name": "target industry", "when": "company.industry in [\"software\", \"fintech\"]", "points": 20},
    {"name": "mid-market or larger", "when": "company.employees >= 200", "points": 15},
    {"name": "decision maker", "when": "person.seniority in [\"vp\", \"executive\", \"owner\"]", "points": 20},
    {"name": "free mail address", "when": "free_email(person.email)", "points": -15},
    {"name": "demo request", "kind": "engagement", "when": "type == \"demo_request\"", "points": 30, "max": 30},
    {"name": "pricing page", "kind": "engagement", "when": "type == \"page_view\" && url contains \"/pricing\"", "points": 5, "within": "30d", "max": 15},
    {"name": "email clicks", "kind": "engagement", "when": "type == \"email_click\"", "points": 4, "half_life": "7d", "max": 12}
  ],
  "limits": {"total": {"max": 100}},
  "grades": [
    {"grade": "A", "min": 40},
    {"grade": "B", "min": 20, "max": 40},
    {"grade": "C", "max": 20}
  ],
  "qualification": [
    {"stage": "mql", "criteria": [
      {"name": "good fit (grade A or B)", "when": "grade in [\"A\", \"B\"]"},
      {"name": "engaged (engagement at least 10)", "when": "engagement >= 10"}
    ]},
    {"stage": "sql", "criteria": [
      {"name": "asked for a demo in the last 30 days", "when": "activity_count(\"demo_request\", \"30d\") > 0"},
      {"name": "assigned to a rep", "when": "owner != \"\""}
    ]}
  ],
  "personas": [
    {"name": "economic buyer", "criteria": "person.seniority in [\"vp\", \"executive\", \"owner\"] && company.employees >= 200"}
  ]
}`

// goModel is the model written in Go.
func goModel() scoring.Model {
	return scoring.Model{
		Name:    "quickstart",
		Version: "1",
		Rules: []scoring.Rule{
			{Name: "target industry", When: `company.industry in ["software", "fintech"]`, Points: 20},
			{Name: "mid-market or larger", When: `company.employees >= 200`, Points: 15},
			{Name: "decision maker", When: `person.seniority in ["vp", "executive", "owner"]`, Points: 20},
			{Name: "free mail address", When: `free_email(person.email)`, Points: -15},
			{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 30, Max: scoring.Float(30)},
			{Name: "pricing page", Kind: scoring.Engagement, When: `type == "page_view" && url contains "/pricing"`, Points: 5, Within: leadkit.MustParseDuration("30d"), Max: scoring.Float(15)},
			{Name: "email clicks", Kind: scoring.Engagement, When: `type == "email_click"`, Points: 4, HalfLife: leadkit.MustParseDuration("7d"), Max: scoring.Float(12)},
		},
		Limits: scoring.Limits{Total: scoring.Limit{Max: scoring.Float(100)}},
		Grades: scoring.Bands("A", 40, "B", 20, "C"),
		Qualification: []scoring.QualificationStage{
			{Stage: lead.StageMQL, Criteria: []scoring.Criterion{
				{Name: "good fit (grade A or B)", When: `grade in ["A", "B"]`},
				{Name: "engaged (engagement at least 10)", When: `engagement >= 10`},
			}},
			{Stage: lead.StageSQL, Criteria: []scoring.Criterion{
				{Name: "asked for a demo in the last 30 days", When: `activity_count("demo_request", "30d") > 0`},
				{Name: "assigned to a rep", When: `owner != ""`},
			}},
		},
		Personas: []lead.Persona{
			{Name: "economic buyer", Criteria: `person.seniority in ["vp", "executive", "owner"] && company.employees >= 200`},
		},
	}
}

func main() {
	useJSON := flag.Bool("json", false, "score with the JSON model instead of the Go one")
	flag.Parse()

	// 1. Compile both forms of the model. Compile validates everything
	// and reports every problem at once, with paths and columns.
	fromGo, err := scoring.Compile(goModel())
	if err != nil {
		log.Fatal(err)
	}
	var m scoring.Model
	if err := json.Unmarshal([]byte(modelJSON), &m); err != nil {
		log.Fatal(err)
	}
	fromJSON, err := scoring.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("model %q: Go fingerprint %s, JSON fingerprint %s (same model: %v)\n",
		m.Name, fromGo.Fingerprint(), fromJSON.Fingerprint(), fromGo.Fingerprint() == fromJSON.Fingerprint())
	for _, w := range fromGo.Warnings() {
		fmt.Println("warning:", w)
	}
	scorer := fromGo
	if *useJSON {
		scorer = fromJSON
	}

	// 2. Three leads. "now" is an argument: scoring never reads the
	// clock, so the output is the same every time.
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	leads := []lead.Lead{
		{
			ID: "L-001", CreatedAt: day(20), Owner: "rep-maria",
			Person:  lead.Person{Name: "Dana Ito", Email: "dana@northwind.example", Title: "VP Marketing", Seniority: lead.SeniorityVP},
			Company: lead.Company{Name: "Northwind", Industry: "software", Employees: 850},
			Activities: []lead.Activity{
				{Type: lead.ActivityPageView, At: day(6), URL: "/pricing"},
				{Type: lead.ActivityPageView, At: day(3), URL: "/pricing"},
				{Type: lead.ActivityEmailClick, At: day(7)},
				{Type: lead.ActivityDemoRequest, At: day(2)},
			},
		},
		{
			ID: "L-002", CreatedAt: day(45),
			Person:  lead.Person{Name: "Sam Roe", Email: "sam.roe@gmail.com", Title: "Analyst", Seniority: lead.SeniorityEntry},
			Company: lead.Company{Name: "Tiny Shop", Industry: "retail", Employees: 12},
			Activities: []lead.Activity{
				{Type: lead.ActivityEmailClick, At: day(14)},
				{Type: lead.ActivityPageView, At: day(40), URL: "/pricing"}, // outside the 30-day window
			},
		},
		{
			ID: "L-003", CreatedAt: day(10),
			Person:  lead.Person{Name: "Lee Park", Email: "lee@fintrust.example", Title: "Head of Operations", Seniority: lead.SeniorityDirector},
			Company: lead.Company{Name: "FinTrust", Industry: "fintech", Employees: 400},
			Activities: []lead.Activity{
				{Type: lead.ActivityEmailClick, At: day(1)},
				{Type: lead.ActivityEmailClick, At: day(0)},
				{Type: lead.ActivityPageView, At: day(2), URL: "/pricing"},
			},
		},
	}

	// 3. Score each lead and print the explanation.
	for i := range leads {
		l := &leads[i]
		r, err := scorer.Score(l, now)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Printf("\n%s %s (%s): total %.1f = fit %.1f + engagement %.1f, grade %s\n",
			l.ID, l.Person.Name, l.Company.Name, r.Total, r.Fit, r.Engagement, r.Grade)
		stage := string(r.Qualification.Stage)
		if stage == "" {
			stage = "not qualified"
		}
		fmt.Printf("  stage: %s\n", stage)
		if r.Qualification.Next != "" {
			fmt.Printf("  for %s: met %s; still needs %s\n", r.Qualification.Next, list(r.Qualification.Met), list(r.Qualification.Unmet))
		}
		if len(r.Personas) > 0 {
			fmt.Printf("  personas: %v\n", r.Personas)
		}
		fmt.Println("  why:")
		for _, c := range r.Contributions {
			line := fmt.Sprintf("    %+6.2f  %s", c.Points, c.Rule)
			if c.Kind == scoring.Engagement {
				line += fmt.Sprintf(" (%d × = %g", c.Matches, c.Base)
				if c.Decayed != c.Base {
					line += fmt.Sprintf(", %.2f after decay", c.Decayed)
				}
				if c.Clipped != 0 {
					line += fmt.Sprintf(", %.2f over the cap", c.Clipped)
				}
				line += ")"
			}
			fmt.Println(line)
		}
	}
}

// list prints criteria names as a readable list.
func list(names []string) string {
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}
