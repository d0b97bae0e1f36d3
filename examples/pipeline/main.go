// Command pipeline reports sales KPIs on the Maven Analytics "CRM Sales
// Opportunities" data set: win rate, average deal size, sales cycle,
// pipeline velocity and revenue, overall and by agent, manager, regional
// office, product and sector.
//
// It is a tutorial for mapping a host's own CRM export onto leadkit: read
// the rows, turn each into a kpi.Deal, attach to each deal the segments it
// does not carry itself (its agent's manager and office, its account's
// sector, looked up in the other files) as the deal's Keys, hand the deals
// to a kpi.Scorecard whose dimensions are plain data, and read the report.
//
// The scorecard is made as of the latest date in the data (engage or close
// date), so every deal counts; an analysis never sees what happened after
// its as-of time. Dates are read as midnight UTC; days are elapsed hours
// divided by 24, rounded half away from zero. The median sales cycle is
// exact up to 128 won deals per group and within 0.5% beyond (the
// scorecard keeps durations in a bounded histogram); the mean is exact.
//
// Usage:
//
//	go run ./examples/pipeline [-dir DIR] [-json]
//
// DIR holds sales_pipeline.csv, accounts.csv, products.csv and
// sales_teams.csv as published by Maven Analytics; the default is the copy
// beside the repository, ../shared/data/maven-crm-opportunities.
//
// The files are read with leadkit's CRM helpers: lead.CSVRows reads the
// rows (byte order mark, CRLF line endings, quoted fields, line numbers)
// and a lead.FieldReader the dates and amounts; this program keeps only
// what is specific to the data set. The readers lose nothing silently.
// A file whose structure is broken (no header, a missing column, a stray
// quote, a row with the wrong number of fields) stops the program with an
// error that names the file and line (and the column or byte). A row with
// a bad value (an unknown deal stage, a date that is not YYYY-MM-DD, a
// close value that is not a number with a decimal point, such as "6,5",
// "1e400" or "NaN", or that is negative, an empty or duplicate id) is
// skipped, and the output lists each skipped row with its file, row,
// column and reason; for a duplicate, the first row is kept. A close
// value may have a sign and thousands grouping ("1,234.50").
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	dir := fs.String("dir", filepath.Join("..", "shared", "data", "maven-crm-opportunities"), "directory with the Maven CRM CSV files")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// 1. Read and check the four files. Rows with a bad value are
	// skipped and listed in the output, never dropped silently.
	var skipped []skip
	read := func(name string) (io.Reader, string, error) {
		path := filepath.Join(*dir, name)
		b, err := os.ReadFile(path)
		return bytes.NewReader(b), path, err
	}
	r, path, err := read("products.csv")
	if err != nil {
		return err
	}
	products, s, err := readLookup(r, path, "product")
	if err != nil {
		return err
	}
	skipped = append(skipped, s...)
	r, path, err = read("sales_teams.csv")
	if err != nil {
		return err
	}
	teams, s, err := readLookup(r, path, "sales_agent", "manager", "regional_office")
	if err != nil {
		return err
	}
	skipped = append(skipped, s...)
	r, path, err = read("accounts.csv")
	if err != nil {
		return err
	}
	accounts, s, err := readLookup(r, path, "account", "sector")
	if err != nil {
		return err
	}
	skipped = append(skipped, s...)
	r, path, err = read("sales_pipeline.csv")
	if err != nil {
		return err
	}
	opportunities, s, err := readOpportunities(r, path)
	if err != nil {
		return err
	}
	skipped = append(skipped, s...)
	// Every row of sales_pipeline.csv is an opportunity or skipped.
	n := notes{rows: len(opportunities) + len(s), skipped: len(s), lookupSkipped: len(skipped) - len(s)}

	// The pipeline spells "GTX Pro" as "GTXPro": match product names
	// without spaces and case, and use the spelling of products.csv.
	canonical := map[string]string{}
	for p := range products {
		canonical[squash(p)] = p
	}

	// 2. The scorecard: one period per year, and a dimension per way we
	// want to slice the deals. A dimension is data: a name and the field
	// that gives a record's segment. Deals carry their agent (Owner) and
	// product themselves; manager, office and sector are not fields of a
	// deal, so each deal gets them in its Keys (by dimension name), which
	// take precedence over the field. The "fields.*" keys only name what
	// the segment is.
	meter, err := kpi.Compile(kpi.Config{
		Period: leadkit.Year,
		Dimensions: []kpi.Dimension{
			{Name: "agent", Key: "owner"},
			{Name: "manager", Key: "fields.manager"},
			{Name: "office", Key: "fields.regional_office"},
			kpi.ByProduct(),
			{Name: "sector", Key: "fields.sector"},
		},
	})
	if err != nil {
		return err
	}

	// The scorecard is as of the latest date in the data, so that every
	// deal counts (a deal closed after the as-of time would be open, one
	// created after it left out).
	var asOf time.Time
	for _, o := range opportunities {
		if o.engaged.After(asOf) {
			asOf = o.engaged
		}
		if o.closed.After(asOf) {
			asOf = o.closed
		}
	}
	sc := meter.NewScorecard(asOf)
	n.asOf = asOf

	// 3. The opportunities, each turned into a kpi.Deal. Deals the
	// scorecard refuses are skipped and listed too.
	lookup := func(table map[string]map[string]string, key, column, missing string) string {
		if row, ok := table[key]; ok {
			return row[column]
		}
		return missing
	}
	for _, o := range opportunities {
		d := kpi.Deal{ID: o.id, Owner: o.agent, Account: o.account, Amount: o.value,
			CreatedAt: o.engaged, ClosedAt: o.closed}
		if name, ok := canonical[squash(o.product)]; ok {
			if name != o.product {
				n.renamed++
			}
			d.Product = name
		} else {
			d.Product = o.product
			n.unknownProduct++
		}
		sector := lookup(accounts, d.Account, "sector", "(unknown account)")
		switch {
		case d.Account == "":
			sector = "(no account)"
			n.noAccount++
		case accounts[d.Account] == nil:
			n.unknownAccount++
		}
		d.Keys = map[string]string{
			"manager": lookup(teams, d.Owner, "manager", "(unknown agent)"),
			"office":  lookup(teams, d.Owner, "regional_office", "(unknown agent)"),
			"sector":  sector,
		}
		switch o.stage {
		case "Won":
			d.Status = kpi.DealWon
		case "Lost":
			d.Status = kpi.DealLost
		default: // Engaging, Prospecting
			d.Status = kpi.DealOpen
			d.ClosedAt = time.Time{}
		}
		if d.Status == kpi.DealOpen && o.engaged.IsZero() {
			// Prospecting deals have no engage date yet: they are open
			// opportunities, but have no place in time, so they are
			// counted here and not added to the scorecard.
			n.open++
			n.openUndated++
			continue
		}
		if err := sc.AddDeal(&d); err != nil {
			skipped = append(skipped, skip{o.at, err.Error()})
			n.skipped++
			continue
		}
		if d.Status == kpi.DealOpen {
			n.open++
		}
	}

	// 4. The report. The all-periods rows hold the totals and each
	// segment over the whole data set.
	report, err := sc.Report()
	if err != nil {
		return err
	}
	all := map[string][]kpi.Row{}
	var total kpi.Row
	for _, r := range report.Rows {
		if r.Period != kpi.AllPeriods {
			continue
		}
		if r.Dimension == "" {
			total = r
		} else {
			all[r.Dimension] = append(all[r.Dimension], r)
		}
	}
	// Pipeline velocity of the open pipeline: open opportunities × win
	// rate × average deal size / mean sales cycle, in revenue per day.
	// The mean cycle in days is the exact ratio of its nanoseconds to a
	// day's.
	cycleDays := kpi.Ratio{} // undefined without won deals
	if m := total.SalesCycle.Mean; m != nil {
		cycleDays = kpi.NewRatio(decimal.NewFromInt(int64(*m)), decimal.NewFromInt(int64(24*time.Hour)))
	}
	velocity := kpi.PipelineVelocity(n.open, total.WinRate, total.AverageDealSize, cycleDays)

	if skipped == nil {
		skipped = []skip{} // JSON [] rather than null
	}
	n.products, n.agents, n.accounts = len(products), len(teams), len(accounts)
	if *asJSON {
		return printJSON(stdout, total, n, skipped, all)
	}
	printText(stdout, *dir, total, n, skipped, velocity, all)
	return nil
}

