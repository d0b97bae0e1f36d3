package scoring_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

func ExampleEvaluate() {
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{
		{Name: "decision maker", When: `person.seniority in ["vp", "executive"]`, Points: 40},
		{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 40, Max: scoring.Float(40)},
	}})
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	mk := func(id string, seniority lead.Seniority, demo bool) *lead.Lead {
		l := &lead.Lead{ID: id, CreatedAt: day, Person: lead.Person{Seniority: seniority}}
		if demo {
			l.Activities = []lead.Activity{{Type: lead.ActivityDemoRequest, At: day.AddDate(0, 0, 1)}}
		}
		return l
	}
	// Past leads with known outcomes, each scored as of the day sales
	// decided: 80, 40, 40, 0 points.
	decided := day.AddDate(0, 0, 10)
	outcomes := []scoring.Outcome{
		{Lead: mk("a", lead.SeniorityVP, true), DecidedAt: decided, Converted: true},
		{Lead: mk("b", lead.SeniorityEntry, true), DecidedAt: decided, Converted: true},
		{Lead: mk("c", lead.SeniorityExecutive, false), DecidedAt: decided, Converted: false},
		{Lead: mk("d", lead.SeniorityEntry, false), DecidedAt: decided, Converted: false},
	}
	rep, err := scoring.Evaluate(s, outcomes, scoring.EvalOptions{Thresholds: []float64{40, 80}})
	if err != nil {
		panic(err)
	}
	// Pairs: a beats c and d, b ties c and beats d: (2*3 + 1) / (2*2*2) = 7/8.
	fmt.Println("AUC", rep.AUC)
	for _, t := range rep.Thresholds {
		fmt.Printf("score >= %.0f: %d leads, %d conversions, precision %v, recall %v\n",
			t.Threshold, t.Above, t.Captured, t.Precision, t.Recall)
	}
	// Output:
	// AUC 0.8750
	// score >= 40: 3 leads, 2 conversions, precision 0.6667, recall 1.0000
	// score >= 80: 1 leads, 1 conversions, precision 1.0000, recall 0.5000
}
