// Command olist measures the marketing funnel of Olist, a Brazilian
// marketplace, on its public "Marketing Funnel" data set: 8,000 marketing
// qualified leads (MQLs) that asked to be contacted between June 2017 and
// June 2018, and the 842 of them that closed a deal. It prints the
// MQL-to-won funnel overall, by origin (the marketing channel), by
// landing page (the ten with most MQLs), by month of first contact and by
// business segment, with conversion rates and time to won, and the data
// problems it met.
//
// It is a tutorial for mapping a host's own records onto leadkit: each
// MQL becomes a lead.Lead with one transition into "mql" at its first
// contact, and each closed deal adds a transition into "customer" at its
// won date. A two-stage funnel.Funnel (marketing owns the MQL, sales the
// deal) and a few funnel.Analysis runs, each with its own segment key, do
// the rest.
//
// Usage:
//
//	go run ./examples/olist [-dir DIR] [-json] [-top N]
//
// DIR holds olist_marketing_qualified_leads_dataset.csv and
// olist_closed_deals_dataset.csv as published on Kaggle; the default is
// the copy beside the repository, ../shared/data/olist-marketing-funnel.
//
// The MQL file has dates only (read as midnight UTC); won dates have a
// time of day in an unstated zone (read as UTC). Days are elapsed hours
// divided by 24. A deal won before its first contact is counted as won,
// reported as a data problem and left out of the timing figures.
package main

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "olist:", err)
		os.Exit(1)
	}
}

// The stages of Olist's funnel as this example names them.
const (
	stageMQL = lead.StageMQL
	stageWon = lead.StageCustomer
)

// olistFunnel is the funnel the data set describes: marketing hands MQLs
// to sales development reps, sales closes the deal. The data has no
// intermediate stages, so the handoff is the won deal itself.
func olistFunnel() funnel.Funnel {
	return funnel.Funnel{
		Name: "olist mql to won",
		Stages: []funnel.Stage{
			{Name: stageMQL, Team: lead.TeamMarketing, Description: "asked to be contacted through a landing page"},
			{Name: stageWon, Team: lead.TeamSales, Description: "signed up as a seller on the marketplace"},
		},
		Handoff: stageWon,
	}
}

