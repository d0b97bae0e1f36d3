package funnel_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func ExampleStandard() {
	f := funnel.Standard()
	for _, s := range f.Stages {
		fmt.Printf("%-12s %s\n", s.Name, s.Team)
	}
	fmt.Println("handoff:", f.Handoff)
	// Output:
	// lead         marketing
	// mql          marketing
	// sal          sales
	// sql          sales
	// opportunity  sales
	// customer     sales
	// handoff: sal
}

func ExampleFunnel_Validate() {
	f := funnel.Funnel{
		Stages: []funnel.Stage{
			{Name: "mql", Team: lead.TeamMarketing},
			{Name: "mql", Team: "ops"},
		},
		Handoff: "won",
	}
	fmt.Println(f.Validate())
	// Output:
	// stages[1].name: "mql" already used by stages[0]
	// stages[1].team: "ops" is not a team; use "marketing" or "sales"
	// handoff: "won" is not one of the stages
}

func ExampleAnalyze() {
	day := func(d int) time.Time { return time.Date(2024, 3, d, 9, 0, 0, 0, time.UTC) }
	move := func(to lead.Stage, d int, reason string) lead.Transition {
		return lead.Transition{To: to, At: day(d), Reason: reason}
	}
	leads := []lead.Lead{
		{ID: "a", CreatedAt: day(1), History: []lead.Transition{
			move("lead", 1, ""), move("mql", 3, ""), move("sal", 4, ""), move("sql", 10, "")}},
		{ID: "b", CreatedAt: day(2), History: []lead.Transition{
			move("lead", 2, ""), move("mql", 6, ""), move("disqualified", 7, "no budget")}},
		// c skipped sal: reaching sql implies it passed sal.
		{ID: "c", CreatedAt: day(2), History: []lead.Transition{
			move("lead", 2, ""), move("mql", 3, ""), move("sql", 5, "")}},
		{ID: "d", CreatedAt: day(5), History: []lead.Transition{move("lead", 5, "")}},
	}
	r, err := funnel.Analyze(funnel.Definition{Funnel: funnel.Standard()}, time.Time{}, leads)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Overall.Stages[:4] {
		fmt.Printf("%-4s reached %d, converted %v", s.Stage, s.Reached, s.Conversion)
		if s.TimeToNext.Median != nil {
			fmt.Printf(", median %v to next", s.TimeToNext.Median)
		}
		for _, e := range s.Exits {
			fmt.Printf(", %d %s (%s)", e.Leads, e.Exit, e.Reason)
		}
		fmt.Println()
	}
	// Output:
	// lead reached 4, converted 0.7500, median 2d to next
	// mql  reached 3, converted 0.6667, median 1d to next, 1 disqualified (no budget)
	// sal  reached 2, converted 1.0000, median 6d to next
	// sql  reached 2, converted 0.0000
}

// Compile a definition once, then make an analysis as of a date: a lead
// won after that date is not a customer yet, and a lead created after it
// is counted as not yet created.
func ExampleCompile() {
	an, err := funnel.Compile(funnel.Definition{Funnel: funnel.Standard(), Cohort: leadkit.Quarter})
	if err != nil {
		fmt.Println(err)
		return
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	a := an.NewAnalysis(day(4, 1))
	_ = a.Add(&lead.Lead{ID: "won-in-april", CreatedAt: day(1, 10), History: []lead.Transition{
		{To: "lead", At: day(1, 10)}, {To: "opportunity", At: day(3, 2)}, {To: "customer", At: day(4, 20)}}})
	_ = a.Add(&lead.Lead{ID: "created-in-may", CreatedAt: day(5, 5), Stage: "lead"})
	r, err := a.Report()
	if err != nil {
		fmt.Println(err)
		return
	}
	o := r.Overall
	fmt.Printf("as of %s: %d leads, %d not yet created\n", r.AsOf.Format("2006-01-02"), r.Leads, r.NotYetCreated)
	fmt.Printf("%s: %d in the funnel, %d opportunities, %d customers\n", r.Cohorts[0].Key, o.Leads, o.Stages[4].Reached, o.Stages[5].Reached)
	// Output:
	// as of 2025-04-01: 2 leads, 1 not yet created
	// 2025-Q1: 1 in the funnel, 1 opportunities, 0 customers
}

func ExampleAnalysis_Merge() {
	an := funnel.MustCompile(funnel.Definition{Funnel: funnel.Standard(), Cohort: leadkit.Month})
	asOf := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	jan := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC)
	// Two workers each see part of the leads.
	w1, w2 := an.NewAnalysis(asOf), an.NewAnalysis(asOf)
	_ = w1.Add(&lead.Lead{ID: "1", CreatedAt: jan, Stage: lead.StageMQL})
	_ = w2.Add(&lead.Lead{ID: "2", CreatedAt: feb, Stage: lead.StageLead})
	_ = w2.Add(&lead.Lead{ID: "3", CreatedAt: feb, Stage: lead.StageSAL})
	if err := w1.Merge(w2); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := w1.Report()
	for _, c := range r.Cohorts {
		fmt.Printf("%s: %d leads, %d MQLs\n", c.Key, c.Leads, c.Stages[1].Reached)
	}
	// Output:
	// 2024-01: 1 leads, 1 MQLs
	// 2024-02: 2 leads, 1 MQLs
}

