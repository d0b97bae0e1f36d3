package sample_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
)

// Generate a small data set and print a few facts about it. The same
// Config always prints the same lines, on every machine.
func Example() {
	ds, err := sample.Generate(sample.Config{Seed: 1, Leads: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	stages := map[lead.Stage]int{}
	for _, l := range ds.Leads {
		stages[l.Stage]++
	}
	first := ds.Leads[0]
	fmt.Println("leads:", len(ds.Leads), "deals:", len(ds.Deals), "customers:", len(ds.Customers))
	fmt.Println("now in lead:", stages[lead.StageLead], "mql:", stages[lead.StageMQL],
		"recycled:", stages[lead.StageRecycled], "disqualified:", stages[lead.StageDisqualified])
	fmt.Println("first lead:", first.ID, first.CreatedAt.Format(time.DateTime), first.Person.Title, "at", first.Company.Name)
	fmt.Println("spend rows:", len(ds.Spend), "visit rows:", len(ds.Visits))
	// Output:
	// leads: 100 deals: 7 customers: 0
	// now in lead: 67 mql: 0 recycled: 11 disqualified: 22
	// first lead: L0000001 2025-01-01 12:08:04 Data Analyst at Maplewind Stores
	// spend rows: 5475 visit rows: 8030
}

// Generate reports every problem with the Config at once.
func ExampleGenerate_error() {
	_, err := sample.Generate(sample.Config{
		Leads: -1,
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	fmt.Println(err)
	// Output:
	// sample: leads: negative (-1)
	// sample: end 2025-01-01T00:00:00Z is not after start 2026-01-01T00:00:00Z
}