// problem is one data problem, in the JSON form the -json output uses.
type problem struct {
	LeadID  string `json:"lead_id"`
	Problem string `json:"problem"`
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("olist", flag.ContinueOnError)
	dir := fs.String("dir", filepath.Join("..", "shared", "data", "olist-marketing-funnel"), "directory with the two Olist CSV files")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	top := fs.Int("top", 10, "number of landing pages to show")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// 1. Read the MQLs: one lead each, entering "mql" at first contact.
	mqls, err := readCSV(filepath.Join(*dir, "olist_marketing_qualified_leads_dataset.csv"),
		"mql_id", "first_contact_date", "landing_page_id", "origin")
	if err != nil {
		return err
	}
	var problems []problem
	leads := make([]lead.Lead, 0, len(mqls))
	index := map[string]int{} // mql_id -> position in leads
	for _, row := range mqls {
		id := row["mql_id"]
		first, err := time.Parse(time.DateOnly, row["first_contact_date"])
		if err != nil {
			problems = append(problems, problem{id, fmt.Sprintf("first_contact_date %q is not a date; MQL ignored", row["first_contact_date"])})
			continue
		}
		if _, dup := index[id]; dup {
			problems = append(problems, problem{id, "MQL listed twice; second row ignored"})
			continue
		}
		index[id] = len(leads)
		leads = append(leads, lead.Lead{
			ID:        id,
			CreatedAt: first,
			Stage:     stageMQL,
			Source:    lead.Source{Channel: lead.Channel(row["origin"]), LandingPage: row["landing_page_id"]},
			History:   []lead.Transition{{To: stageMQL, At: first}},
		})
	}

	// 2. Read the closed deals: each moves its MQL to "customer" at the
	// won date, owned by the sales rep who closed it.
	deals, err := readCSV(filepath.Join(*dir, "olist_closed_deals_dataset.csv"),
		"mql_id", "sr_id", "won_date", "business_segment")
	if err != nil {
		return err
	}
	for _, row := range deals {
		id := row["mql_id"]
		i, ok := index[id]
		if !ok {
			problems = append(problems, problem{id, "closed deal for an MQL that is not in the MQL file; deal ignored"})
			continue
		}
		l := &leads[i]
		if l.Stage == stageWon {
			problems = append(problems, problem{id, "second closed deal for the same MQL; deal ignored"})
			continue
		}
		won, err := time.Parse(time.DateTime, row["won_date"])
		if err != nil {
			problems = append(problems, problem{id, fmt.Sprintf("won_date %q is not a date and time; deal ignored", row["won_date"])})
			continue
		}
		l.Stage, l.Owner = stageWon, row["sr_id"]
		l.History = append(l.History, lead.Transition{From: stageMQL, To: stageWon, At: won, By: row["sr_id"]})
		l.Fields = map[string]any{"business_segment": row["business_segment"]}
	}

	// 3. Analyse. One analysis per segment key; the first also groups by
	// month of first contact.
	f := olistFunnel()
	byOrigin, err := funnel.Analyze(f, leads, funnel.Options{
		Cohort:    funnel.PeriodMonth,
		SegmentBy: "origin",
		Segment: func(l *lead.Lead) string {
			if l.Source.Channel == "" {
				return "(none)"
			}
			return string(l.Source.Channel)
		},
	})
	if err != nil {
		return err
	}
	byPage, err := funnel.Analyze(f, leads, funnel.Options{
		SegmentBy: "landing page",
		Segment:   func(l *lead.Lead) string { return l.Source.LandingPage },
	})
	if err != nil {
		return err
	}
	bySegment, err := funnel.Analyze(f, leads, funnel.Options{
		SegmentBy: "business segment",
		Segment: func(l *lead.Lead) string {
			s, won := l.Fields["business_segment"].(string)
			switch {
			case !won:
				return "(not won)"
			case s == "":
				return "(none)"
			}
			return s
		},
	})
	if err != nil {
		return err
	}
	// 4. Collect the data problems the analysis found, in Olist's words.
	// A lead is created at its first contact, so a deal won before the
	// first contact is found twice, as a transition before the lead was
	// created and as "customer" entered before the first stage "mql":
	// report it once. (Its negative time to won is not timed.)
	wonEarly := map[string]bool{}
	for _, fd := range byOrigin.Findings {
		if fd.Kind == funnel.FindingBeforeStart {
			wonEarly[fd.LeadID] = true
		}
	}
	for _, fd := range byOrigin.Findings {
		switch {
		case fd.Kind == funnel.FindingBeforeCreated && wonEarly[fd.LeadID]:
			continue
		case fd.Kind == funnel.FindingBeforeStart:
			l := &leads[index[fd.LeadID]]
			won, _ := l.EnteredAt(stageWon)
			problems = append(problems, problem{fd.LeadID, fmt.Sprintf(
				"won on %s, before first contact on %s; counted as won, left out of the timing figures",
				won.Format(time.DateTime), l.CreatedAt.Format(time.DateOnly))})
		default:
			problems = append(problems, problem{fd.LeadID, fd.Problem})
		}
	}
	slices.SortStableFunc(problems, func(a, b problem) int { return cmp.Compare(a.LeadID, b.LeadID) })

	if *asJSON {
		return writeJSON(stdout, byOrigin, problems)
	}
	return writeText(stdout, byOrigin, byPage, bySegment, problems, *top)
}

// row is one group's figures in the JSON output.
type row struct {
	Origin     string `json:"origin,omitempty"`
	Month      string `json:"month,omitempty"`
	MQLs       int64  `json:"mqls"`
	Won        int64  `json:"won"`
	Conversion string `json:"conversion"`
}

// output is the -json document. Conversions are decimal strings with at
// most 6 places; the day figures are null when no deal could be timed.
type output struct {
	MQLs            int64     `json:"mqls"`
	Won             int64     `json:"won"`
	Conversion      string    `json:"conversion"`
	MedianDaysToWon *float64  `json:"median_days_to_won"`
	P90DaysToWon    *float64  `json:"p90_days_to_won"`
	ByOrigin        []row     `json:"by_origin"`
	ByMonth         []row     `json:"by_month"`
	DataQuality     []problem `json:"data_quality"`
}

// conversion formats a rate as a decimal string with 6 places at most
// (rounded half away from zero), "n/a" when undefined.
func conversion(r kpi.Ratio) string {
	v, err := r.Value(6)
	if err != nil {
		return "n/a"
	}
	return v.String()
}