// An analysis's state is self-describing JSON: a worker encodes it, and
// another process decodes it into a zero Analysis and carries on, with
// no settings to re-attach.
func ExampleAnalysis_MarshalJSON() {
	an := funnel.MustCompile(funnel.Definition{Funnel: funnel.Standard(), Segment: "source.channel"})
	day := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	worker := an.NewAnalysis(time.Time{})
	_ = worker.Add(&lead.Lead{ID: "1", CreatedAt: day, Stage: lead.StageMQL, Source: lead.Source{Channel: lead.ChannelEmail}})
	state, err := json.Marshal(worker)
	if err != nil {
		fmt.Println(err)
		return
	}
	var resumed funnel.Analysis
	if err := json.Unmarshal(state, &resumed); err != nil {
		fmt.Println(err)
		return
	}
	_ = resumed.Add(&lead.Lead{ID: "2", CreatedAt: day, Stage: lead.StageLead, Source: lead.Source{Channel: lead.ChannelSocial}})
	r, _ := resumed.Report()
	for _, s := range r.Segments {
		fmt.Printf("%s: %d leads, %d MQLs\n", s.Key, s.Leads, s.Stages[1].Reached)
	}
	fmt.Println("same definition:", resumed.Fingerprint() == an.Fingerprint())
	// Output:
	// email: 1 leads, 1 MQLs
	// social: 1 leads, 0 MQLs
	// same definition: true
}

// ParseDefinition refuses a misspelt field and names its path.
func ExampleParseDefinition() {
	_, err := funnel.ParseDefinition([]byte(`{
		"funnel": {"stages": [{"name": "mql", "team": "sales"}], "handoff": "mql"},
		"cohort": "month",
		"windw": "30d"
	}`))
	fmt.Println(err)
	d, err := funnel.ParseDefinition([]byte(`{
		"funnel": {"stages": [{"name": "mql", "team": "sales"}], "handoff": "mql"},
		"window": "30d"
	}`))
	fmt.Println(d.Window, err)
	// Output:
	// windw: unknown field; did you mean "window"? (4:3)
	//  |   "windw": "30d"
	//  | ..^
	// 30d <nil>
}

func ExampleFunnel_Ladder() {
	fmt.Println(funnel.HubSpot().Ladder())
	// Output:
	// [subscriber lead mql sql opportunity customer evangelist]
}

func ExampleAnalyze_dataQuality() {
	created := time.Date(2024, 3, 8, 0, 0, 0, 0, time.UTC)
	won := time.Date(2024, 3, 6, 19, 38, 55, 0, time.UTC)
	leads := []lead.Lead{{ID: "b91c", CreatedAt: created, History: []lead.Transition{
		{To: "lead", At: created}, {To: "customer", At: won}, {To: "won", At: won}}}}
	r, _ := funnel.Analyze(funnel.Definition{Funnel: funnel.Standard()}, time.Time{}, leads)
	for _, f := range r.Findings {
		fmt.Printf("%s %s: %s\n", f.LeadID, f.Path, f.Problem)
	}
	fmt.Println("customers:", r.Overall.Stages[5].Reached)
	// Output:
	// b91c history[1].at: entered "customer" at 2024-03-06T19:38:55Z, before the lead was created at 2024-03-08T00:00:00Z
	// b91c history[1].at: entered "customer" at 2024-03-06T19:38:55Z, before the first stage "lead" at 2024-03-08T00:00:00Z
	// b91c history[2].to: unknown stage "won"; transition ignored
	// customers: 1
}

