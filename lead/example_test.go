package lead_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/lead"
)

func ExampleLead_Validate() {
	l := lead.Lead{
		ID:        "L-1",
		CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Company:   lead.Company{Employees: -5},
		History:   []lead.Transition{{From: lead.StageLead, At: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}},
		Activities: []lead.Activity{
			{Type: lead.ActivityPageView, At: time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)},
			{Type: lead.ActivityEmailClick},
		},
	}
	fmt.Println(l.Validate())
	// Output:
	// company.employees: negative
	// history[0].to: empty stage
	// activities[1].at: zero time
}

func ExampleLead_StageAt() {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	l := lead.Lead{
		ID:        "L-2",
		CreatedAt: day(1),
		Stage:     lead.StageSQL,
		// History in any order: leadkit never assumes it is sorted.
		History: []lead.Transition{
			{From: lead.StageMQL, To: lead.StageSQL, At: day(9), By: "rep-07"},
			{To: lead.StageLead, At: day(1)},
			{From: lead.StageLead, To: lead.StageMQL, At: day(4)},
		},
	}
	fmt.Println(l.StageAt(day(5)))
	fmt.Println(l.StageAt(day(20)))
	mql, ok := l.EnteredAt(lead.StageMQL)
	fmt.Println(mql.Format(time.DateOnly), ok)
	// Output:
	// mql
	// sql
	// 2026-03-04 true
}

func ExampleActivity_IsSalesTouch() {
	acts := []lead.Activity{
		{Type: lead.ActivityWebinarAttended},            // the prospect acted
		{Type: lead.ActivityCall, Actor: "rep-03"},      // a rep called
		{Type: lead.ActivityEmailSent, Actor: "rep-03"}, // a rep wrote
	}
	touches := 0
	for _, a := range acts {
		if a.IsSalesTouch() {
			touches++
		}
	}
	fmt.Println(touches, "sales touches")
	// Output: 2 sales touches
}
