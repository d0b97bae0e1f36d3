package leadkit_test

import (
	"fmt"
	"github.com/leadkit/leadkit"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// Example_readme is the code shown in README.md. TestReadmeShowsExample
// keeps the two identical, so the README's code is compiled and its output
// checked on every test run.
//
// Worked by hand: fit = 30 (VP is in the list) + 20 (350 >= 200) = 50;
// engagement = 40 (one demo request) + 10 (one pricing view within 30 days;
// the one 40 days old is outside the window) = 50; both MQL criteria hold.
// Cost per lead = 12500 / 340 = 36.76470..., 36.7647 to four places; a win
// rate with no closed deals is 0/0, undefined.
func Example_readme() {
	// The shared definition, as data both teams can read and version.
	scorer, err := scoring.Compile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "decision maker", When: `person.seniority in ["director", "vp", "executive"]`, Points: 30},
			{Name: "mid-market", When: `company.employees >= 200`, Points: 20},
			{Name: "demo request", Kind: scoring.Engagement, When: `type == "demo_request"`, Points: 40},
			{Name: "pricing page", Kind: scoring.Engagement, When: `url == "/pricing"`, Points: 10, Within: leadkit.MustParseDuration("30d")},
		},
		Qualification: []scoring.QualificationStage{{
			Stage:    lead.StageMQL,
			Criteria: []scoring.Criterion{{Name: "fit", When: "fit >= 30"}, {Name: "engaged", When: "engagement >= 40"}},
		}},
	})
	if err != nil {
		panic(err)
	}

	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	l := lead.Lead{
		ID: "L-42", CreatedAt: now.AddDate(0, 0, -45),
		Person:  lead.Person{Title: "VP Marketing", Seniority: lead.SeniorityVP},
		Company: lead.Company{Employees: 350},
		Activities: []lead.Activity{
			{Type: lead.ActivityPageView, URL: "/pricing", At: now.AddDate(0, 0, -40)}, // too old: outside 30d
			{Type: lead.ActivityPageView, URL: "/pricing", At: now.AddDate(0, 0, -3)},
			{Type: lead.ActivityDemoRequest, At: now.AddDate(0, 0, -2)},
		},
	}
	res, err := scorer.Score(&l, now)
	if err != nil {
		panic(err)
	}
	fmt.Printf("fit %.0f, engagement %.0f, qualified: %s\n", res.Fit, res.Engagement, res.Qualification.Stage)
	for _, c := range res.Contributions {
		fmt.Printf("  %+4.0f %s\n", c.Points, c.Rule)
	}

	// The numbers both teams are measured on, exact and never NaN.
	fmt.Println("cost per lead:", kpi.CostPerLead(decimal.RequireFromString("12500.00"), 340))
	fmt.Println("win rate:", kpi.WinRate(0, 0))
	// Output:
	// fit 50, engagement 50, qualified: mql
	//    +30 decision maker
	//    +20 mid-market
	//    +40 demo request
	//    +10 pricing page
	// cost per lead: 36.7647
	// win rate: n/a
}

func TestReadmeShowsExample(t *testing.T) {
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	body := between(string(src), "func Example_readme() {\n", "\t// Output:")
	if body == "" {
		t.Fatal("cannot find Example_readme's body")
	}
	// The README shows the body unindented by one tab.
	want := strings.ReplaceAll("\n"+body, "\n\t", "\n")[1:]
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not show Example_readme's code; it should contain:\n%s", want)
	}
	out := between(string(src), "\t// Output:\n", "}\n")
	out = strings.ReplaceAll(strings.ReplaceAll(out, "\t// ", ""), "\t//", "")
	if !strings.Contains(string(readme), "```\n"+out+"```") {
		t.Errorf("README.md does not show Example_readme's output; it should contain:\n%s", out)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}
