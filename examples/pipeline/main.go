// Command pipeline reports sales KPIs on the Maven Analytics "CRM Sales
// Opportunities" data set: win rate, average deal size, sales cycle,
// pipeline velocity and revenue, overall and by agent, manager, regional
// office, product and sector.
//
// It is a tutorial for mapping a host's own CRM export onto leadkit: read
// the rows, turn each into a kpi.Deal, hand the deals to a kpi.Scorecard
// whose dimensions look up what a deal does not carry itself (an agent's
// manager and office, an account's sector), and read the report.
//
// Usage:
//
//	go run ./examples/pipeline [-dir DIR] [-json]
//
// DIR holds sales_pipeline.csv, accounts.csv, products.csv and
// sales_teams.csv as published by Maven Analytics; the default is the copy
// beside the repository, ../shared/data/maven-crm-opportunities.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leadkit/leadkit/kpi"
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

	// 1. The lookup tables: products (for their canonical names), sales
	// teams (agent -> manager, office) and accounts (account -> sector).
	products, err := readCSV(*dir, "products.csv", "product", "series", "sales_price")
	if err != nil {
		return err
	}
	// The pipeline spells "GTX Pro" as "GTXPro": match product names
	// without spaces and case, and use the spelling of products.csv.
	canonical := map[string]string{}
	for _, p := range products {
		canonical[squash(p["product"])] = p["product"]
	}
	teams, err := readCSV(*dir, "sales_teams.csv", "sales_agent", "manager", "regional_office")
	if err != nil {
		return err
	}
	managerOf, officeOf := map[string]string{}, map[string]string{}
	for _, t := range teams {
		managerOf[t["sales_agent"]] = t["manager"]
		officeOf[t["sales_agent"]] = t["regional_office"]
	}
	accounts, err := readCSV(*dir, "accounts.csv", "account", "sector")
	if err != nil {
		return err
	}
	sectorOf := map[string]string{}
	for _, a := range accounts {
		sectorOf[a["account"]] = a["sector"]
	}

	// 2. The scorecard: one period per year, and a dimension per way we
	// want to slice the deals. Deals carry their agent (Owner), product
	// and account; manager, office and sector are looked up.
	lookup := func(m map[string]string, key, missing string) string {
		if v, ok := m[key]; ok {
			return v
		}
		return missing
	}
	sc, err := kpi.NewScorecard(kpi.Config{
		Granularity:  kpi.Year,
		DurationUnit: 24 * time.Hour, // the data has dates, not times
		Dimensions: []kpi.Dimension{
			{Name: "agent", Deal: func(d *kpi.Deal) string { return d.Owner }},
			{Name: "manager", Deal: func(d *kpi.Deal) string { return lookup(managerOf, d.Owner, "(unknown agent)") }},
			{Name: "office", Deal: func(d *kpi.Deal) string { return lookup(officeOf, d.Owner, "(unknown agent)") }},
			kpi.ByProduct(),
			{Name: "sector", Deal: func(d *kpi.Deal) string {
				if d.Account == "" {
					return "(no account)"
				}
				return lookup(sectorOf, d.Account, "(unknown account)")
			}},
		},
	})
	if err != nil {
		return err
	}

	// 3. The opportunities. Every row is counted; rows the scorecard
	// cannot take are counted and reported, never dropped silently.
	rows, err := readCSV(*dir, "sales_pipeline.csv", "opportunity_id", "sales_agent", "product", "account",
		"deal_stage", "engage_date", "close_date", "close_value")
	if err != nil {
		return err
	}
	var n notes
	for i, r := range rows {
		line := i + 2 // the header is line 1
		d := kpi.Deal{ID: r["opportunity_id"], Owner: r["sales_agent"], Account: r["account"]}
		if name, ok := canonical[squash(r["product"])]; ok {
			if name != r["product"] {
				n.renamed++
			}
			d.Product = name
		} else {
			d.Product = r["product"]
			n.unknownProduct++
		}
		if d.Account == "" {
			n.noAccount++
		} else if _, ok := sectorOf[d.Account]; !ok {
			n.unknownAccount++
		}
		switch r["deal_stage"] {
		case "Won":
			d.Status = kpi.DealWon
		case "Lost":
			d.Status = kpi.DealLost
		case "Engaging", "Prospecting":
			d.Status = kpi.DealOpen
		default:
			n.skip(line, fmt.Sprintf("unknown deal_stage %q", r["deal_stage"]))
			continue
		}
		if d.Status == kpi.DealOpen && r["engage_date"] == "" {
			// Prospecting deals have no engage date yet: they are open
			// opportunities, but have no place in time, so they are
			// counted here and not added to the scorecard.
			n.open++
			n.openUndated++
			continue
		}
		if d.CreatedAt, err = time.Parse(time.DateOnly, r["engage_date"]); err != nil {
			n.skip(line, fmt.Sprintf("bad engage_date %q", r["engage_date"]))
			continue
		}
		if d.Status != kpi.DealOpen {
			if d.ClosedAt, err = time.Parse(time.DateOnly, r["close_date"]); err != nil {
				n.skip(line, fmt.Sprintf("%s deal with bad close_date %q", d.Status, r["close_date"]))
				continue
			}
			if d.Amount, err = decimal.NewFromString(r["close_value"]); err != nil {
				n.skip(line, fmt.Sprintf("%s deal with bad close_value %q", d.Status, r["close_value"]))
				continue
			}
		}
		if err := sc.AddDeal(&d); err != nil {
			n.skip(line, err.Error())
			continue
		}
		if d.Status == kpi.DealOpen {
			n.open++
		}
	}

	// 4. The report. The all-periods rows hold the totals and each
	// segment over the whole data set.
	all := map[string][]kpi.Row{}
	var total kpi.Row
	for _, r := range sc.Report().Rows {
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
	velocity := kpi.PipelineVelocity(n.open, total.WinRate, total.AverageDealSize, total.SalesCycle.Mean)

	if *asJSON {
		return printJSON(stdout, total, n, all)
	}
	printText(stdout, *dir, len(rows), total, n, velocity, all)
	return nil
}

