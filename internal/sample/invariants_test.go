package sample

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// inBusinessHours reports whether t is Monday to Friday, 09:00 to 17:00 UTC
// (17:00 itself excluded).
func inBusinessHours(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && t.Hour() >= 9 && t.Hour() < 17
}

// TestInvariants checks, for every lead and record, the promises of doc.go
// that hold without exception (apart from the documented data-quality
// leads, which are counted).
func TestInvariants(t *testing.T) {
	for _, cfg := range []Config{
		{Seed: 9, Leads: 20000},
		{Seed: 10, Leads: 3000, Start: time.Date(2024, 11, 15, 13, 0, 0, 0, time.UTC), End: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(fmt.Sprintf("seed %d", cfg.Seed), func(t *testing.T) {
			checkInvariants(t, cfg, true)
		})
	}
}

// checkInvariants checks every promise that holds lead by lead and record
// by record; rates adds the checks that need a large sample.
func checkInvariants(t *testing.T, cfg Config, rates bool) {
	ds := mustGenerate(t, cfg)
	start, end := cfg.Start, cfg.End
	if start.IsZero() {
		start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if end.IsZero() {
		end = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	horizon := end.Add(FollowOn)
	failures := 0
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		if failures++; failures >= 20 {
			t.FailNow()
		}
	}
	byID := map[string]*lead.Lead{}
	early := 0
	for i := range ds.Leads {
		l := &ds.Leads[i]
		if want := fmt.Sprintf("L%07d", i+1); l.ID != want {
			errorf("lead %d: id %q, want %q", i, l.ID, want)
		}
		byID[l.ID] = l
		if l.CreatedAt.Before(start) || !l.CreatedAt.Before(end) {
			errorf("%s: created_at %s outside [%s, %s)", l.ID, l.CreatedAt, start, end)
		}
		if i > 0 && l.CreatedAt.Before(ds.Leads[i-1].CreatedAt) {
			errorf("%s: leads not sorted by created_at", l.ID)
		}
		// History: starts with "" -> lead, is chained and in time order,
		// ends in Stage, and lies within [CreatedAt, End+FollowOn].
		h := l.History
		if len(h) == 0 || h[0].From != "" || h[0].To != lead.StageLead {
			errorf("%s: history does not start with \"\" -> lead: %+v", l.ID, h)
			continue
		}
		if h[0].At.Before(l.CreatedAt) {
			early++
		} else if !h[0].At.Equal(l.CreatedAt) {
			errorf("%s: first transition at %s, created %s", l.ID, h[0].At, l.CreatedAt)
		}
		for k := 1; k < len(h); k++ {
			tr := h[k]
			if tr.From != h[k-1].To {
				errorf("%s: history[%d] from %q, previous to %q", l.ID, k, tr.From, h[k-1].To)
			}
			if tr.At.Before(h[k-1].At) || tr.At.Before(l.CreatedAt) || tr.At.After(horizon) {
				errorf("%s: history[%d] at %s out of order or bounds", l.ID, k, tr.At)
			}
			switch {
			case tr.By == Automation:
				// Marketing moves: to MQL, back from recycled, marketing
				// disqualification of a lead, and customer to evangelist.
				ok := tr.To == lead.StageMQL || tr.To == lead.StageEvangelist ||
					(tr.From == lead.StageLead && tr.To == lead.StageDisqualified)
				if !ok {
					errorf("%s: automation made %s -> %s", l.ID, tr.From, tr.To)
				}
			case tr.By != l.Owner || l.Owner == "":
				errorf("%s: history[%d] by %q, owner %q", l.ID, k, tr.By, l.Owner)
			}
			if tr.To.IsExit() && tr.Reason == "" {
				errorf("%s: exit to %s without a reason", l.ID, tr.To)
			}
			if tr.By != Automation && !inBusinessHours(tr.At) {
				errorf("%s: sales move at %s, outside business hours", l.ID, tr.At)
			}
		}
		if l.Stage != h[len(h)-1].To {
			errorf("%s: stage %q, last transition to %q", l.ID, l.Stage, h[len(h)-1].To)
		}
		// The owner is set exactly when sales got the lead.
		_, mql := l.EnteredAt(lead.StageMQL)
		_, sql := l.EnteredAt(lead.StageSQL)
		if (l.Owner != "") != (mql || sql) {
			errorf("%s: owner %q, mql %v, sql %v", l.ID, l.Owner, mql, sql)
		}
		// Activities: within [CreatedAt, End+FollowOn], in time order; sales
		// touches by the owner, inside business hours, not before sales got
		// the lead (first MQL entry, or creation for a fast-track).
		salesFrom, _ := l.EnteredAt(lead.StageMQL)
		if len(h) > 1 && h[1].From == lead.StageLead && h[1].To == lead.StageSQL {
			salesFrom = l.CreatedAt // fast-tracked
		}
		for k, a := range l.Activities {
			if a.At.Before(l.CreatedAt) || a.At.After(horizon) {
				errorf("%s: activities[%d] at %s outside [created, horizon]", l.ID, k, a.At)
			}
			if k > 0 && a.At.Before(l.Activities[k-1].At) {
				errorf("%s: activities not in time order at %d", l.ID, k)
			}
			if a.Actor != "" {
				if a.Actor != l.Owner || !inBusinessHours(a.At) || a.At.Before(salesFrom) {
					errorf("%s: sales touch %+v (owner %q, sales from %s)", l.ID, a, l.Owner, salesFrom)
				}
				switch a.Type {
				case lead.ActivityCall, lead.ActivityEmailSent, lead.ActivityMeeting:
				default:
					errorf("%s: sales touch of type %q", l.ID, a.Type)
				}
			}
		}
		if len(l.Activities) == 0 || !l.Activities[0].At.Equal(l.CreatedAt) || l.Activities[0].Actor != "" {
			errorf("%s: first activity is not the prospect's at creation", l.ID)
		}
		if _, ok := l.Fields["use_case"].(string); !ok {
			errorf("%s: use_case %v", l.ID, l.Fields["use_case"])
		}
		if _, ok := l.Fields["trial"].(bool); !ok {
			errorf("%s: trial %v", l.ID, l.Fields["trial"])
		}
		if b, ok := l.Fields["budget"]; ok {
			if f, isF := b.(float64); !isF || f < 5000 || f > 250000 {
				errorf("%s: budget %v", l.ID, b)
			}
		}
	}
	// dqEarlyShare is 0.1%: 20,000 leads give 20 expected (sd ≈ 4.5), and
	// 3,000 give 3 (sd ≈ 1.7). 0..3·expected+10 bounds both generously.
	if exp := float64(len(ds.Leads)) * dqEarlyShare; rates && (float64(early) > 3*exp+10 || (len(ds.Leads) >= 20000 && early < 5)) {
		errorf("%d leads with a transition before created_at, expected about %.0f", early, exp)
	}

	// Deals reference their lead and match its history.
	ids := map[string]bool{}
	for _, d := range ds.Deals {
		if ids[d.ID] {
			errorf("duplicate deal id %s", d.ID)
		}
		ids[d.ID] = true
		l := byID[d.LeadID]
		if l == nil {
			errorf("deal %s: lead %q does not exist", d.ID, d.LeadID)
			continue
		}
		if d.Account != l.Company.Name || d.Account == "" {
			errorf("deal %s: account %q, lead company %q", d.ID, d.Account, l.Company.Name)
		}
		if !d.Status.IsValid() || !d.Amount.IsPositive() || d.Amount.Exponent() != -2 {
			errorf("deal %s: status %q amount %s", d.ID, d.Status, d.Amount)
		}
		if d.CreatedAt.Before(l.CreatedAt) || d.CreatedAt.After(horizon) {
			errorf("deal %s: created %s out of bounds", d.ID, d.CreatedAt)
		}
		if (d.Status == kpi.DealOpen) != d.ClosedAt.IsZero() || (!d.ClosedAt.IsZero() && (d.ClosedAt.Before(d.CreatedAt) || d.ClosedAt.After(horizon))) {
			errorf("deal %s: status %s created %s closed %s", d.ID, d.Status, d.CreatedAt, d.ClosedAt)
		}
		isExpansion := d.Product == "Analytics Add-on" || d.Product == "Premium Support"
		if isExpansion {
			if d.NewCustomer {
				errorf("deal %s: expansion marked new customer", d.ID)
			}
			continue
		}
		// A new-business deal opens at an opportunity transition and is won
		// exactly at a customer transition.
		opened, won := false, false
		for _, tr := range l.History {
			opened = opened || (tr.To == lead.StageOpportunity && tr.At.Equal(d.CreatedAt))
			won = won || (tr.To == lead.StageCustomer && tr.At.Equal(d.ClosedAt))
		}
		if !opened || won != (d.Status == kpi.DealWon) {
			errorf("deal %s: opened %v won %v status %s", d.ID, opened, won, d.Status)
		}
	}
	// Customers: one per account, since its first won deal.
	firstWin := map[string]time.Time{}
	for _, d := range ds.Deals {
		if d.Status == kpi.DealWon && d.NewCustomer {
			if f, ok := firstWin[d.Account]; !ok || d.ClosedAt.Before(f) {
				firstWin[d.Account] = d.ClosedAt
			}
		}
	}
	seen := map[string]bool{}
	for i, c := range ds.Customers {
		if seen[c.ID] {
			errorf("customer %s twice", c.ID)
		}
		seen[c.ID] = true
		if f, ok := firstWin[c.ID]; !ok || !f.Equal(c.Since) {
			errorf("customer %s: since %s, first win %s", c.ID, c.Since, f)
		}
		if !c.ChurnedAt.IsZero() && (!c.ChurnedAt.After(c.Since) || c.ChurnedAt.After(horizon)) {
			errorf("customer %s: churned %s", c.ID, c.ChurnedAt)
		}
		if i > 0 && c.Since.Before(ds.Customers[i-1].Since) {
			errorf("customers not sorted by since")
		}
	}
	if len(seen) != len(firstWin) {
		errorf("%d customers, %d accounts with a won new-business deal", len(seen), len(firstWin))
	}
	// Spend and visits: days of [start, end), visits of a channel and
	// landing page at least the leads created there that day.
	leadsPer := map[string]int64{}
	for i := range ds.Leads {
		l := &ds.Leads[i]
		leadsPer[l.CreatedAt.Format(time.DateOnly)+string(l.Source.Channel)+l.Source.LandingPage]++
	}
	var visits, nLeads int64
	for _, v := range ds.Visits {
		if v.At.Before(start) || !v.At.Before(end) {
			errorf("visits at %s outside the period", v.At)
		}
		if c := leadsPer[v.At.Format(time.DateOnly)+v.Channel+v.LandingPage]; v.Count < c {
			errorf("visits %s %s %s: %d < %d leads", v.At, v.Channel, v.LandingPage, v.Count, c)
		}
		visits += v.Count
	}
	nLeads = int64(len(ds.Leads))
	// Visits per lead are Σ channel share / visit-to-lead rate = .24/.012 +
	// .18/.025 + .12/.010 + .11/.030 + .08/.040 + .10/.080 + .17/.020 = 20 +
	// 7.2 + 12 + 3.7 + 2 + 1.25 + 8.5 ≈ 55 in expectation (the noise has
	// mean 1); at least 20 leaves room for rounding on small days.
	if rates && visits < 20*nLeads {
		errorf("%d visits for %d leads, want at least 20 per lead", visits, nLeads)
	}
	for _, s := range ds.Spend {
		if s.At.Before(start) || !s.At.Before(end) || !s.Amount.IsPositive() || s.Amount.Exponent() != -2 {
			errorf("spend %+v", s)
		}
		if s.Channel == string(lead.ChannelDirect) || s.Campaign == "customer-referral" {
			errorf("spend on %s/%s, which has none", s.Channel, s.Campaign)
		}
	}
}

func TestCompanyNamesUnique(t *testing.T) {
	// 900,000 leads give 300,000 companies over 60·50·31 = 93,000 base
	// names, so about 3.2 per name: suffix words and numbers both occur.
	g := newGen(4, 900_000, 0, secDay)
	g.makeCompanies()
	names := make(map[string]bool, len(g.companies))
	domains := make(map[string]bool, len(g.companies))
	suffixed, numbered := 0, 0
	for _, c := range g.companies {
		if names[c.c.Name] || domains[c.c.Domain] {
			t.Fatalf("duplicate company %q / %q", c.c.Name, c.c.Domain)
		}
		names[c.c.Name], domains[c.c.Domain] = true, true
		if strings.HasSuffix(c.c.Name, " Group") {
			suffixed++
		}
		if last := c.c.Name[len(c.c.Name)-1]; '0' <= last && last <= '9' {
			numbered++
		}
	}
	if suffixed == 0 || numbered == 0 {
		t.Errorf("no name with a suffix word (%d) or a number (%d): uniqueness untested", suffixed, numbered)
	}
}

func TestTables(t *testing.T) {
	if titles[titleStudent].title != "Student" {
		t.Errorf("titles[titleStudent] = %q", titles[titleStudent].title)
	}
	sum := 0.0
	for _, c := range channels {
		sum += c.weight
	}
	if sum != 100 {
		t.Errorf("channel weights add up to %v, want 100", sum)
	}
	if channels[3].channel != lead.ChannelEmail {
		t.Errorf("channels[3] is %s, want email", channels[3].channel)
	}
}
