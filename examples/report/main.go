// Command report prints the sales-and-marketing alignment report: how the
// shared scoring model sees the leads, where the funnel loses them, the KPIs
// both teams are measured on, and what next quarter's target needs.
//
// With no flags it runs on a generated sample data set (3,000 leads over
// 2025), so it works on a fresh clone:
//
//	go run ./examples/report
//	go run ./examples/report -leads 20000 -json > report.json
//
// To run it on your own data, write your records as JSON files in one
// folder (leads.json, deals.json, customers.json, spend.json, visits.json:
// each an array of lead.Lead, kpi.Deal, kpi.Customer, kpi.Spend or
// kpi.Visits; all but leads.json are optional) and pass -data. -export
// writes the sample data in that form, to show the format:
//
//	go run ./examples/report -export /tmp/sample
//	go run ./examples/report -data /tmp/sample -as-of 2025-10-01
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	var (
		leads     = flag.Int("leads", 3000, "number of sample leads to generate")
		seed      = flag.Uint64("seed", 1, "seed of the sample data")
		asOfFlag  = flag.String("as-of", "2026-01-01", "report as of this date (UTC) or RFC 3339 time")
		asJSON    = flag.Bool("json", false, "print the report as JSON")
		dataDir   = flag.String("data", "", "read your own data from this folder instead of generating it")
		exportDir = flag.String("export", "", "write the sample data as JSON files to this folder and exit")
		agreement = flag.String("agreement", "", "a JSON agreement to use instead of the embedded one")
	)
	flag.Parse()

	asOf, err := parseTime(*asOfFlag)
	if err != nil {
		log.Fatalf("-as-of: %v", err)
	}

	// 1. The agreement: the scoring model, funnel and targets both teams
	// signed, kept as data.
	a, err := alignment.DefaultAgreement()
	if *agreement != "" {
		b, rerr := os.ReadFile(*agreement)
		if rerr != nil {
			log.Fatal(rerr)
		}
		a, err = alignment.ParseAgreement(b)
	}
	if err != nil {
		log.Fatal(err)
	}

	// 2. The data: generated, or the host's own.
	var data alignment.Data
	if *dataDir != "" {
		data, err = readData(*dataDir)
	} else {
		var ds *sample.Dataset
		ds, err = sample.Generate(sample.Config{Seed: *seed, Leads: *leads})
		if ds != nil {
			data = alignment.Data{Leads: ds.Leads, Deals: ds.Deals, Customers: ds.Customers, Spend: ds.Spend, Visits: ds.Visits}
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	if *exportDir != "" {
		if err := writeData(*exportDir, data); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %d leads and their records to %s\n", len(data.Leads), *exportDir)
		return
	}

	// 3. The report.
	r, err := alignment.Build(a, data, asOf)
	if err != nil {
		log.Fatal(err)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = r.WriteText(os.Stdout)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// readData reads the host's records; every file but leads.json may be
// missing.
func readData(dir string) (alignment.Data, error) {
	var d alignment.Data
	files := []struct {
		name     string
		v        any
		required bool
	}{
		{"leads.json", &d.Leads, true},
		{"deals.json", &d.Deals, false},
		{"customers.json", &d.Customers, false},
		{"spend.json", &d.Spend, false},
		{"visits.json", &d.Visits, false},
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if errors.Is(err, fs.ErrNotExist) && !f.required {
			continue
		}
		if err != nil {
			return d, err
		}
		if err := decodeStrict(b, f.v); err != nil {
			return d, fmt.Errorf("%s:%w", filepath.Join(dir, f.name), err)
		}
	}
	// Check the leads before trusting them, and say what is wrong.
	bad := 0
	for i := range d.Leads {
		if err := d.Leads[i].Validate(); err != nil {
			if bad < 5 {
				log.Printf("lead %q: %v", d.Leads[i].ID, err)
			}
			bad++
		}
	}
	if bad > 0 {
		log.Printf("%d of %d leads have problems; they are reported on as they are", bad, len(d.Leads))
	}
	return d, nil
}

// decodeStrict decodes one JSON value from b into v. A UTF-8 byte order
// mark is skipped, unknown fields and trailing data are refused (a
// misspelt key must not be dropped silently), and an error says the line
// and column: "12:5: json: unknown field \"amout\"".
func decodeStrict(b []byte, v any) error {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	if err == nil {
		return nil
	}
	// pos is the byte the error points at: the one encoding/json stopped
	// after, or the unknown key's opening quote.
	pos := dec.InputOffset()
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		pos = syn.Offset - 1
	case errors.As(err, &typ):
		pos = typ.Offset - 1
	default:
		// encoding/json names an unknown field but not where it is:
		// point at the field's first appearance as a key.
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			if i := bytes.Index(b, []byte(name+":")); i >= 0 {
				pos = int64(i)
			}
		}
	}
	pos = min(max(pos, 0), int64(len(b)))
	line := 1 + bytes.Count(b[:pos], []byte("\n"))
	col := int(pos) - bytes.LastIndexByte(b[:pos], '\n')
	return fmt.Errorf("%d:%d: %w", line, col, err)
}

func writeData(dir string, d alignment.Data) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, v := range map[string]any{
		"leads.json": d.Leads, "deals.json": d.Deals, "customers.json": d.Customers,
		"spend.json": d.Spend, "visits.json": d.Visits,
	} {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
