package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
)

func testHandler(t *testing.T) http.Handler {
	t.Helper()
	a, err := alignment.DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := sample.Generate(sample.Config{Seed: 3, Leads: 300})
	if err != nil {
		t.Fatal(err)
	}
	d := alignment.Data{Leads: ds.Leads, Deals: ds.Deals, Customers: ds.Customers, Spend: ds.Spend, Visits: ds.Visits}
	return newHandler(a, d, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
}

func TestDashboard(t *testing.T) {
	h := testHandler(t)
	tests := []struct {
		name, url  string
		status     int
		wantInBody []string
	}{
		{"page", "/", http.StatusOK, []string{"<svg", "Funnel: leads reaching each stage", "As of 2026-01-01, 300 leads"}},
		{"page as of an earlier day", "/?as_of=2025-07-01", http.StatusOK, []string{"As of 2025-07-01"}},
		{"bad as_of", "/?as_of=July", http.StatusBadRequest, []string{"as_of"}},
		{"json", "/report.json", http.StatusOK, []string{`"funnel"`, `"sla"`}},
		{"unknown path", "/nope", http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.url, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d; want %d\n%s", rec.Code, tt.status, rec.Body.String())
			}
			for _, want := range tt.wantInBody {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
}

func TestDashboardAsOfHidesTheFuture(t *testing.T) {
	// Fewer leads exist on 2025-07-01 than on 2026-01-01: the page is
	// computed as of the requested day, not as of "now".
	h := testHandler(t)
	leads := func(url string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
		var r struct{ Leads int }
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r.Leads
	}
	early, late := leads("/report.json?as_of=2025-07-01"), leads("/report.json")
	if !(early > 0 && early < late && late == 300) {
		t.Errorf("leads as of 2025-07-01: %d, as of 2026-01-01: %d; want 0 < early < late = 300", early, late)
	}
}
