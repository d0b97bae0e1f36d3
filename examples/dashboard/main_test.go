package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
)

func testHandler(t testing.TB) http.Handler {
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
	h, err := newHandler(a, d, defaults{asOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), period: leadkit.Quarter})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t *testing.T, h http.Handler, url string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	return rec
}

func TestDashboard(t *testing.T) {
	h := testHandler(t)
	tests := []struct {
		name, url  string
		status     int
		wantInBody []string
	}{
		{"page", "/", http.StatusOK, []string{`<svg id="trend"`, `<svg id="funnel"`, `<svg id="conv"`, `<svg id="cost"`, `<svg id="owners"`, `<svg id="scores"`,
			"As of 2026-01-01: quarter 2025-Q4 to date against 2025-Q3, all channels; 300 leads", `<label for="channel">`}},
		{"page as of an earlier day", "/?as_of=2025-07-01&period=week", http.StatusOK, []string{"As of 2025-07-01: week 2025-W27"}},
		{"channel", "/?channel=email", http.StatusOK, []string{"channel email;", `<option value="email" selected>`}},
		{"bad as_of", "/?as_of=July", http.StatusBadRequest, []string{"as_of"}},
		{"bad period", "/?period=day", http.StatusBadRequest, []string{"period"}},
		{"bad channel", "/?channel=carrier_pigeon", http.StatusBadRequest, []string{"channel"}},
		{"json", "/report.json", http.StatusOK, []string{`"funnel"`, `"sla"`, `"headline"`}},
		{"api headline", "/api/headline.json?period=month", http.StatusOK, []string{`"headline"`, `"key": "leads"`}},
		{"api trends", "/api/trends.json", http.StatusOK, []string{`"trends"`, `"points"`}},
		{"api sla", "/api/sla.json", http.StatusOK, []string{`"at_risk"`}},
		{"api unknown", "/api/nope.json", http.StatusNotFound, nil},
		{"unknown path", "/nope", http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.url)
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

func TestDashboardViews(t *testing.T) {
	// Fewer leads exist on 2025-07-01 than on 2026-01-01, and fewer
	// are email leads: the view follows the query.
	h := testHandler(t)
	leads := func(url string) int64 {
		var r struct{ Leads int64 }
		if err := json.Unmarshal(get(t, h, url).Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r.Leads
	}
	early, late, email := leads("/report.json?as_of=2025-07-01"), leads("/report.json"), leads("/report.json?channel=email")
	if !(early > 0 && early < late && late == 300) {
		t.Errorf("leads as of 2025-07-01: %d, as of 2026-01-01: %d; want 0 < early < late = 300", early, late)
	}
	if !(email > 0 && email < late) {
		t.Errorf("email leads %d of %d", email, late)
	}
}
