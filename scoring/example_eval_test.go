package scoring_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

func ExampleScorer_ScoreAll() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "mid-market", When: `company.employees >= 200`, Points: 20},
		{Name: "big budget", When: `(fields.budget ?? 0) >= 50000`, Points: 10},
		{Name: "webinar", Kind: scoring.Engagement, When: `type == "webinar_attended"`, Points: 15},
	}})
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	leads := []lead.Lead{
		{ID: "a", Company: lead.Company{Employees: 900}, Fields: map[string]any{"budget": 80000.0},
			Activities: []lead.Activity{{Type: lead.ActivityWebinarAttended, At: now.AddDate(0, 0, -3)}}},
		{ID: "b", Company: lead.Company{Employees: 12},
			// After now: invisible.
			Activities: []lead.Activity{{Type: lead.ActivityWebinarAttended, At: now.AddDate(0, 0, 1)}}},
		// A budget written as text cannot be compared with a number: an
		// error for this lead only.
		{ID: "c", Fields: map[string]any{"budget": "lots"}},
	}
	results, errs := s.ScoreAll(leads, now)
	for i, r := range results {
		if errs != nil && errs[i] != nil {
			fmt.Printf("%s: error\n", leads[i].ID)
			continue
		}
		fmt.Printf("%s: fit %g, engagement %g, total %g\n", r.LeadID, r.Fit, r.Engagement, r.Total)
	}
	// Output:
	// a: fit 30, engagement 15, total 45
	// b: fit 0, engagement 0, total 0
	// c: error
}

func ExampleParseModel() {
	// A model as a person writes it. "halflife" is misspelt: ParseModel
	// refuses it with its path and position, where encoding/json would
	// drop it and the rule would silently never decay.
	src := `{
  "name": "starter",
  "rules": [
    {"name": "mid-market", "when": "company.employees >= 200", "points": 20},
    {"name": "email clicks", "kind": "engagement", "when": "type == \"email_click\"",
     "points": 4, "halflife": "7d"}
  ]
}`
	_, err := scoring.ParseModel([]byte(src))
	fmt.Println(err)

	// Fixed, it loads, and a nil error means it compiles.
	fixed := []byte(`{"name": "starter", "rules": [
  {"name": "email clicks", "kind": "engagement", "when": "type == \"email_click\"", "points": 4, "half_life": "7d"}]}`)
	m, err := scoring.ParseModel(fixed)
	fmt.Println(m.Rules[0].HalfLife, err)
	// Output:
	// rules[1].halflife: unknown field; did you mean "half_life"? (6:19)
	//  |      "points": 4, "halflife": "7d"}
	//  | ..................^
	// 7d <nil>
}

func ExampleEvaluation() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 50, Max: scoring.Float(50)},
		{Name: "decision maker", When: `person.seniority == "vp"`, Points: 30},
	}})
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	mk := func(id string, vp, demo bool) *lead.Lead {
		l := &lead.Lead{ID: id, CreatedAt: day}
		if vp {
			l.Person.Seniority = lead.SeniorityVP
		}
		if demo {
			l.Activities = []lead.Activity{{Type: lead.ActivityDemoRequest, At: day.AddDate(0, 0, 1)}}
		}
		return l
	}
	// The evaluation as of 1 February: outcomes decided later are not
	// known then.
	asOf := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	e, err := s.NewEvaluation(asOf, scoring.EvalOptions{Thresholds: []float64{50}})
	if err != nil {
		panic(err)
	}
	// Two shards, as two workers would build them.
	shard := []scoring.Outcome{
		{Lead: mk("a", true, true), DecidedAt: day.AddDate(0, 0, 10), Converted: true},   // 80
		{Lead: mk("b", false, true), DecidedAt: day.AddDate(0, 0, 10), Converted: false}, // 50
	}
	other := []scoring.Outcome{
		{Lead: mk("c", true, false), DecidedAt: day.AddDate(0, 0, 20), Converted: true},   // 30
		{Lead: mk("d", false, false), DecidedAt: day.AddDate(0, 0, 20), Converted: false}, // 0
		{Lead: mk("e", true, true), DecidedAt: day.AddDate(0, 2, 0), Converted: true},     // after as-of
	}
	for _, o := range shard {
		if err := e.Add(o); err != nil {
			panic(err)
		}
	}
	e2, _ := s.NewEvaluation(asOf, scoring.EvalOptions{Thresholds: []float64{50}})
	for _, o := range other {
		if err := e2.Add(o); err != nil {
			panic(err)
		}
	}
	// The state travels as JSON (to another process, a Beam worker) and
	// decodes into a zero Evaluation that can Add, Merge and Report.
	state, _ := json.Marshal(e2)
	var back scoring.Evaluation
	if err := json.Unmarshal(state, &back); err != nil {
		panic(err)
	}
	if err := e.Merge(&back); err != nil {
		panic(err)
	}
	rep, err := e.Report()
	if err != nil {
		panic(err)
	}
	// Pairs (converted, other): a beats b and d; c loses to b, beats d:
	// AUC = 3/4.
	fmt.Printf("%d leads, %d converted, %d undecided, AUC %v\n", rep.Leads, rep.Converted, rep.Undecided, rep.AUC)
	for _, t := range rep.Thresholds {
		fmt.Printf("score >= %g: %d leads, precision %v, recall %v\n", t.Threshold, t.Above, t.Precision, t.Recall)
	}
	// Output:
	// 4 leads, 2 converted, 1 undecided, AUC 0.7500
	// score >= 50: 2 leads, precision 0.5000, recall 0.5000
}
