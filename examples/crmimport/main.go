// Command crmimport brings a CRM's contacts export into leadkit: it maps a
// HubSpot-style contacts export (CSV, one row per contact, one "Became a
// ... Date" column per lifecycle stage) to leads with a lead.Mapping kept
// as JSON, and prints the lifecycle funnel and the SLA compliance between
// marketing and sales as of one instant.
//
// It is a tutorial for the mapping helpers of package lead. Everything
// about the export is data: mapping.json says which column is which lead
// field, how the export writes missing values, numbers and times (New
// York local time), how its lifecycle stage and source labels translate,
// and which stage-date columns make each lead's history; job titles give
// seniority and department, country names become ISO codes. funnel.json
// is the funnel definition and agreement.json the service-level agreement
// (business hours in New York). The "Date of first engagement" column
// becomes the lead's first sales touch (an activity by the contact
// owner, in the mapping's activities), the one the response policy
// times. The only glue in Go is what a mapping cannot say: a duplicate
// Record ID keeps its first row.
//
// Usage:
//
//	go run ./examples/crmimport [-file CSV] [-as-of DATE] [-mapping JSON] [-agreement JSON]
//
// The default file is the example export, testdata/contacts.csv, which
// testdata/README.md documents column by column. -as-of is a date (its
// start in the export's zone) or an RFC 3339 time; the default,
// 2025-07-01, is the start of July in New York, so the report covers
// April to June (the export, taken later, holds a contact created and a
// stage entered in July). Nothing after the as-of time is counted: a
// stage entered later is not reached, a contact created later is counted
// as skipped.
//
// Nothing is dropped silently. A row the mapping cannot read (a value that
// does not parse, an unknown country, stage dates out of order, the
// current stage without its date) or a repeated Record ID is left out
// and listed with its row, column and reason, every problem of the row at
// once. An export whose structure is broken (a missing column, a stray
// quote, a row with the wrong number of fields) stops the program with
// an error naming the file and line.
package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	// The export, the funnel and the agreement name zones: embed the zone
	// database so the example runs the same on a machine without one.
	_ "time/tzdata"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/internal/textout"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/sla"
	"github.com/shopspring/decimal"
)

var (
	//go:embed mapping.json
	defaultMapping []byte
	//go:embed funnel.json
	defaultFunnel []byte
	//go:embed agreement.json
	defaultAgreement []byte
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crmimport:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("crmimport", flag.ContinueOnError)
	file := fs.String("file", "examples/crmimport/testdata/contacts.csv", "the contacts export (CSV)")
	asOfFlag := fs.String("as-of", "2025-07-01", "report as of this date (its start in the export's zone) or RFC 3339 time")
	mappingFile := fs.String("mapping", "", "a JSON lead.Mapping to use instead of the embedded mapping.json")
	agreementFile := fs.String("agreement", "", "a JSON sla.Agreement to use instead of the embedded agreement.json")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// 1. The definitions, all data, each read by its strict loader.
	b, err := orFile(defaultMapping, *mappingFile)
	if err != nil {
		return err
	}
	m, err := lead.ParseMapping(b)
	if err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	mp, err := m.Mapper()
	if err != nil {
		return err
	}
	def, err := funnel.ParseDefinition(defaultFunnel)
	if err != nil {
		return fmt.Errorf("funnel.json: %w", err)
	}
	if b, err = orFile(defaultAgreement, *agreementFile); err != nil {
		return err
	}
	agreement, err := sla.ParseAgreement(b)
	if err != nil {
		return fmt.Errorf("agreement: %w", err)
	}
	zone, err := m.Format.Zone.Location()
	if err != nil {
		return err
	}
	asOf, err := parseAsOf(*asOfFlag, zone)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}

	// 2. The export, row by row.
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := importContacts(f, *file, mp, m.Columns["id"])
	if err != nil {
		return err
	}

	// 3. The analyses, as of one instant.
	analyzer, err := funnel.Compile(def)
	if err != nil {
		return err
	}
	checker, err := sla.Compile(agreement)
	if err != nil {
		return err
	}
	analysis, compliance := analyzer.NewAnalysis(asOf), checker.NewCompliance(asOf)
	for i := range imp.leads {
		if err := errors.Join(analysis.Add(&imp.leads[i]), compliance.Add(&imp.leads[i])); err != nil {
			return fmt.Errorf("lead %q: %w", imp.leads[i].ID, err)
		}
	}
	fr, err := analysis.Report()
	if err != nil {
		return err
	}
	sr, err := compliance.Report()
	if err != nil {
		return err
	}
	return writeText(stdout, *file, zone, imp, def.Funnel, fr, sr)
}