// notes counts what the program had to fix or leave out.
type notes struct {
	open           int64 // open deals, dated or not
	openUndated    int64 // open deals without an engage date
	renamed        int   // product names mapped to products.csv's spelling
	unknownProduct int   // product names not in products.csv
	noAccount      int   // rows without an account
	unknownAccount int   // rows whose account is not in accounts.csv
	skipped        []string
}

func (n *notes) skip(line int, why string) {
	n.skipped = append(n.skipped, fmt.Sprintf("sales_pipeline.csv:%d: %s", line, why))
}

// squash returns s without spaces, in lower case: "GTXPro" and "GTX Pro"
// both become "gtxpro".
func squash(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// readCSV reads dir/name and returns its rows as maps keyed by the header,
// after checking that the header has the columns we need.
func readCSV(dir, name string, need ...string) ([]map[string]string, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	header := records[0]
	var missing []error
	for _, col := range need {
		found := false
		for _, h := range header {
			found = found || strings.TrimPrefix(h, "\ufeff") == col
		}
		if !found {
			missing = append(missing, fmt.Errorf("%s: no column %q", name, col))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	rows := make([]map[string]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[strings.TrimPrefix(h, "\ufeff")] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// fixed returns r's value with places decimals, or "n/a".
func fixed(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}

func printText(w io.Writer, dir string, read int, t kpi.Row, n notes, velocity kpi.Ratio, all map[string][]kpi.Row) {
	fmt.Fprintf(w, "Maven CRM opportunities from %s\n\n", dir)
	fmt.Fprintf(w, "read %d rows: %d opportunities (%d won, %d lost, %d open), %d skipped\n",
		read, t.Won+t.Lost+n.open, t.Won, t.Lost, n.open, len(n.skipped))
	fmt.Fprintf(w, "  %d open deals without an engage date: counted as open, no place in time\n", n.openUndated)
	fmt.Fprintf(w, "  %d product names respelt as in products.csv (GTXPro -> GTX Pro); %d not in products.csv\n",
		n.renamed, n.unknownProduct)
	fmt.Fprintf(w, "  %d deals without an account, %d with an account not in accounts.csv (shown as such by sector)\n",
		n.noAccount, n.unknownAccount)
	for _, s := range n.skipped {
		fmt.Fprintf(w, "  skipped %s\n", s)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "win rate           %s (won / (won + lost))\n", fixed(t.WinRate, 4))
	fmt.Fprintf(w, "revenue            %s\n", t.Revenue)
	fmt.Fprintf(w, "average deal size  %s\n", fixed(t.AverageDealSize, 2))
	fmt.Fprintf(w, "sales cycle        median %s days, mean %s days (engage to won)\n",
		fixed(t.SalesCycle.Median, 2), fixed(t.SalesCycle.Mean, 2))
	fmt.Fprintf(w, "pipeline velocity  %s per day (%d open x win rate x average deal / mean cycle)\n",
		fixed(velocity, 2), n.open)
	for _, dim := range []string{"agent", "manager", "office", "product", "sector"} {
		fmt.Fprintf(w, "\nby %s\n", dim)
		fmt.Fprintf(w, "  %-22s %5s %5s %8s %12s %10s %8s\n", "", "won", "lost", "win rate", "revenue", "avg deal", "cycle")
		for _, r := range all[dim] {
			fmt.Fprintf(w, "  %-22s %5d %5d %8s %12s %10s %8s\n", r.Segment, r.Won, r.Lost,
				fixed(r.WinRate, 4), r.Revenue, fixed(r.AverageDealSize, 2), fixed(r.SalesCycle.Median, 1))
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

func printJSON(w io.Writer, t kpi.Row, n notes, all map[string][]kpi.Row) error {
	segments := func(dim string) []segmentJSON {
		out := []segmentJSON{}
		for _, r := range all[dim] {
			out = append(out, segmentJSON{Key: r.Segment, Won: r.Won, Lost: r.Lost,
				WinRate: ratioJSON(r.WinRate, 4), Revenue: r.Revenue})
		}
		return out
	}
	out := struct {
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
		Opportunities:   t.Won + t.Lost + n.open,
		Won:             t.Won,
		Lost:            t.Lost,
		Open:            n.open,
		WinRate:         ratioJSON(t.WinRate, 4),
		Revenue:         t.Revenue,
		AverageDealSize: ratioJSON(t.AverageDealSize, 2),
		MedianCycleDays: ratioJSON(t.SalesCycle.Median, 2),
		MeanCycleDays:   ratioJSON(t.SalesCycle.Mean, 2),
		ByProduct:       segments("product"),
		ByAgent:         segments("agent"),
		ByOffice:        segments("office"),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
