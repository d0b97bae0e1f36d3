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
//
// The models are stored as a host would store them, as JSON, and loaded
// with scoring.ParseModel, which refuses a misspelt or unknown field
// instead of dropping it. The data set has no dates, so every lead is
// scored as of one instant, and each evaluation is as of that instant too
// (an outcome decided after an evaluation's as-of time would not be known
// then, and would be counted as undecided, not scored).
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// The models, as a host would store them: JSON that a marketing-ops
// person can read, diff and edit.
const (
	beforeModel = `{
  "name": "before", "version": "marketing rule of thumb",
  "rules": [
    {"name": "5+ visits", "when": "(fields.total_visits ?? 0) >= 5", "points": 20},
    {"name": "3+ pages per visit", "when": "(fields.page_views_per_visit ?? 0) >= 3", "points": 10},
    {"name": "downloaded the e-book", "when": "fields.free_copy == true", "points": 15},
    {"name": "search traffic", "when": "source.channel in [\"google\", \"organic_search\"]", "points": 10}
  ]
}`
	sharedModel = `{
  "name": "shared", "version": "with sales feedback",
  "rules": [
    {"name": "lead add form", "when": "fields.lead_origin == \"Lead Add Form\"", "points": 40},
    {"name": "referred", "when": "source.channel in [\"reference\", \"welingak_website\"]", "points": 30},
    {"name": "working professional", "when": "person.role == \"Working Professional\"", "points": 35},
    {"name": "occupation unknown", "when": "person.role == \"\"", "points": -15},
    {"name": "5+ minutes on site", "when": "(fields.time_on_site ?? 0) >= 300", "points": 10},
    {"name": "15+ minutes on site", "when": "(fields.time_on_site ?? 0) >= 900", "points": 30},
    {"name": "chat only", "when": "source.channel == \"olark_chat\"", "points": -10},
    {"name": "do not email", "when": "fields.do_not_email == true", "points": -20}
  ]
}`
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

	// 1. Read the file into checked rows.
	rows, skipped, err := readLeads(f, path)
	if err != nil {
		return err
	}

	// 2. Map each row onto a lead.Lead, with its outcome.
	outcomes := make([]scoring.Outcome, 0, len(rows))
	for _, r := range rows {
		l := &lead.Lead{
			ID:        r.id,
			CreatedAt: decided.AddDate(0, 0, -30),
			Person:    lead.Person{Role: r.occupation},
			Company:   lead.Company{Country: r.country, City: r.city},
			Source:    lead.Source{Channel: lead.Channel(channel(r.source))},
			Fields: map[string]any{
				"lead_origin":  r.origin,
				"do_not_email": r.doNotEmail,
				"free_copy":    r.freeCopy,
			},
		}
		// A missing number leaves the field out: the rules' ?? decides
		// what it means.
		if r.visits != nil {
			l.Fields["total_visits"] = *r.visits
		}
		if r.timeOnSite != nil {
			l.Fields["time_on_site"] = *r.timeOnSite
		}
		if r.pageViews != nil {
			l.Fields["page_views_per_visit"] = *r.pageViews
		}
		outcomes = append(outcomes, scoring.Outcome{Lead: l, DecidedAt: decided, Converted: r.converted})
	}

	// 3. Evaluate both models on the same outcomes, as of the instant
	// the outcomes were decided: each lead is scored as of its decision,
	// so nothing it did afterwards leaks into its score.
	type result struct {
		Model      string                   `json:"model"`
		Evaluation scoring.EvaluationReport `json:"evaluation"`
	}
	var results []result
	for _, src := range []string{beforeModel, sharedModel} {
		m, err := scoring.ParseModel([]byte(src))
		if err != nil {
			return err
		}
		s, err := scoring.Compile(m)
		if err != nil {
			return err
		}
		ev, err := s.NewEvaluation(decided, scoring.EvalOptions{Resolution: 1, Thresholds: []float64{10, 20, 30, 40, 50, 60}})
		if err != nil {
			return err
		}
		for _, o := range outcomes {
			if err := ev.Add(o); err != nil {
				return fmt.Errorf("model %s, lead %s: %w", m.Name, o.Lead.ID, err)
			}
		}
		rep, err := ev.Report()
		if err != nil {
			return err
		}
		results = append(results, result{m.Name + " (" + m.Version + ")", rep})
	}

	if asJSON {
		if skipped == nil {
			skipped = []skip{} // [] rather than null
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"rows": len(rows) + len(skipped), "leads": len(outcomes), "skipped": skipped, "models": results})
	}
	fmt.Fprintf(w, "read %d rows: %d leads with a known outcome, %d rows skipped\n", len(rows)+len(skipped), len(outcomes), len(skipped))
	for i, s := range skipped {
		if i == maxShown {
			fmt.Fprintf(w, "  ... and %d more (-json lists them all)\n", len(skipped)-maxShown)
			break
		}
		fmt.Fprintf(w, "  skipped %s: %s\n", s.At, s.Reason)
	}
	fmt.Fprintf(w, "every lead scored and evaluated as of %s (the data set has no dates)\n", decided.Format(time.DateOnly))
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

