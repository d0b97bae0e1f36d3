package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// reps returns the sample's owner ids rep-<from> to rep-<to>.
func reps(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("rep-%02d", i))
	}
	return out
}

// followUpAgreement is the agreement of issue 14 on the sample data:
// seven policies (the response promise in two versions, from 2025-01-01
// and tightening on 2025-03-01), pauses, a next_response and a periodic policy, and two
// team calendars besides the default one, which closes early on two
// afternoons.
func followUpAgreement(maxBreaches int) Agreement {
	exits := []lead.Stage{lead.StageRecycled, lead.StageDisqualified}
	return Agreement{
		Calendar: Calendar{Week: weekdays("09:00-17:00"), Closures: []Closure{
			{Date: "2025-07-04", From: "12:00", Name: "summer party"}, {Date: "2025-12-24", From: "13:00"}}},
		Calendars: []TeamCalendar{
			{Name: "apac", Owners: reps(1, 4), Calendar: Calendar{Zone: "Asia/Singapore", Week: weekdays("09:00-18:00")}},
			{Name: "emea", Owners: reps(5, 8), Calendar: Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-12:30", "13:30-18:00"),
				Holidays: []Holiday{{Date: "2025-05-01"}, {Date: "2025-07-14"}}}},
		},
		MaxBreaches: maxBreaches,
		Policies: []Policy{
			{Name: "response", Kind: KindResponse, Within: hours(8), WarnBefore: hours(2), EffectiveFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Name: "response", Kind: KindResponse, Within: hours(4), WarnAt: decimal.NewFromInt(75), EffectiveFrom: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
			{Name: "attempts", Kind: KindAttempts, Within: hours(40), Attempts: 2},
			{Name: "acceptance", Kind: KindAcceptance, Within: hours(24)},
			{Name: "follow-up", Kind: KindNextResponse, Within: hours(8), Inbound: []lead.ActivityType{lead.ActivityDemoRequest, lead.ActivityFormSubmit},
				PauseIn: exits, WarnAt: decimal.NewFromInt(50)},
			{Name: "open deal contact", Kind: KindPeriodic, Within: hours(40), During: []lead.Stage{lead.StageSQL, lead.StageOpportunity}},
			{Name: "volume", Kind: KindVolume, Period: leadkit.Week, Target: 40},
			{Name: "quality", Kind: KindQuality, Period: leadkit.Month, Percent: decimal.NewFromInt(60)},
		},
	}
}

// TestFollowUpContract runs the accumulator harness over the new
// policy kinds, pauses, versions and calendars.
func TestFollowUpContract(t *testing.T) {
	leads := contractLeads(t)
	for i, a := range []Agreement{followUpAgreement(3), followUpAgreement(0)} {
		ch := MustCompile(a)
		acctest.Run(t, acctest.Harness[Compliance, Report]{
			New:     func() *Compliance { return ch.NewCompliance(contractAsOf) },
			Records: len(leads),
			Add:     func(c *Compliance, i int) error { return c.Add(&leads[i]) },
			Merge:   func(a, b *Compliance) error { return a.Merge(b) },
			Report:  func(c *Compliance) (Report, error) { return c.Report() },
			Rounds:  4,
			Seed:    uint64(10 + i),
		})
	}
}

// TestFollowUpAgreesWithCheck: the accumulator's counts per policy
// name equal those of Check's results, lead by lead (an independent
// path: no state, no merge), and every kind and feature is exercised by
// the sample.
func TestFollowUpAgreesWithCheck(t *testing.T) {
	leads := contractLeads(t)
	ch := MustCompile(followUpAgreement(0))
	c := ch.NewCompliance(contractAsOf)
	want := map[string]*Counts{}
	var paused, calendars, versions, trails int
	for i := range leads {
		if err := c.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
		if leads[i].CreatedAt.After(contractAsOf) {
			continue
		}
		rs, err := ch.Check(&leads[i], contractAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			n := want[r.Policy]
			if n == nil {
				n = &Counts{}
				want[r.Policy] = n
			}
			switch r.Status {
			case StatusMet:
				n.Met++
			case StatusBreached:
				n.Breached++
			case StatusPending:
				n.Pending++
			case StatusAtRisk:
				n.AtRisk++
			}
			if r.Paused > 0 {
				paused++
			}
			if r.Calendar != "" {
				calendars++
			}
			if !r.Version.IsZero() {
				versions++
			}
			if len(r.Trail) >= 3 {
				trails++
			}
		}
	}
	rep, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Policies {
		if !p.Kind.perLead() {
			continue
		}
		w := want[p.Name]
		if w == nil || p.Met != w.Met || p.Breached != w.Breached || p.Pending != w.Pending || p.AtRisk != w.AtRisk {
			t.Errorf("%s: report %d/%d/%d/%d, Check %+v", p.Name, p.Met, p.Breached, p.Pending, p.AtRisk, w)
		}
		if p.Met+p.Breached == 0 || p.Pending+p.AtRisk == 0 {
			t.Errorf("%s: the sample does not exercise it (%+v)", p.Name, p.Counts)
		}
	}
	t.Logf("results paused %d, on team calendars %d, by the new version %d, with trails %d", paused, calendars, versions, trails)
	if paused == 0 || calendars == 0 || versions == 0 || trails == 0 {
		t.Error("the sample does not exercise pauses, calendars, versions or trails")
	}
}