// notes counts what the program read, had to fix or left out.
type notes struct {
	products       int       // rows kept from products.csv
	agents         int       // rows kept from sales_teams.csv
	accounts       int       // rows kept from accounts.csv
	lookupSkipped  int       // rows of those three files skipped
	asOf           time.Time // the scorecard's as-of time
	rows           int       // rows of sales_pipeline.csv
	skipped        int       // rows of sales_pipeline.csv skipped
	open           int64     // open deals, dated or not
	openUndated    int64     // open deals without an engage date
	renamed        int       // product names mapped to products.csv's spelling
	unknownProduct int       // product names not in products.csv
	noAccount      int       // rows without an account
	unknownAccount int       // rows whose account is not in accounts.csv
}

// skip is a row left out: where (file:line:column of the bad value) and
// why.
type skip struct {
	At     string `json:"at"`
	Reason string `json:"reason"`
}

// squash returns s without spaces, in lower case: "GTXPro" and "GTX Pro"
// both become "gtxpro".
func squash(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// opportunity is one checked row of sales_pipeline.csv.
type opportunity struct {
	at                          string // file and line of the row, for messages
	id, agent, product, account string
	stage                       string          // Won, Lost, Engaging or Prospecting
	engaged, closed             time.Time       // zero when empty
	value                       decimal.Decimal // zero when empty
}

// format reads the dates and amounts of the files: dates are YYYY-MM-DD
// at midnight UTC, amounts have a decimal point, and only an empty value
// is missing.
var format = lead.Format{Missing: []string{}, TimeLayouts: []string{time.DateOnly}}

// readOpportunities reads sales_pipeline.csv from r; name is the file's
// name for messages. It returns the rows it kept and the rows it skipped,
// one entry per data row between them, or an error, naming the file and
// line, when the file's structure is broken.
//
// A row is skipped when its opportunity_id is empty or was seen before
// (the first row is kept), its deal_stage is not Won, Lost, Engaging or
// Prospecting, a date or close value is given but malformed or the value
// is negative, or a won or lost deal lacks its engage date, close date or
// close value, or a deal closes before it was engaged. An open deal may
// lack all three.
func readOpportunities(r io.Reader, name string) (kept []opportunity, skipped []skip, err error) {
	read, err := format.Reader()
	if err != nil {
		return nil, nil, err
	}
	firstLine := map[string]int{} // opportunity_id -> line of its first row
	for row, err := range lead.CSVRows(r, lead.CSVRequire("opportunity_id", "sales_agent", "product", "account",
		"deal_stage", "engage_date", "close_date", "close_value")) {
		if err != nil {
			return nil, nil, inFile(name, err)
		}
		get := func(column string) string { return strings.TrimSpace(row.Values[column]) }
		at := func(column string) string { return cell(name, row.Line, column) }
		o := opportunity{at: at("opportunity_id"), id: get("opportunity_id"), agent: get("sales_agent"),
			product: get("product"), account: get("account"), stage: get("deal_stage")}
		if o.id == "" {
			skipped = append(skipped, skip{o.at, "opportunity_id is empty"})
			continue
		}
		if first, dup := firstLine[o.id]; dup {
			skipped = append(skipped, skip{o.at, fmt.Sprintf("opportunity_id %q is also in row %d; the first is kept", o.id, first)})
			continue
		}
		firstLine[o.id] = row.Line
		closed := o.stage == "Won" || o.stage == "Lost"
		if !closed && o.stage != "Engaging" && o.stage != "Prospecting" {
			skipped = append(skipped, skip{at("deal_stage"), fmt.Sprintf("unknown deal_stage %q", o.stage)})
			continue
		}
		// The reader's errors name the line and column of the value.
		var ok bool
		if o.engaged, ok, err = read.Time(row.Line, "engage_date", row.Values["engage_date"]); err != nil {
			skipped = append(skipped, cellSkip(name, err))
			continue
		} else if !ok && closed {
			skipped = append(skipped, skip{at("engage_date"), o.stage + " deal without an engage_date"})
			continue
		}
		if o.closed, ok, err = read.Time(row.Line, "close_date", row.Values["close_date"]); err != nil {
			skipped = append(skipped, cellSkip(name, err))
			continue
		} else if !ok && closed {
			skipped = append(skipped, skip{at("close_date"), o.stage + " deal without a close_date"})
			continue
		}
		if !o.closed.IsZero() && o.closed.Before(o.engaged) {
			skipped = append(skipped, skip{at("close_date"), fmt.Sprintf("close_date %s is before engage_date %s",
				o.closed.Format(time.DateOnly), o.engaged.Format(time.DateOnly))})
			continue
		}
		if o.value, ok, err = read.Decimal(row.Line, "close_value", row.Values["close_value"]); err != nil {
			skipped = append(skipped, cellSkip(name, err))
			continue
		} else if !ok && closed {
			skipped = append(skipped, skip{at("close_value"), o.stage + " deal without a close_value"})
			continue
		}
		if o.value.IsNegative() {
			skipped = append(skipped, skip{at("close_value"), fmt.Sprintf("close_value %s is negative", o.value)})
			continue
		}
		kept = append(kept, o)
	}
	return kept, skipped, nil
}

// readLookup reads a lookup table from r: a key column and the value
// columns wanted, as a map from key to column to value. name is the
// file's name for messages. A row with an empty key, or a key seen
// before, is skipped (the first row is kept); a broken file is an error.
func readLookup(r io.Reader, name, key string, values ...string) (table map[string]map[string]string, skipped []skip, err error) {
	table = map[string]map[string]string{}
	firstLine := map[string]int{} // key -> line of its first row
	for row, err := range lead.CSVRows(r, lead.CSVRequire(append([]string{key}, values...)...)) {
		if err != nil {
			return nil, nil, inFile(name, err)
		}
		k := strings.TrimSpace(row.Values[key])
		if k == "" {
			skipped = append(skipped, skip{cell(name, row.Line, key), key + " is empty"})
			continue
		}
		if first, dup := firstLine[k]; dup {
			skipped = append(skipped, skip{cell(name, row.Line, key), fmt.Sprintf("%s %q is also in row %d; the first is kept", key, k, first)})
			continue
		}
		firstLine[k] = row.Line
		t := map[string]string{}
		for _, v := range values {
			t[v] = strings.TrimSpace(row.Values[v])
		}
		table[k] = t
	}
	return table, skipped, nil
}

// cell says where a value is, for messages: the file, then the line and
// column as lead's errors name a cell ("sales_pipeline.csv: row 10,
// column "close_value"").
func cell(file string, line int, column string) string {
	return file + ": " + lead.CellPath(line, column)
}

// cellSkip is the skip for an error of a lead.FieldReader, which names
// the cell in its Path.
func cellSkip(file string, err error) skip {
	var e *leadkit.Error
	if errors.As(err, &e) {
		return skip{file + ": " + e.Path, e.Msg}
	}
	return skip{file, err.Error()}
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

// days returns a duration as elapsed days, hours / 24, with places
// decimals (rounded half away from zero), or "n/a" for an undefined (nil)
// duration. The division is done in decimal, from the exact nanoseconds.
func days(d *leadkit.Duration, places int32) string {
	if d == nil {
		return "n/a"
	}
	return decimal.NewFromInt(int64(*d)).DivRound(decimal.NewFromInt(int64(24*time.Hour)), places).StringFixed(places)
}

// daysJSON is days as a JSON string, or nil (null) when undefined.
func daysJSON(d *leadkit.Duration, places int32) *string {
	if d == nil {
		return nil
	}
	s := days(d, places)
	return &s
}

// fixed returns r's value with places decimals, or "n/a".
func fixed(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}

func printText(w io.Writer, dir string, t kpi.Row, n notes, skipped []skip, velocity kpi.Ratio, all map[string][]kpi.Row) {
	fmt.Fprintf(w, "Maven CRM opportunities from %s, as of %s (the latest date in the data)\n\n", dir, n.asOf.Format(time.DateOnly))
	fmt.Fprintf(w, "read %d products, %d sales agents, %d accounts (%d rows skipped)\n",
		n.products, n.agents, n.accounts, n.lookupSkipped)
	fmt.Fprintf(w, "read %d rows: %d opportunities (%d won, %d lost, %d open), %d skipped\n",
		n.rows, t.Won+t.Lost+n.open, t.Won, t.Lost, n.open, n.skipped)
	fmt.Fprintf(w, "  %d open deals without an engage date: counted as open, no place in time\n", n.openUndated)
	fmt.Fprintf(w, "  %d product names respelt as in products.csv (GTXPro -> GTX Pro); %d not in products.csv\n",
		n.renamed, n.unknownProduct)
	fmt.Fprintf(w, "  %d deals without an account, %d with an account not in accounts.csv (shown as such by sector)\n",
		n.noAccount, n.unknownAccount)
	for i, s := range skipped {
		if i == maxShown {
			fmt.Fprintf(w, "  ... and %d more (-json lists them all)\n", len(skipped)-maxShown)
			break
		}
		fmt.Fprintf(w, "  skipped %s: %s\n", s.At, s.Reason)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "win rate           %s (won / (won + lost))\n", fixed(t.WinRate, 4))
	fmt.Fprintf(w, "revenue            %s\n", t.Revenue)
	fmt.Fprintf(w, "average deal size  %s\n", fixed(t.AverageDealSize, 2))
	fmt.Fprintf(w, "sales cycle        median %s days, mean %s days (engage to won)\n",
		days(t.SalesCycle.Median, 2), days(t.SalesCycle.Mean, 2))
	fmt.Fprintf(w, "pipeline velocity  %s per day (%d open x win rate x average deal / mean cycle)\n",
		fixed(velocity, 2), n.open)
	for _, dim := range []string{"agent", "manager", "office", "product", "sector"} {
		fmt.Fprintf(w, "\nby %s\n", dim)
		fmt.Fprintf(w, "  %-22s %5s %5s %8s %12s %10s %8s\n", "", "won", "lost", "win rate", "revenue", "avg deal", "cycle")
		for _, r := range all[dim] {
			fmt.Fprintf(w, "  %-22s %5d %5d %8s %12s %10s %8s\n", r.Segment, r.Won, r.Lost,
				fixed(r.WinRate, 4), r.Revenue, fixed(r.AverageDealSize, 2), days(r.SalesCycle.Median, 1))
		}
	}
}

// segmentJSON is one row of by_product, by_agent and by_office.
type segmentJSON struct {
	Key     string          `json:"key"`
	Won     int64           `json:"won"`
	Lost    int64           `json:"lost"`
	WinRate *string         `json:"win_rate"`
	Revenue decimal.Decimal `json:"revenue"`
}

// ratioJSON returns r's value with places decimals as a string, or nil
// (JSON null) when it is undefined.
func ratioJSON(r kpi.Ratio, places int32) *string {
	v, err := r.Value(places)
	if err != nil {
		return nil
	}
	s := v.StringFixed(places)
	return &s
}

// maxShown is how many skipped rows the text output lists.
const maxShown = 20

func printJSON(w io.Writer, t kpi.Row, n notes, skipped []skip, all map[string][]kpi.Row) error {
	segments := func(dim string) []segmentJSON {
		out := []segmentJSON{}
		for _, r := range all[dim] {
			out = append(out, segmentJSON{Key: r.Segment, Won: r.Won, Lost: r.Lost,
				WinRate: ratioJSON(r.WinRate, 4), Revenue: r.Revenue})
		}
		return out
	}
	out := struct {
		AsOf            time.Time       `json:"as_of"`
		Rows            int             `json:"rows"`
		Skipped         []skip          `json:"skipped"`
		Opportunities   int64           `json:"opportunities"`
		Won             int64           `json:"won"`
		Lost            int64           `json:"lost"`
		Open            int64           `json:"open"`
		WinRate         *string         `json:"win_rate"`
		Revenue         decimal.Decimal `json:"revenue"`
		AverageDealSize *string         `json:"average_deal_size"`
		MedianCycleDays *string         `json:"median_cycle_days"`
		MeanCycleDays   *string         `json:"mean_cycle_days"`
		ByProduct       []segmentJSON   `json:"by_product"`
		ByAgent         []segmentJSON   `json:"by_agent"`
		ByOffice        []segmentJSON   `json:"by_office"`
	}{
		AsOf:            n.asOf,
		Rows:            n.rows,
		Skipped:         skipped,
		Opportunities:   t.Won + t.Lost + n.open,
		Won:             t.Won,
		Lost:            t.Lost,
		Open:            n.open,
		WinRate:         ratioJSON(t.WinRate, 4),
		Revenue:         t.Revenue,
		AverageDealSize: ratioJSON(t.AverageDealSize, 2),
		MedianCycleDays: daysJSON(t.SalesCycle.Median, 2),
		MeanCycleDays:   daysJSON(t.SalesCycle.Mean, 2),
		ByProduct:       segments("product"),
		ByAgent:         segments("agent"),
		ByOffice:        segments("office"),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