// orFile returns the contents of the file named, or def when the name is
// empty.
func orFile(def []byte, name string) ([]byte, error) {
	if name == "" {
		return def, nil
	}
	return os.ReadFile(name)
}

// parseAsOf reads a date as its start in zone, or an RFC 3339 time.
func parseAsOf(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, zone); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// imported is what the export gave: its data rows, the leads mapped and
// the problems of the rows left out (one or more per row).
type imported struct {
	rows     int
	left     int
	leads    []lead.Lead
	problems []error
}

// importContacts maps the rows of the export in r (name is its name for
// messages) to leads with mp. A row whose id (in idColumn) was seen
// before (the first is kept) or that mp cannot map is left out, with its
// problems. A broken file is an error.
func importContacts(r io.Reader, name string, mp *lead.Mapper, idColumn string) (imported, error) {
	var imp imported
	firstRow := map[string]int{} // id -> row of its first contact
	for row, err := range lead.CSVRows(r, lead.CSVRequire(mp.Columns()...)) {
		if err != nil {
			return imported{}, fmt.Errorf("%s: %w", name, err)
		}
		imp.rows++
		id := strings.TrimSpace(row.Values[idColumn])
		if first, dup := firstRow[id]; dup && id != "" {
			imp.left++
			imp.problems = append(imp.problems, leadkit.Errorf(lead.CellPath(row.Line, idColumn),
				"lead %q is also in row %d; the first is kept", id, first))
			continue
		}
		firstRow[id] = row.Line
		l, err := mp.Map(row.Line, row.Values)
		if err != nil {
			imp.left++
			imp.problems = append(imp.problems, flatten(err)...)
			continue
		}
		imp.leads = append(imp.leads, l)
	}
	return imp, nil
}