// followUpGolden returns the state of the first 300 contract leads
// under followUpAgreement(5).
func followUpGolden(t *testing.T) []byte { return stateOf(t, followUpAgreement(5)) }

const followUpGoldenPath = "testdata/compliance_state_followup.golden.json"

// TestFollowUpGoldenState pins the state of an agreement with every
// issue-14 feature. Regenerate with go test ./sla -run
// TestFollowUpGoldenState -update.
func TestFollowUpGoldenState(t *testing.T) {
	want := checkGolden(t, followUpGolden(t), followUpGoldenPath)
	for _, s := range []string{`"calendar": "apac"`, `"calendar": "emea"`, `"version": "2025-`} {
		if !strings.Contains(string(want), s) {
			t.Errorf("the golden state has no %s", s)
		}
	}
}

// breachWith returns the index of the first breach of policy state i
// whose field key is set (or, with key "", the first breach).
func breachWith(m map[string]any, i int, key string) map[string]any {
	for _, b := range policyState(m, i)["breaches"].([]any) {
		bm := b.(map[string]any)
		if _, ok := bm[key]; key == "" || ok {
			return bm
		}
	}
	panic("no breach with " + key)
}

// TestFollowUpDecodeRefusals: the new breach fields are checked on
// decode.
func TestFollowUpDecodeRefusals(t *testing.T) {
	golden := followUpGolden(t)
	tests := []struct {
		name string
		f    func(m map[string]any)
		want string
	}{
		{"unknown calendar", func(m map[string]any) { breachWith(m, 0, "calendar")["calendar"] = "mars" }, "calendar"},
		{"calendar of another owner", func(m map[string]any) {
			b := breachWith(m, 0, "calendar")
			if b["calendar"] == "apac" {
				b["calendar"] = "emea"
			} else {
				b["calendar"] = "apac"
			}
		}, "is not on calendar"},
		{"calendar dropped", func(m map[string]any) { delete(breachWith(m, 0, "calendar"), "calendar") }, "calendar: missing"},
		{"unknown version", func(m map[string]any) { breachWith(m, 0, "version")["version"] = "2025-05-02T00:00:00Z" }, "version"},
		{"negative paused", func(m map[string]any) { breachWith(m, 3, "")["paused"] = "-1h" }, "paused"},
		{"paused without pause_in", func(m map[string]any) { breachWith(m, 0, "")["paused"] = "1h" }, "pauses nothing"},
		{"calendar of an owner on none", func(m map[string]any) {
			for i := range 4 {
				for _, b := range policyState(m, i)["breaches"].([]any) {
					if bm := b.(map[string]any); bm["calendar"] == nil {
						bm["calendar"] = "apac" // the first calendar
						return
					}
				}
			}
			panic("every breach is on a team calendar")
		}, "is not on calendar"},
		{"a trail", func(m map[string]any) {
			breachWith(m, 0, "")["trail"] = []any{map[string]any{"at": "2025-01-01T00:00:00Z", "what": "start"}}
		}, "trail"},
		{"state of a version", func(m map[string]any) { m["policies"] = append(m["policies"].([]any), policyState(m, 0)) }, "policies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := mutate(t, golden, tt.f)
			var c Compliance
			err := json.Unmarshal(data, &c)
			if err == nil {
				t.Fatalf("decoded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("error %v is not a *leadkit.Error", err)
			}
			if c.ch != nil {
				t.Error("a failed decode changed the receiver")
			}
		})
	}
}

// TestFollowUpConcurrentUse shares one Checker with pauses, versions,
// team calendars and the new kinds between goroutines that Check,
// DueSoon and Add (run with -race): each gets the single-goroutine
// answers.
func TestFollowUpConcurrentUse(t *testing.T) {
	leads := contractLeads(t)[:400]
	ch := MustCompile(followUpAgreement(5))
	report := func() ([]byte, []byte) {
		c := ch.NewCompliance(contractAsOf)
		var checks []Result
		for i := range leads {
			_ = c.Add(&leads[i])
			rs, _ := ch.Check(&leads[i], contractAsOf)
			checks = append(checks, rs...)
		}
		due, _ := ch.DueSoon(leads, contractAsOf, 8*time.Hour, 20)
		r, _ := c.Report()
		a, _ := json.Marshal(r)
		b, _ := json.Marshal(append(checks, due...))
		return a, b
	}
	wantR, wantC := report()
	done := make(chan struct{})
	for range 3 {
		go func() {
			defer func() { done <- struct{}{} }()
			if r, c := report(); !bytes.Equal(r, wantR) || !bytes.Equal(c, wantC) {
				t.Error("concurrent results differ")
			}
		}()
	}
	for range 3 {
		<-done
	}
}
