// Command dashboard serves the weekly meeting's page (the report of
// examples/report) as one web page with charts, built only on leadkit's
// public API through examples/alignment. The page needs nothing from
// the network: its styles, charts (server-drawn SVG) and its few lines
// of script are in the binary.
//
//	go run ./examples/dashboard             # then open http://127.0.0.1:8080
//	go run ./examples/dashboard -once > dashboard.html
//
// Every view has a URL: the query parameters period (week, month,
// quarter), channel (a source channel, empty for all) and as_of (a date;
// default the end of the sample year) choose it, and the form on the page
// sets them. leadkit never reads the clock: the host decides what "now"
// is. The same data is served as JSON: /report.json (everything) and
// /api/{headline,trends,funnel,channels,sla,scoring,plan}.json, with the
// same parameters.
//
// It serves the generated sample by default, or the host's records with
// -data DIR (the files examples/report reads; see there).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("dashboard: ")
	var (
		addr    = flag.String("addr", "127.0.0.1:8080", "address to listen on")
		leads   = flag.Int("leads", 3000, "number of sample leads")
		seed    = flag.Uint64("seed", 1, "seed of the sample data")
		dataDir = flag.String("data", "", "serve your own data from this folder instead of the sample")
		asOf    = flag.String("as-of", "2026-01-01", "the default as-of date")
		period  = flag.String("period", "month", "the default period: week, month or quarter")
		once    = flag.Bool("once", false, "write the page to standard output and exit")
	)
	flag.Parse()

	agreement, err := alignment.DefaultAgreement()
	if err != nil {
		log.Fatal(err)
	}
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
	def, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		log.Fatalf("-as-of: %v", err)
	}
	h, err := newHandler(agreement, data, defaults{asOf: def, period: leadkit.Period(*period)})
	if err != nil {
		log.Fatal(err)
	}
	if *once {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != http.StatusOK {
			log.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		os.Stdout.Write(rec.Body.Bytes())
		return
	}
	log.Printf("serving on http://%s", *addr)
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// defaults are the view's defaults when a query parameter is missing.
type defaults struct {
	asOf   time.Time
	period leadkit.Period
}

// newHandler serves the page at / and the JSON endpoints, each computed
// on request for the view the query parameters choose.
func newHandler(agreement alignment.Agreement, data alignment.Data, def defaults) (http.Handler, error) {
	if def.period == "" {
		def.period = leadkit.Month
	}
	if _, err := alignment.NewBuilder(agreement, alignment.Options{AsOf: def.asOf, Period: def.period}); err != nil {
		return nil, err
	}
	channels := channelsOf(data)
	options := func(r *http.Request) (alignment.Options, error) {
		q := r.URL.Query()
		opt := alignment.Options{AsOf: def.asOf, Period: def.period, Channel: q.Get("channel")}
		if s := q.Get("as_of"); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return opt, fmt.Errorf("as_of: %q is not a date (2025-11-18)", s)
			}
			opt.AsOf = t
		}
		if s := q.Get("period"); s != "" {
			opt.Period = leadkit.Period(s)
		}
		if opt.Channel != "" && !slices.Contains(channels, opt.Channel) {
			return opt, fmt.Errorf("channel: unknown %q", opt.Channel)
		}
		return opt, nil
	}
	build := func(w http.ResponseWriter, r *http.Request) (*alignment.Report, alignment.Options, bool) {
		opt, err := options(r)
		if err == nil {
			var rep *alignment.Report
			if rep, err = alignment.Build(agreement, data, opt); err == nil {
				return rep, opt, true
			}
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil, opt, false
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		rep, opt, ok := build(w, r)
		if !ok {
			return
		}
		var buf bytes.Buffer
		if err := page.Execute(&buf, view(rep, opt, channels)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'")
		w.Write(buf.Bytes())
	})
	section := map[string]func(*alignment.Report) any{
		"headline": func(r *alignment.Report) any { return r.Headline },
		"trends":   func(r *alignment.Report) any { return r.Trends },
		"funnel":   func(r *alignment.Report) any { return r.Funnel },
		"channels": func(r *alignment.Report) any { return r.Channels },
		"sla":      func(r *alignment.Report) any { return r.SLA },
		"scoring":  func(r *alignment.Report) any { return r.Scoring },
		"plan":     func(r *alignment.Report) any { return r.Plan },
	}
	mux.HandleFunc("GET /report.json", func(w http.ResponseWriter, r *http.Request) {
		if rep, _, ok := build(w, r); ok {
			writeJSON(w, rep)
		}
	})
	mux.HandleFunc("GET /api/{section}", func(w http.ResponseWriter, r *http.Request) {
		name, ok := cutSuffix(r.PathValue("section"), ".json")
		f := section[name]
		if !ok || f == nil {
			http.NotFound(w, r)
			return
		}
		if rep, _, ok := build(w, r); ok {
			writeJSON(w, map[string]any{"as_of": rep.AsOf, "period": rep.Period, "channel": rep.Channel, name: f(rep)})
		}
	})
	return mux, nil
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return "", false
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(b, '\n'))
}

// channelsOf returns the source channels of the leads, sorted.
func channelsOf(d alignment.Data) []string {
	seen := map[string]bool{}
	for i := range d.Leads {
		seen[string(d.Leads[i].Source.Channel)] = true
	}
	delete(seen, "")
	var out []string
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// readData reads the host's records whole (the dashboard rebuilds the
// report from them on every request), from the JSON lines files that
// report -export writes; every file but leads.jsonl may be missing.
// Unknown fields are refused, and an error names the file and line.
func readData(dir string) (alignment.Data, error) {
	var d alignment.Data
	var err error
	if d.Leads, err = readLines[lead.Lead](filepath.Join(dir, "leads.jsonl"), true); err != nil {
		return d, err
	}
	if d.Deals, err = readLines[kpi.Deal](filepath.Join(dir, "deals.jsonl"), false); err != nil {
		return d, err
	}
	if d.Customers, err = readLines[kpi.Customer](filepath.Join(dir, "customers.jsonl"), false); err != nil {
		return d, err
	}
	if d.Spend, err = readLines[kpi.Spend](filepath.Join(dir, "spend.jsonl"), false); err != nil {
		return d, err
	}
	d.Visits, err = readLines[kpi.Visits](filepath.Join(dir, "visits.jsonl"), false)
	return d, err
}

// readLines reads every record of a JSON lines file; a missing file is
// an error only when required.
func readLines[T any](path string, required bool) ([]T, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	for v, err := range lead.Lines[T](f) {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err) // err names its line
		}
		out = append(out, v)
	}
	return out, nil
}