// days converts a duration to elapsed days (hours / 24); nil stays nil.
func days(d *time.Duration) *float64 {
	if d == nil {
		return nil
	}
	v := d.Hours() / 24
	return &v
}

func writeJSON(w io.Writer, r *funnel.Report, problems []problem) error {
	mql := r.Overall.Stages[0]
	out := output{
		MQLs:            mql.Reached,
		Won:             mql.Converted,
		Conversion:      conversion(mql.Conversion),
		MedianDaysToWon: days(mql.TimeToNext.Median),
		P90DaysToWon:    days(mql.TimeToNext.P90),
		ByOrigin:        []row{},
		ByMonth:         []row{},
		DataQuality:     problems,
	}
	if out.DataQuality == nil {
		out.DataQuality = []problem{}
	}
	for _, s := range byLeads(r.Segments) {
		out.ByOrigin = append(out.ByOrigin, row{Origin: s.Key, MQLs: s.Leads, Won: s.Stages[0].Converted, Conversion: conversion(s.Stages[0].Conversion)})
	}
	for _, c := range r.Cohorts {
		out.ByMonth = append(out.ByMonth, row{Month: c.Key, MQLs: c.Leads, Won: c.Stages[0].Converted, Conversion: conversion(c.Stages[0].Conversion)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// byLeads returns the breakdowns with the most MQLs first (ties by key).
func byLeads(bs []funnel.Breakdown) []funnel.Breakdown {
	bs = slices.Clone(bs)
	slices.SortStableFunc(bs, func(a, b funnel.Breakdown) int {
		if c := cmp.Compare(b.Leads, a.Leads); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return bs
}

func writeText(w io.Writer, byOrigin, byPage, bySegment *funnel.Report, problems []problem, top int) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	mql := byOrigin.Overall.Stages[0]
	p("Olist marketing funnel: MQL -> won\n\n")
	p("MQLs %d, won %d, conversion %s\n", mql.Reached, mql.Converted, percent(mql.Conversion))
	p("days to won: median, p90 %s (%d deals timed)\n", timing(mql.TimeToNext), mql.TimeToNext.N)

	table := func(title, keyName string, bs []funnel.Breakdown) {
		p("\n%s\n%-34s %6s %5s %7s  %s\n", title, keyName, "MQLs", "won", "conv", "days to won: median, p90")
		for _, b := range bs {
			s := b.Stages[0]
			p("%-34s %6d %5d %7s  %s\n", b.Key, b.Leads, s.Converted, percent(s.Conversion), timing(s.TimeToNext))
		}
	}
	table("By origin", "origin", byLeads(byOrigin.Segments))
	pages := byLeads(byPage.Segments)
	if len(pages) > top {
		pages = pages[:top]
	}
	table(fmt.Sprintf("Top %d landing pages (of %d)", len(pages), len(byPage.Segments)), "landing page", pages)
	table("By month of first contact", "month", byOrigin.Cohorts)
	// The business segment is known only for closed deals, so this table
	// shows where won deals come from and how long they took.
	p("\nWon deals by business segment\n%-34s %5s %7s  %s\n", "segment", "won", "share", "days to won: median, p90")
	var won int64
	for _, b := range bySegment.Segments {
		won += b.Stages[1].Reached
	}
	for _, b := range byLeads(bySegment.Segments) {
		if b.Key == "(not won)" {
			continue
		}
		s := b.Stages[0]
		p("%-34s %5d %7s  %s\n", b.Key, s.Converted, percent(kpi.RatioOf(s.Converted, won)), timing(s.TimeToNext))
	}

	p("\nData problems (%d)\n", len(problems))
	for _, pr := range problems {
		p("%s  %s\n", pr.LeadID, pr.Problem)
	}
	return nil
}

func percent(r kpi.Ratio) string {
	v, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(1) + "%"
}

func timing(t funnel.Timing) string {
	if t.Median == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f, %.1f", *days(t.Median), *days(t.P90))
}

// readCSV reads a CSV file with a header row and returns its rows as
// maps from column name to value. It fails if a wanted column is missing.
func readCSV(path string, want ...string) ([]map[string]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r := csv.NewReader(file)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var missing []error
	for _, name := range want {
		if _, ok := col[name]; !ok {
			missing = append(missing, fmt.Errorf("%s: no column %q", path, name))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m := make(map[string]string, len(want))
		for _, name := range want {
			m[name] = rec[col[name]]
		}
		rows = append(rows, m)
	}
}
