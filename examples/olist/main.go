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
// deal) and three funnel analyses, each with its own segment key (a
// field path such as "source.channel"), do the rest.
//
// Usage:
//
//	go run ./examples/olist [-dir DIR] [-json] [-top N] [-as-of DATE]
//
// DIR holds olist_marketing_qualified_leads_dataset.csv and
// olist_closed_deals_dataset.csv as published on Kaggle; the default is
// the copy beside the repository, ../shared/data/olist-marketing-funnel.
//
// The MQL file has dates only (read as midnight UTC); won dates have a
// time of day in an unstated zone (read as UTC). Days are elapsed hours
// divided by 24, rounded half away from zero. A deal won before its first
// contact is counted as won, reported as a data problem and left out of
// the timing figures.
//
// The funnel is measured as of one instant: by default the latest date in
// the data (first contact or won date), so that everything counts; with
// -as-of 2018-03-31 as it stood at the end of that day (UTC). Nothing
// after the as-of time is counted: an MQL first contacted later is left
// out, a deal won later leaves its MQL not (yet) won, and the output says
// how many of each there were.
//
// Medians and p90s of days to won are exact up to 128 timed deals per
// group; beyond that they come from the funnel's bounded histogram and are
// within 0.5% of the exact figure.
//
// The files are read with leadkit's CRM helpers: lead.CSVRows reads the
// rows (byte order mark, CRLF line endings, quoted fields, line numbers),
// a lead.Mapping says which MQL column is which lead field, and a
// lead.FieldReader reads the won dates; this program keeps only what is
// specific to Olist (the funnel, duplicates, joining deals to MQLs). The
// readers lose nothing silently. A file whose structure is broken (no
// header, a missing column, a stray quote, a row with the wrong number of
// fields) stops the program with an error that names the file and line
// (and the column or byte). A row with a bad value (an empty or duplicate
// mql_id, a date that is not a date) is left out, and reported as a data
// problem with its file, row and column; for a duplicate, the first row is
// kept. The output says how many rows each file had and how many were
// used.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
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