// maxShown is how many skipped rows the text output lists.
const maxShown = 20

// decided is when every lead is scored, and the as-of time of the
// evaluations: the data set has no dates, so all leads are scored as of
// one instant after their (unknown) creation.
var decided = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// leadRow is one checked row of Leads.csv: the columns this example uses,
// as Go values. "Select", the web form's unfilled default, is read as
// empty.
type leadRow struct {
	id            string // Prospect ID, never empty
	origin        string // Lead Origin
	source        string // Lead Source
	occupation    string // What is your current occupation
	country, city string
	doNotEmail    bool     // Do Not Email: Yes, or No or empty
	freeCopy      bool     // A free copy of Mastering The Interview: Yes, or No or empty
	converted     bool     // Converted: 1 or 0
	visits        *float64 // TotalVisits; nil when empty
	timeOnSite    *float64 // Total Time Spent on Website, in seconds; nil when empty
	pageViews     *float64 // Page Views Per Visit; nil when empty
}

// skip is a row left out: where it is (file:line:column of the bad value)
// and why.
type skip struct {
	At     string `json:"at"`
	Reason string `json:"reason"`
}

// plainNumber is the only form of number the file uses: digits with an
// optional decimal part (after trimming spaces). It refuses "6,5",
// "1e400", "NaN", "Inf", "-3" and "0x1p4", which strconv.ParseFloat would
// partly accept.
var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// readLeads reads Leads.csv from r; name is the file's name for messages.
// It returns the rows it kept and the rows it skipped, one entry per data
// row between them, or an error, naming the file, line and column, when
// the file's structure is broken.
func readLeads(r io.Reader, name string) (rows []leadRow, skipped []skip, err error) {
	// A byte order mark is not part of the first column's name.
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	// encoding/csv reads CRLF line endings as LF.
	cr := csv.NewReader(br)
	// csvError names the file, line and column of a broken record.
	csvError := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d:%d: %w", name, pe.Line, pe.Column, pe.Err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: empty file: is this the X Education Leads.csv?", name)
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	headerLine, _ := cr.FieldPos(0) // csv skips blank lines before it
	col := map[string]int{}
	for i, h := range header {
		if j, dup := col[h]; dup {
			l, c := cr.FieldPos(i)
			return nil, nil, fmt.Errorf("%s:%d:%d: column %q appears twice (columns %d and %d)", name, l, c, h, j+1, i+1)
		}
		col[h] = i
	}
	var missing []error
	for _, need := range []string{"Prospect ID", "Lead Origin", "Lead Source", "Do Not Email", "Converted",
		"TotalVisits", "Total Time Spent on Website", "Page Views Per Visit", "What is your current occupation",
		"A free copy of Mastering The Interview", "Country", "City"} {
		if _, ok := col[need]; !ok {
			missing = append(missing, fmt.Errorf("%s:%d: no column %q: is this the X Education Leads.csv?", name, headerLine, need))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, nil, err
	}

	firstLine := map[string]int{} // Prospect ID -> line of its first row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, skipped, nil
		}
		if errors.Is(err, csv.ErrFieldCount) && len(rec) < len(header) {
			line, _ := cr.FieldPos(0)
			return nil, nil, fmt.Errorf("%s:%d: the row has %d fields, the header %d: no value for column %d %q",
				name, line, len(rec), len(header), len(rec)+1, header[len(rec)])
		}
		if errors.Is(err, csv.ErrFieldCount) {
			line, c := cr.FieldPos(len(header))
			return nil, nil, fmt.Errorf("%s:%d:%d: the row has %d fields, the header %d: column %d has no name",
				name, line, c, len(rec), len(header), len(header)+1)
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		// at returns where the named column's value is: file:line:column.
		at := func(column string) string {
			l, c := cr.FieldPos(col[column])
			return fmt.Sprintf("%s:%d:%d", name, l, c)
		}
		get := func(column string) string {
			v := strings.TrimSpace(rec[col[column]])
			if v == "Select" {
				return ""
			}
			return v
		}
		// number returns the named column as a number, nil when empty,
		// or a skip when it is not a plain non-negative number.
		number := func(column string) (*float64, *skip) {
			v := get(column)
			if v == "" {
				return nil, nil
			}
			f, err := strconv.ParseFloat(v, 64)
			if !plainNumber.MatchString(v) || err != nil || math.IsInf(f, 0) {
				return nil, &skip{at(column), fmt.Sprintf("%s %q is not a number", column, v)}
			}
			return &f, nil
		}
		// yesNo returns whether the named column says Yes; empty is No.
		yesNo := func(column string) (bool, *skip) {
			switch v := get(column); v {
			case "Yes":
				return true, nil
			case "No", "":
				return false, nil
			default:
				return false, &skip{at(column), fmt.Sprintf("%s %q is neither Yes nor No", column, v)}
			}
		}

		row := leadRow{
			id:         get("Prospect ID"),
			origin:     get("Lead Origin"),
			source:     get("Lead Source"),
			occupation: get("What is your current occupation"),
			country:    get("Country"),
			city:       get("City"),
		}
		if row.id == "" {
			skipped = append(skipped, skip{at("Prospect ID"), "Prospect ID is empty"})
			continue
		}
		if first, dup := firstLine[row.id]; dup {
			skipped = append(skipped, skip{at("Prospect ID"), fmt.Sprintf("Prospect ID %q is also on line %d; the first is kept", row.id, first)})
			continue
		}
		firstLine[row.id] = line
		switch v := get("Converted"); v {
		case "1":
			row.converted = true
		case "0":
		case "":
			skipped = append(skipped, skip{at("Converted"), "Converted is empty: no outcome to learn from"})
			continue
		default:
			skipped = append(skipped, skip{at("Converted"), fmt.Sprintf("Converted %q is neither 0 nor 1", v)})
			continue
		}
		var bad *skip
		if row.doNotEmail, bad = yesNo("Do Not Email"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.freeCopy, bad = yesNo("A free copy of Mastering The Interview"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.visits, bad = number("TotalVisits"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.timeOnSite, bad = number("Total Time Spent on Website"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		if row.pageViews, bad = number("Page Views Per Visit"); bad != nil {
			skipped = append(skipped, *bad)
			continue
		}
		rows = append(rows, row)
	}
}

// channel normalises a lead source: "Direct Traffic" -> "direct_traffic";
// "google" and "Google" are the same source.
func channel(source string) string {
	return strings.ReplaceAll(strings.ToLower(source), " ", "_")
}