// flatten lists the errors joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func writeText(w io.Writer, file string, zone *time.Location, imp imported, fn funnel.Funnel, fr funnel.Report, sr sla.Report) error {
	p := textout.New(w)
	p.F("HubSpot contacts export %s, as of %s\n\n", file, fr.AsOf.In(zone).Format("2006-01-02 15:04 MST"))
	p.F("read %d rows: %d leads mapped, %d rows left out\n", imp.rows, len(imp.leads), imp.left)
	for _, e := range imp.problems {
		p.F("  left out: %v\n", e)
	}
	p.F("contacts created after the as-of time, not counted: %d\n", fr.NotYetCreated)

	p.Section("Funnel: where leads get lost")
	p.F("%d leads in the funnel (lifecycle stages implied by a later one count as reached)\n", fr.Overall.Leads)
	t := p.Table("", "stage\tteam\treached\tconverted\tconversion\tfrom top\tmedian days to next\tstill in")
	for _, st := range fr.Overall.Stages {
		t.Row("%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d", st.Stage, st.Team, st.Reached, st.Converted,
			pct(st.Conversion), pct(st.FromTop), days(st.TimeToNext.Median), st.StillIn)
	}
	t.Flush()
	// By channel and by month of the first stage: how many reached MQL,
	// SQL (the handoff) and customer.
	mql, sql, customer := fn.Index(lead.StageMQL), fn.Index(lead.StageSQL), fn.Index(lead.StageCustomer)
	breakdowns := func(title, key string, bs []funnel.Breakdown) {
		p.F("\n%s\n", title)
		t := p.Table("", key+"\tleads\tMQL\tSQL\tcustomer\tlead to SQL")
		for _, b := range bs {
			t.Row("%s\t%d\t%d\t%d\t%d\t%s", orNone(b.Key), b.Leads, b.Stages[mql].Reached, b.Stages[sql].Reached,
				b.Stages[customer].Reached, pct(kpi.RatioOf(b.Stages[sql].Reached, b.Leads)))
		}
		t.Flush()
	}
	breakdowns("By channel", "channel", fr.Segments)
	breakdowns("By month of the first stage", "month", fr.Cohorts)
	var findings int64
	for _, n := range fr.FindingCounts {
		findings += n
	}
	p.F("\n%d data-quality findings\n", findings)
	for _, fd := range fr.Findings {
		p.F("  %s %s: %s\n", fd.LeadID, fd.Path, fd.Problem)
	}

	p.Section("SLA: does each team keep its promises?")
	p.F("times in the business hours of the agreement's calendar\n")
	t = p.Table("", "policy\tteam\tmet\tbreached\tpending\tat risk\tcompliance\tmedian hours")
	for _, pr := range sr.Policies {
		t.Row("%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s", pr.Name, pr.Team, pr.Met, pr.Breached, pr.Pending, pr.AtRisk,
			pct(pr.Compliance), hours(pr.Time.Median))
	}
	t.Flush()
	p.F("\n")
	t = p.Table("", "team\tmet\tbreached\tcompliance")
	for _, tr := range sr.Teams {
		t.Row("%s\t%d\t%d\t%s", tr.Team, tr.Met, tr.Breached, pct(tr.Compliance))
	}
	t.Flush()
	for _, pr := range sr.Policies {
		if len(pr.Owners) > 0 {
			p.F("\n%s, by owner\n", pr.Name)
			t = p.Table("", "owner\tmet\tbreached\tpending\tcompliance")
			for _, o := range pr.Owners {
				t.Row("%s\t%d\t%d\t%d\t%s", orNone(o.Owner), o.Met, o.Breached, o.Pending, pct(o.Compliance))
			}
			t.Flush()
		}
		if len(pr.Breaches) > 0 {
			p.F("\n%s: breaches, latest first\n", pr.Name)
			t = p.Table("", "lead\towner\tdeadline\tlate by (hours)\tcause")
			for _, b := range pr.Breaches {
				t.Row("%s\t%s\t%s\t%s\t%s", b.LeadID, orNone(b.Owner), b.Deadline.In(zone).Format("2006-01-02 15:04"),
					hours(&b.Late), b.Cause)
			}
			t.Flush()
		}
		if len(pr.Periods) > 0 {
			p.F("\n%s, by month\n", pr.Name)
			t = p.Table("", "month\tMQLs\ttarget\tto date\tstatus")
			for _, pe := range pr.Periods {
				t.Row("%s\t%d\t%d\t%s\t%s", pe.Start.In(zone).Format("2006-01"), pe.Leads, pe.Target, pe.ToDate, pe.Status)
			}
			t.Flush()
		}
	}
	return p.Err()
}

// pct formats a ratio as a percentage with one decimal, "n/a" when it is
// undefined.
func pct(r kpi.Ratio) string {
	v, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(1) + "%"
}

// days formats a duration as elapsed days (hours / 24) with one decimal,
// "n/a" when undefined (nil). hours formats it as hours. Both divide the
// exact nanoseconds in decimal, rounding half away from zero.
func days(d *leadkit.Duration) string { return per(d, 24*time.Hour) }

func hours(d *leadkit.Duration) string { return per(d, time.Hour) }

func per(d *leadkit.Duration, unit time.Duration) string {
	if d == nil {
		return "n/a"
	}
	return decimal.NewFromInt(int64(*d)).DivRound(decimal.NewFromInt(int64(unit)), 1).StringFixed(1)
}

// orNone names the empty segment.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
