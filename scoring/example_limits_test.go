package scoring_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// A frequency limit counts re-opens of one email once, a stage change to
// recycled resets engagement, and the grade and the engagement band make
// the matrix cell.
func ExampleFrequency() {
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "director", When: `person.seniority == "director"`, Points: 30},
			{Name: "email opens", Kind: scoring.Engagement, When: `type == "email_open"`, Points: 2,
				Frequency: &scoring.Frequency{Distinct: "fields.email_id"}},
			{Name: "pricing page", Kind: scoring.Engagement, When: `url == "/pricing"`, Points: 5},
		},
		Grades: scoring.Bands("A", 30, "B", 15, "C"),
		Bands:  scoring.Bands("1", 10, "2", 4, "3"),
		Resets: []scoring.Reset{{Name: "recycled", Stage: lead.StageRecycled}},
	})
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	email := func(d int, id string) lead.Activity {
		return lead.Activity{Type: "email_open", At: day(d), Fields: map[string]any{"email_id": id}}
	}
	l := &lead.Lead{
		ID: "ada", CreatedAt: day(1), Person: lead.Person{Seniority: "director"},
		History: []lead.Transition{{From: lead.StageMQL, To: lead.StageRecycled, At: day(4)}},
		Activities: []lead.Activity{
			{Type: "page_view", URL: "/pricing", At: day(2)},
			email(5, "march-news"), email(6, "march-news"), email(7, "march-news"), email(8, "webinar-invite"),
		},
	}
	for _, asOf := range []time.Time{day(3), day(9)} {
		r, err := s.Score(l, asOf)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("as of %s: engagement %g, cell %s\n", asOf.Format("Jan 2"), r.Engagement, r.Cell)
		if r.Reset.Name != "" {
			fmt.Printf("  reset %q on %s dropped %d activities\n", r.Reset.Name, r.Reset.At.Format("Jan 2"), r.Reset.Dropped)
		}
		for _, c := range r.Contributions {
			fmt.Printf("  %s: %d counted, %d removed by the limit, %g points\n", c.Rule, c.Matches, c.Limited, c.Points)
		}
	}
	// Output:
	// as of Mar 3: engagement 5, cell A2
	//   director: 1 counted, 0 removed by the limit, 30 points
	//   pricing page: 1 counted, 0 removed by the limit, 5 points
	// as of Mar 9: engagement 4, cell A2
	//   reset "recycled" on Mar 4 dropped 1 activities
	//   director: 1 counted, 0 removed by the limit, 30 points
	//   email opens: 2 counted, 2 removed by the limit, 4 points
}
