package lead_test

import (
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func TestKey(t *testing.T) {
	l := &lead.Lead{
		Owner:   "rep-1",
		Person:  lead.Person{Title: "CTO", Seniority: lead.SeniorityExecutive, Department: "it", Role: "buyer"},
		Company: lead.Company{Name: "Acme", Domain: "acme.com", Industry: "saas", Country: "DE", Region: "EU", City: "Berlin"},
		Source:  lead.Source{Channel: lead.ChannelPaidSearch, Campaign: "c1", Medium: "cpc", LandingPage: "/p"},
		Fields: map[string]any{
			"region": "north", "vip": true, "n": 42, "big": uint64(1 << 63), "f": 0.25,
			"amount": decimal.RequireFromString("12.50"), "t": time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
			"list": []any{"a"},
		},
	}
	tests := []struct {
		key  lead.Key
		want string
	}{
		{"owner", "rep-1"},
		{"person.title", "CTO"},
		{"person.role", "buyer"},
		{"person.department", "it"},
		{"person.seniority", "executive"},
		{"company.name", "Acme"},
		{"company.domain", "acme.com"},
		{"company.industry", "saas"},
		{"company.country", "DE"},
		{"company.region", "EU"},
		{"company.city", "Berlin"},
		{"source.channel", "paid_search"},
		{"source.campaign", "c1"},
		{"source.medium", "cpc"},
		{"source.landing_page", "/p"},
		{"fields.region", "north"},
		{"fields.vip", "true"},
		{"fields.n", "42"},
		{"fields.big", "9223372036854775808"}, // 2^63, not wrapped to a negative int64
		{"fields.f", "0.25"},
		{"fields.amount", "12.5"},            // decimal's exact form drops the trailing zero
		{"fields.t", "2026-01-02T02:04:05Z"}, // 03:04:05 at +01:00 is 02:04:05 UTC
		{"fields.list", ""},
		{"fields.missing", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.key), func(t *testing.T) {
			if err := tt.key.Check(); err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got := tt.key.Of(l); got != tt.want {
				t.Errorf("Of = %q, want %q", got, tt.want)
			}
			if got := tt.key.Of(nil); got != "" {
				t.Errorf("Of(nil) = %q, want empty", got)
			}
			f := tt.key.Func()
			if got := f(l); got != tt.want {
				t.Errorf("Func()(l) = %q, want %q", got, tt.want)
			}
			if got := f(nil); got != "" {
				t.Errorf("Func()(nil) = %q, want empty", got)
			}
		})
	}
}

func TestKeyCheckRefuses(t *testing.T) {
	for _, k := range []lead.Key{"", "stage", "fields.", "Owner", "company", "source.channel.x", "history"} {
		if err := k.Check(); err == nil {
			t.Errorf("Check(%q) = nil, want an error", k)
		}
		if got := k.Of(&lead.Lead{Owner: "x", Stage: lead.StageMQL}); got != "" {
			t.Errorf("Of with invalid key %q = %q, want empty", k, got)
		}
		if k.Func() != nil {
			t.Errorf("Func of invalid key %q is not nil", k)
		}
	}
}

func TestFreeMailDomain(t *testing.T) {
	for d, want := range map[string]bool{
		"gmail.com": true, " GMail.com ": true, "yahoo.co.uk": true, "hotmail.fr": true, "web.de": true,
		"acme.com": false, "mail.acme.com": false, "gmail.company.com": false, "": false, "yahoo": false,
	} {
		if got := lead.FreeMailDomain(d); got != want {
			t.Errorf("FreeMailDomain(%q) = %v, want %v", d, got, want)
		}
	}
}
