// Command backtest checks two lead-scoring models against real outcomes:
// the X Education lead-conversion data set (Leads.csv, 9,240 leads of an
// online-course company with a Converted flag). It is a tutorial for
// mapping a host's own records onto leadkit and letting data, not
// opinion, settle which model and which threshold the two teams adopt.
//
//	go run ./examples/backtest -file path/to/Leads.csv
//	go run ./examples/backtest -file path/to/Leads.csv -json
//
// The "before" model is marketing's rule of thumb (visits, page views,
// downloads). The "shared" model adds what sales fed back: where the lead
// came from, who the person is, and how long they really spent on the
// site. Columns that sales fills in after contact (Tags, Lead Quality,
// Last Activity) are left out: scoring with them would leak the outcome.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// The models, as a host would store them: plain data.
var (
	before = scoring.Model{Name: "before", Version: "marketing rule of thumb", Rules: []scoring.Rule{
		{Name: "5+ visits", When: `(fields.total_visits ?? 0) >= 5`, Points: 20},
		{Name: "3+ pages per visit", When: `(fields.page_views_per_visit ?? 0) >= 3`, Points: 10},
		{Name: "downloaded the e-book", When: `fields.free_copy == true`, Points: 15},
		{Name: "search traffic", When: `source.channel in ["google", "organic_search"]`, Points: 10},
	}}
	shared = scoring.Model{Name: "shared", Version: "with sales feedback", Rules: []scoring.Rule{
		{Name: "lead add form", When: `fields.lead_origin == "Lead Add Form"`, Points: 40},
		{Name: "referred", When: `source.channel in ["reference", "welingak_website"]`, Points: 30},
		{Name: "working professional", When: `person.role == "Working Professional"`, Points: 35},
		{Name: "occupation unknown", When: `person.role == ""`, Points: -15},
		{Name: "5+ minutes on site", When: `(fields.time_on_site ?? 0) >= 300`, Points: 10},
		{Name: "15+ minutes on site", When: `(fields.time_on_site ?? 0) >= 900`, Points: 30},
		{Name: "chat only", When: `source.channel == "olark_chat"`, Points: -10},
		{Name: "do not email", When: `fields.do_not_email == true`, Points: -20},
	}}
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("backtest: ")
	file := flag.String("file", "../shared/data/x-education-leads/Leads.csv", "path to the X Education Leads.csv")
	asJSON := flag.Bool("json", false, "print the evaluations as JSON")
	flag.Parse()
	if err := run(*file, *asJSON, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(path string, asJSON bool, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w (the data set is not shipped with leadkit; see the doc comment of examples/backtest)", err)
	}
	defer f.Close()
	outcomes, skipped, err := readLeads(f)
	if err != nil {
		return err
	}

	type result struct {
		Model      string                   `json:"model"`
		Evaluation scoring.EvaluationReport `json:"evaluation"`
	}
	var results []result
	for _, m := range []scoring.Model{before, shared} {
		s, err := scoring.Compile(m)
		if err != nil {
			return err
		}
		rep, err := scoring.Evaluate(s, outcomes, scoring.EvalOptions{Resolution: 1, Thresholds: []float64{10, 20, 30, 40, 50, 60}})
		if err != nil {
			return err
		}
		results = append(results, result{m.Name + " (" + m.Version + ")", rep})
	}

	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"leads": len(outcomes), "skipped": skipped, "models": results})
	}
	fmt.Fprintf(w, "%d leads with a known outcome (%d rows skipped)\n", len(outcomes), skipped)
	for _, r := range results {
		e := r.Evaluation
		fmt.Fprintf(w, "\nmodel %s: %d of %d converted (%s), AUC %s\n", r.Model, e.Converted, e.Leads, e.BaseRate, e.AUC)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  score at least\tleads\tconverted\tprecision\trecall")
		for _, t := range e.Thresholds {
			fmt.Fprintf(tw, "  %.0f\t%d\t%d\t%s\t%s\n", t.Threshold, t.Above, t.Captured, t.Precision, t.Recall)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// decided is when every lead is scored: the data set has no dates, so all
// leads are scored as of one instant after their (unknown) creation.
var decided = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// readLeads maps each row onto a lead.Lead. "Select" is the web form's
// unfilled default and counts as empty.
func readLeads(r io.Reader) (outcomes []scoring.Outcome, skipped int, err error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("reading header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"Prospect ID", "Lead Origin", "Lead Source", "Do Not Email", "Converted",
		"TotalVisits", "Total Time Spent on Website", "Page Views Per Visit", "What is your current occupation",
		"A free copy of Mastering The Interview", "Country", "City"} {
		if _, ok := col[need]; !ok {
			return nil, 0, fmt.Errorf("column %q missing: is this the X Education Leads.csv?", need)
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, skipped, err
		}
		get := func(name string) string {
			v := strings.TrimSpace(rec[col[name]])
			if v == "Select" {
				return ""
			}
			return v
		}
		var converted bool
		switch get("Converted") {
		case "1":
			converted = true
		case "0":
		default:
			skipped++ // no outcome, nothing to learn from
			continue
		}
		l := &lead.Lead{
			ID:        get("Prospect ID"),
			CreatedAt: decided.AddDate(0, 0, -30),
			Person:    lead.Person{Role: get("What is your current occupation")},
			Company:   lead.Company{Country: get("Country"), City: get("City")},
			Source:    lead.Source{Channel: lead.Channel(channel(get("Lead Source")))},
			Fields: map[string]any{
				"lead_origin":  get("Lead Origin"),
				"do_not_email": get("Do Not Email") == "Yes",
				"free_copy":    get("A free copy of Mastering The Interview") == "Yes",
			},
		}
		// Numbers may be empty (137 rows): leave the field out, and let
		// the rules' ?? decide what a missing value means.
		for field, name := range map[string]string{"total_visits": "TotalVisits",
			"time_on_site": "Total Time Spent on Website", "page_views_per_visit": "Page Views Per Visit"} {
			if v, err := strconv.ParseFloat(get(name), 64); err == nil {
				l.Fields[field] = v
			}
		}
		outcomes = append(outcomes, scoring.Outcome{Lead: l, DecidedAt: decided, Converted: converted})
	}
	return outcomes, skipped, nil
}

// channel normalises a lead source: "Direct Traffic" -> "direct_traffic";
// "google" and "Google" are the same source.
func channel(source string) string {
	return strings.ReplaceAll(strings.ToLower(source), " ", "_")
}