// problem is one data problem, in the JSON form the -json output uses:
// the lead it concerns, where it is (file:line:column of the value at
// fault) and what it is.
type problem struct {
	LeadID  string `json:"lead_id"`
	At      string `json:"at"`
	Problem string `json:"problem"`
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("olist", flag.ContinueOnError)
	dir := fs.String("dir", filepath.Join("..", "shared", "data", "olist-marketing-funnel"), "directory with the two Olist CSV files")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	top := fs.Int("top", 10, "number of landing pages to show")
	asOfDate := fs.String("as-of", "", "measure the funnel as it stood at the end of this day, YYYY-MM-DD in UTC (default: the latest date in the data)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// 1. Read and check the two files. Rows with a bad value are left
	// out and reported as data problems, never dropped silently.
	path := filepath.Join(*dir, "olist_marketing_qualified_leads_dataset.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	mqls, mqlProblems, mqlRows, err := readMQLs(bytes.NewReader(b), path)
	if err != nil {
		return err
	}
	path = filepath.Join(*dir, "olist_closed_deals_dataset.csv")
	if b, err = os.ReadFile(path); err != nil {
		return err
	}
	deals, dealProblems, err := readDeals(bytes.NewReader(b), path)
	if err != nil {
		return err
	}
	// Every row is kept or has its problem.
	c := counts{mqlRows: mqlRows, mqls: len(mqls), dealRows: len(deals) + len(dealProblems)}
	problems := slices.Concat(mqlProblems, dealProblems)

	// 2. Each MQL is a lead that entered "mql" at first contact.
	leads := make([]lead.Lead, 0, len(mqls))
	index := map[string]int{} // mql_id -> position in leads and mqls
	for i, m := range mqls {
		index[m.lead.ID] = i
		leads = append(leads, m.lead)
	}

	// Each closed deal moves its MQL to "customer" at the won date,
	// owned by the sales rep who closed it. The deal's business segment
	// becomes a custom field of the lead, so that an analysis can
	// segment by it ("fields.business_segment").
	wonAt := map[string]string{} // mql_id -> where its deal's won_date is
	var applied []closedDeal     // the deals applied to an MQL
	for _, d := range deals {
		i, ok := index[d.mqlID]
		if !ok {
			problems = append(problems, problem{d.mqlID, d.at, "closed deal for an MQL that is not in the MQL file; deal ignored"})
			continue
		}
		l := &leads[i]
		l.Stage, l.Owner = stageWon, d.srID
		l.History = append(l.History, lead.Transition{From: stageMQL, To: stageWon, At: d.won, By: d.srID})
		l.Fields = map[string]any{"business_segment": d.segment}
		wonAt[d.mqlID] = d.wonAt
		applied = append(applied, d)
	}
	c.deals = len(applied)

	// 3. The as-of time: the end of the day asked for, or else the
	// latest date in the data, so that everything counts. The analyses
	// see nothing after it.
	var asOf time.Time
	if *asOfDate != "" {
		day, err := time.Parse(time.DateOnly, *asOfDate)
		if err != nil {
			return fmt.Errorf("-as-of %q is not a date (YYYY-MM-DD)", *asOfDate)
		}
		asOf = day.AddDate(0, 0, 1).Add(-time.Nanosecond) // the last instant of the day
	} else {
		for _, l := range leads {
			if l.CreatedAt.After(asOf) {
				asOf = l.CreatedAt
			}
		}
		for _, d := range applied {
			if d.won.After(asOf) {
				asOf = d.won
			}
		}
		c.asOfIsLatest = true
	}
	c.asOf = asOf
	// A deal won after the as-of time is invisible to the analyses: its
	// MQL counts as not won. Count those deals, to say so.
	for _, d := range applied {
		if d.won.After(asOf) {
			c.wonLater++
		}
	}

	// 4. Analyse. A funnel.Definition is plain data: the funnel, how to
	// group leads into cohorts and the lead field that names a lead's
	// segment. One analysis per segment key; the first also groups by
	// month of first contact. Leads without a value for the key are in
	// the segment with the empty key.
	byOrigin, err := funnel.Analyze(funnel.Definition{
		Funnel:  olistFunnel(),
		Cohort:  leadkit.Month,
		Segment: "source.channel",
	}, asOf, leads)
	if err != nil {
		return err
	}
	byPage, err := funnel.Analyze(funnel.Definition{Funnel: olistFunnel(), Segment: "source.landing_page"}, asOf, leads)
	if err != nil {
		return err
	}
	// A lead without a won deal has no business segment: it is in the
	// segment with the empty key, with the won deals whose segment is
	// empty. The table of won deals counts only won deals, so there that
	// row is the won deals without a segment.
	bySegment, err := funnel.Analyze(funnel.Definition{Funnel: olistFunnel(), Segment: "fields.business_segment"}, asOf, leads)
	if err != nil {
		return err
	}
	c.notYetCreated = byOrigin.NotYetCreated

	// 5. Collect the data problems the analysis found, in Olist's words.
	// A lead is created at its first contact, so a deal won before the
	// first contact is found twice, as a transition before the lead was
	// created and as "customer" entered before the first stage "mql":
	// report it once. (Its negative time to won is not timed.) The
	// analysis lists at most 100 findings (its MaxFindings), and counts
	// them all.
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
			problems = append(problems, problem{fd.LeadID, wonAt[fd.LeadID], fmt.Sprintf(
				"won on %s, before first contact on %s; counted as won, left out of the timing figures",
				won.Format(time.DateTime), l.CreatedAt.Format(time.DateOnly))})
		default:
			problems = append(problems, problem{fd.LeadID, mqls[index[fd.LeadID]].at, fd.Problem})
		}
	}
	var found int64
	for _, n := range byOrigin.FindingCounts {
		found += n
	}
	if unlisted := found - int64(len(byOrigin.Findings)); unlisted > 0 {
		problems = append(problems, problem{"", "", fmt.Sprintf("%d more problems found by the funnel analysis, not listed", unlisted)})
	}
	slices.SortStableFunc(problems, func(a, b problem) int { return cmp.Compare(a.LeadID, b.LeadID) })

	if *asJSON {
		return writeJSON(stdout, c, byOrigin, problems)
	}
	return writeText(stdout, c, byOrigin, byPage, bySegment, problems, *top)
}

