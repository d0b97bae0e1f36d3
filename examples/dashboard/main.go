// Command dashboard serves the alignment report as a web page with
// charts, built only on leadkit's public API (through the same
// examples/alignment code that examples/report prints).
//
//	go run ./examples/dashboard              # then open http://localhost:8080
//	go run ./examples/dashboard -once > dashboard.html
//
// The page is recomputed on every request as of the time in the "as_of"
// query parameter (a date, default the end of the sample year), so a
// marketer can look at the funnel as it was on any day: leadkit never
// reads the clock, the host decides what "now" is. /report.json serves
// the same report as JSON.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("dashboard: ")
	var (
		addr  = flag.String("addr", "localhost:8080", "address to listen on")
		leads = flag.Int("leads", 3000, "number of sample leads")
		seed  = flag.Uint64("seed", 1, "seed of the sample data")
		once  = flag.Bool("once", false, "write the page to standard output and exit")
	)
	flag.Parse()

	agreement, err := alignment.DefaultAgreement()
	if err != nil {
		log.Fatal(err)
	}
	ds, err := sample.Generate(sample.Config{Seed: *seed, Leads: *leads})
	if err != nil {
		log.Fatal(err)
	}
	data := alignment.Data{Leads: ds.Leads, Deals: ds.Deals, Customers: ds.Customers, Spend: ds.Spend, Visits: ds.Visits}
	defaultAsOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	mux := newHandler(agreement, data, defaultAsOf)

	if *once {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != http.StatusOK {
			log.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		os.Stdout.Write(rec.Body.Bytes())
		return
	}
	log.Printf("serving on http://%s", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

// newHandler serves the dashboard page at / and the report as JSON at
// /report.json, both computed on each request as of the "as_of" query
// parameter (default defaultAsOf).
func newHandler(agreement alignment.Agreement, data alignment.Data, defaultAsOf time.Time) *http.ServeMux {
	build := func(r *http.Request) (*alignment.Report, error) {
		asOf := defaultAsOf
		if s := r.URL.Query().Get("as_of"); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, fmt.Errorf("as_of: %w", err)
			}
			asOf = t
		}
		return alignment.Build(agreement, data, asOf)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		rep, err := build(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var buf bytes.Buffer
		if err := page.Execute(&buf, view(rep)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("GET /report.json", func(w http.ResponseWriter, r *http.Request) {
		rep, err := build(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(rep)
	})
	return mux
}

// Bar is one bar of a horizontal bar chart.
type Bar struct {
	Label string
	Value float64
	Text  string
	Width float64 // in pixels, set by bars
	Y     int
}

type pageView struct {
	R        *alignment.Report
	Funnel   []Bar
	Grades   []Bar
	Channels []Bar
	Quarters []quarter
}

type quarter struct {
	Period, Spend, Leads, CPL, WinRate, AvgDeal, CAC, ROAS string
}

const chartWidth = 420.0

// bars scales values to the chart width.
func bars(bs []Bar) []Bar {
	maxV := 0.0
	for _, b := range bs {
		maxV = max(maxV, b.Value)
	}
	for i := range bs {
		if maxV > 0 {
			bs[i].Width = bs[i].Value / maxV * chartWidth
		}
		bs[i].Y = i * 26
	}
	return bs
}

func view(r *alignment.Report) pageView {
	v := pageView{R: r}
	for _, st := range r.Funnel.Report.Overall.Stages {
		v.Funnel = append(v.Funnel, Bar{Label: string(st.Stage), Value: float64(st.Reached),
			Text: fmt.Sprintf("%d (%s of top)", st.Reached, pctText(st.FromTop))})
	}
	for _, g := range r.Scoring.Grades {
		f, _ := g.Conversion.Float64()
		v.Grades = append(v.Grades, Bar{Label: "grade " + g.Grade, Value: f,
			Text: fmt.Sprintf("%s of %d", pctText(g.Conversion), g.Leads)})
	}
	for _, b := range r.Funnel.Report.Segments {
		f, _ := b.Conversion.Float64()
		v.Channels = append(v.Channels, Bar{Label: b.Key, Value: f, Text: pctText(b.Conversion)})
	}
	v.Funnel, v.Grades, v.Channels = bars(v.Funnel), bars(v.Grades), bars(v.Channels)
	for _, row := range r.KPIs.Report.Rows {
		if row.Dimension != "" {
			continue
		}
		v.Quarters = append(v.Quarters, quarter{row.Period, row.Spend.StringFixed(0), fmt.Sprint(row.Leads),
			fixedText(row.CostPerLead, 2), pctText(row.WinRate), fixedText(row.AverageDealSize, 0),
			fixedText(row.CustomerAcquisitionCost, 0), fixedText(row.ROAS, 2)})
	}
	return v
}

func pctText(r kpi.Ratio) string {
	p, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return p.StringFixed(1) + "%"
}

func fixedText(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}