func ExamplePlan() {
	rate := func(s string) kpi.Ratio { return kpi.NewRatio(decimal.RequireFromString(s), decimal.NewFromInt(1)) }
	req, err := funnel.Plan(funnel.Standard(), funnel.Goal{
		Revenue:         decimal.NewFromInt(1_000_000),
		OpenPipeline:    decimal.NewFromInt(400_000),
		AverageDealSize: decimal.NewFromInt(25_000),
		Rates: map[lead.Stage]kpi.Ratio{
			"lead": rate("0.3"), "mql": rate("0.6"), "sal": rate("0.8"), "sql": rate("0.5"), "opportunity": rate("0.25"),
		},
		CostPerLead: decimal.NewFromInt(120),
		Deadline:    time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
		SalesCycle:  leadkit.Duration(120 * 24 * time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range req.Stages {
		fmt.Printf("%-12s %5d by %s\n", s.Stage, s.Needed, s.By.Format("2006-01-02"))
	}
	fmt.Println("budget:", req.Budget)
	// Output:
	// lead          1334 by 2024-09-02
	// mql            400 by 2024-09-26
	// sal            240 by 2024-10-20
	// sql            192 by 2024-11-13
	// opportunity     96 by 2024-12-07
	// customer        24 by 2024-12-31
	// budget: 160080
}

func ExamplePlan_zeroRate() {
	_, err := funnel.Plan(funnel.Standard(), funnel.Goal{
		Revenue:         decimal.NewFromInt(100_000),
		AverageDealSize: decimal.NewFromInt(10_000),
		Rates: map[lead.Stage]kpi.Ratio{
			"lead": kpi.RatioOf(1, 3), "mql": kpi.RatioOf(1, 2), "sal": kpi.RatioOf(0, 40),
			"sql": kpi.RatioOf(1, 2),
		},
		Deadline: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	fmt.Println(err)
	// Output:
	// rates["sal"]: zero; no number of leads at "sal" reaches "sql"
	// rates["opportunity"]: missing; give the conversion rate from "opportunity" to "customer"
}

// The same two leads under the default rules, in strict mode and with a
// 30-day conversion window.
func ExampleDefinition() {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	leads := []lead.Lead{
		// Skips sal and sql: an opportunity 40 days after becoming a lead.
		{ID: "skipper", CreatedAt: day(1), History: []lead.Transition{
			{To: "lead", At: day(1)}, {To: "mql", At: day(2)}, {To: "opportunity", At: day(41)}}},
		// Walks every stage to sql within 20 days.
		{ID: "walker", CreatedAt: day(1), History: []lead.Transition{
			{To: "lead", At: day(1)}, {To: "mql", At: day(5)}, {To: "sal", At: day(6)}, {To: "sql", At: day(21)}}},
	}
	for _, c := range []struct {
		name string
		def  funnel.Definition
	}{
		{"default", funnel.Definition{Funnel: funnel.Standard()}},
		{"strict", funnel.Definition{Funnel: funnel.Standard(), Strict: true}},
		{"30-day window", funnel.Definition{Funnel: funnel.Standard(), Window: leadkit.Duration(30 * 24 * time.Hour)}},
	} {
		r, _ := funnel.Analyze(c.def, time.Time{}, leads)
		fmt.Printf("%-14s", c.name)
		for _, s := range r.Overall.Stages[:5] {
			fmt.Printf(" %s %d", s.Stage, s.Reached)
		}
		fmt.Println()
	}
	// By default the skipper's opportunity implies sal and sql. In strict
	// mode its chain breaks after mql. With the window its opportunity (40
	// days) is too late, and nothing implies sal any more; the walker's
	// sql (20 days) is in time.
	//
	// Output:
	// default        lead 2 mql 2 sal 2 sql 2 opportunity 1
	// strict         lead 2 mql 2 sal 1 sql 1 opportunity 0
	// 30-day window  lead 2 mql 2 sal 1 sql 1 opportunity 0
}