// counts says how many rows each file had, how many were used, and what
// the as-of time left out.
type counts struct {
	mqlRows       int       // rows of the MQL file
	mqls          int       // MQLs kept from them
	dealRows      int       // rows of the closed-deal file
	deals         int       // closed deals applied to an MQL
	asOf          time.Time // the instant the funnel is measured at
	asOfIsLatest  bool      // whether asOf is the latest date in the data
	notYetCreated int64     // MQLs first contacted after asOf: not counted
	wonLater      int       // deals won after asOf: their MQLs count as not won
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
// most 6 places; the day figures are numbers of days rounded to 4 places,
// null when no deal could be timed. as_of is the instant the funnel is
// measured at (RFC 3339); mqls_after_as_of and won_after_as_of count the
// MQLs and deals it left out.
type output struct {
	AsOf            time.Time `json:"as_of"`
	MQLRows         int       `json:"mql_rows"`
	DealRows        int       `json:"deal_rows"`
	MQLsAfterAsOf   int64     `json:"mqls_after_as_of"`
	WonAfterAsOf    int       `json:"won_after_as_of"`
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

// days converts a duration to elapsed days, hours / 24, rounded to
// places decimal places half away from zero. The duration is exact to
// the nanosecond, so the division is done in decimal: no float rounding
// on the way.
func days(d leadkit.Duration, places int32) decimal.Decimal {
	return decimal.NewFromInt(int64(d)).DivRound(decimal.NewFromInt(int64(24*time.Hour)), places)
}

// jsonDays is days with 4 places as a JSON number; nil (null) stays nil.
func jsonDays(d *leadkit.Duration) *float64 {
	if d == nil {
		return nil
	}
	v := days(*d, 4).InexactFloat64()
	return &v
}

// group is the name of a segment in the output: "(none)" for the leads
// without a value.
func group(key string) string {
	if key == "" {
		return "(none)"
	}
	return key
}

func writeJSON(w io.Writer, c counts, r funnel.Report, problems []problem) error {
	mql := r.Overall.Stages[0]
	out := output{
		AsOf:            c.asOf,
		MQLRows:         c.mqlRows,
		DealRows:        c.dealRows,
		MQLsAfterAsOf:   c.notYetCreated,
		WonAfterAsOf:    c.wonLater,
		MQLs:            mql.Reached,
		Won:             mql.Converted,
		Conversion:      conversion(mql.Conversion),
		MedianDaysToWon: jsonDays(mql.TimeToNext.Median),
		P90DaysToWon:    jsonDays(mql.TimeToNext.P90),
		ByOrigin:        []row{},
		ByMonth:         []row{},
		DataQuality:     problems,
	}
	if out.DataQuality == nil {
		out.DataQuality = []problem{}
	}
	for _, s := range byLeads(r.Segments) {
		out.ByOrigin = append(out.ByOrigin, row{Origin: group(s.Key), MQLs: s.Leads, Won: s.Stages[0].Converted, Conversion: conversion(s.Stages[0].Conversion)})
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

func writeText(w io.Writer, c counts, byOrigin, byPage, bySegment funnel.Report, problems []problem, top int) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	mql := byOrigin.Overall.Stages[0]
	p("Olist marketing funnel: MQL -> won\n\n")
	p("read %d MQL rows: %d MQLs, %d left out\n", c.mqlRows, c.mqls, c.mqlRows-c.mqls)
	p("read %d closed-deal rows: %d deals, %d left out\n", c.dealRows, c.deals, c.dealRows-c.deals)
	if c.asOfIsLatest {
		p("as of %s, the latest date in the data\n", c.asOf.Format(time.DateTime))
	} else {
		p("as of %s: %d MQLs first contacted later are not counted, %d deals won later count as not won\n",
			c.asOf.Format(time.DateTime), c.notYetCreated, c.wonLater)
	}
	p("MQLs %d, won %d, conversion %s\n", mql.Reached, mql.Converted, percent(mql.Conversion))
	p("days to won: median, p90 %s (%d deals timed)\n", timing(mql.TimeToNext), mql.TimeToNext.Count)

	table := func(title, keyName string, bs []funnel.Breakdown) {
		p("\n%s\n%-34s %6s %5s %7s  %s\n", title, keyName, "MQLs", "won", "conv", "days to won: median, p90")
		for _, b := range bs {
			s := b.Stages[0]
			p("%-34s %6d %5d %7s  %s\n", group(b.Key), b.Leads, s.Converted, percent(s.Conversion), timing(s.TimeToNext))
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
	// shows where won deals come from and how long they took: most won
	// deals first (ties by key), segments without a won deal left out.
	p("\nWon deals by business segment\n%-34s %5s %7s  %s\n", "segment", "won", "share", "days to won: median, p90")
	var won int64
	for _, b := range bySegment.Segments {
		won += b.Stages[1].Reached
	}
	segments := slices.Clone(bySegment.Segments)
	slices.SortStableFunc(segments, func(a, b funnel.Breakdown) int {
		if c := cmp.Compare(b.Stages[0].Converted, a.Stages[0].Converted); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	for _, b := range segments {
		s := b.Stages[0]
		if s.Converted == 0 {
			continue
		}
		p("%-34s %5d %7s  %s\n", group(b.Key), s.Converted, percent(kpi.RatioOf(s.Converted, won)), timing(s.TimeToNext))
	}

	p("\nData problems (%d)\n", len(problems))
	for _, pr := range problems {
		id := pr.LeadID
		if id == "" {
			id = "(no id)"
		}
		if pr.At == "" {
			p("%s  %s\n", id, pr.Problem)
			continue
		}
		p("%s  %s (%s)\n", id, pr.Problem, pr.At)
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

// timing formats the median and p90 in days with one decimal, "n/a" when
// no deal was timed.
func timing(t leadkit.DurationSummary) string {
	if t.Median == nil {
		return "n/a"
	}
	return days(*t.Median, 1).StringFixed(1) + ", " + days(*t.P90, 1).StringFixed(1)
}

// mql is one MQL read from the MQL file: the lead it maps to, and where
// its mql_id is, for messages.
type mql struct {
	at   string
	lead lead.Lead
}

// mqlMapping maps a row of the MQL file to a lead: the mql_id is its id,
// the first contact date (YYYY-MM-DD, read as midnight UTC) its creation
// time, the origin its channel and the landing page its landing page.
// Only an empty value is missing ("unknown" is an origin).
var mqlMapping = lead.Mapping{
	Format: lead.Format{Missing: []string{}, TimeLayouts: []string{time.DateOnly}},
	Columns: map[string]string{"id": "mql_id", "created_at": "first_contact_date",
		"source.channel": "origin", "source.landing_page": "landing_page_id"},
}

// readMQLs reads the MQL file from r; name is the file's name for
// messages. It returns the MQLs it kept, each a lead that entered "mql"
// at its first contact, the data problems of the rows it left out (one or
// more per row) and the number of data rows, or an error, naming the file
// and line, when the file's structure is broken. A row is left out when its mql_id was seen before (the first
// row is kept) or when lead.Mapper cannot map it: an empty mql_id, a
// first_contact_date that is not a date.
func readMQLs(r io.Reader, name string) (kept []mql, problems []problem, rows int, err error) {
	mp, err := mqlMapping.Mapper()
	if err != nil {
		return nil, nil, 0, err
	}
	firstLine := map[string]int{} // mql_id -> line of its first row
	for row, err := range lead.CSVRows(r, lead.CSVRequire("mql_id", "first_contact_date", "landing_page_id", "origin")) {
		if err != nil {
			return nil, nil, 0, inFile(name, err)
		}
		rows++
		id := strings.TrimSpace(row.Values["mql_id"])
		at := cell(name, row.Line, "mql_id")
		if first, dup := firstLine[id]; dup && id != "" {
			problems = append(problems, problem{id, at, fmt.Sprintf("MQL listed twice, first in row %d; this row ignored", first)})
			continue
		}
		firstLine[id] = row.Line
		l, err := mp.Map(row.Line, row.Values)
		if err != nil {
			problems = append(problems, cellProblems(id, name, err, "MQL ignored")...)
			continue
		}
		l.Stage = stageMQL
		l.History = []lead.Transition{{To: stageMQL, At: l.CreatedAt}}
		kept = append(kept, mql{at: at, lead: l})
	}
	return kept, problems, rows, nil
}

// closedDeal is one checked row of the closed-deal file.
type closedDeal struct {
	at      string    // where its mql_id is, for messages
	wonAt   string    // where its won date is
	mqlID   string    // never empty
	srID    string    // the sales rep who closed it
	won     time.Time // won_date, read as UTC
	segment string    // business_segment; may be empty
}

// readDeals reads the closed-deal file from r, like readMQLs. A row is
// left out when its mql_id is empty or was seen before (the first deal is
// kept), or its won_date is not a date and time (YYYY-MM-DD hh:mm:ss,
// read as UTC).
func readDeals(r io.Reader, name string) (kept []closedDeal, problems []problem, err error) {
	read, err := lead.Format{Missing: []string{}, TimeLayouts: []string{time.DateTime}}.Reader()
	if err != nil {
		return nil, nil, err
	}
	firstLine := map[string]int{} // mql_id -> line of its first deal
	for row, err := range lead.CSVRows(r, lead.CSVRequire("mql_id", "sr_id", "won_date", "business_segment")) {
		if err != nil {
			return nil, nil, inFile(name, err)
		}
		get := func(column string) string { return strings.TrimSpace(row.Values[column]) }
		d := closedDeal{at: cell(name, row.Line, "mql_id"), wonAt: cell(name, row.Line, "won_date"),
			mqlID: get("mql_id"), srID: get("sr_id"), segment: get("business_segment")}
		if d.mqlID == "" {
			problems = append(problems, problem{"", d.at, "closed deal without an mql_id; deal ignored"})
			continue
		}
		if first, dup := firstLine[d.mqlID]; dup {
			problems = append(problems, problem{d.mqlID, d.at, fmt.Sprintf("second closed deal for the same MQL (the first is in row %d); deal ignored", first)})
			continue
		}
		firstLine[d.mqlID] = row.Line
		var ok bool
		d.won, ok, err = read.Time(row.Line, "won_date", row.Values["won_date"])
		if err == nil && !ok {
			err = leadkit.Errorf(lead.CellPath(row.Line, "won_date"), "empty: a closed deal needs its won date")
		}
		if err != nil {
			problems = append(problems, cellProblems(d.mqlID, name, err, "deal ignored")...)
			continue
		}
		kept = append(kept, d)
	}
	return kept, problems, nil
}

// cell says where a value is, for messages: the file, then the row and
// column as lead's errors name a cell
// (`olist_closed_deals_dataset.csv: row 5, column "won_date"`).
func cell(file string, line int, column string) string {
	return file + ": " + lead.CellPath(line, column)
}

// cellProblems turns the errors of lead's mapper and field reader, which
// name their cell in their Path, into data problems of the lead id,
// each ending with what was done about it.
func cellProblems(id, file string, err error, done string) []problem {
	var out []problem
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, cellProblems(id, file, e, done)...)
		}
		return out
	}
	var e *leadkit.Error
	if errors.As(err, &e) {
		return []problem{{id, file + ": " + e.Path, e.Msg + "; " + done}}
	}
	return []problem{{id, file, err.Error() + "; " + done}}
}

// inFile puts the file's name before each error in err (the header
// errors of lead.CSVRows come joined, one per column).
func inFile(name string, err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range j.Unwrap() {
			errs = append(errs, inFile(name, e))
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("%s: %w", name, err)
}
