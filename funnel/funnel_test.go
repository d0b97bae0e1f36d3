package funnel

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

func TestStandardAndHubSpotAreValid(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       Funnel
		stages  int
		handoff lead.Stage
	}{
		// Standard: lead, mql, sal, sql, opportunity, customer = 6 stages.
		{"standard", Standard(), 6, lead.StageSAL},
		// HubSpot: subscriber, lead, mql, sql, opportunity, customer,
		// evangelist = 7 stages.
		{"hubspot", HubSpot(), 7, lead.StageSQL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			if len(tc.f.Stages) != tc.stages || tc.f.Handoff != tc.handoff {
				t.Errorf("got %d stages, handoff %q; want %d, %q", len(tc.f.Stages), tc.f.Handoff, tc.stages, tc.handoff)
			}
		})
	}
}

func TestStandardReturnsFreshValues(t *testing.T) {
	a := Standard()
	a.Stages[0].Name = "changed"
	a.Exits[0].Stage = "changed"
	if b := Standard(); b.Stages[0].Name != lead.StageLead || b.Exits[0].Stage != lead.StageRecycled {
		t.Errorf("Standard() shares memory between calls: %+v", b)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Funnel
		want []string // every error line, in order
	}{
		{"zero", Funnel{}, []string{
			"stages: no stages; a funnel needs at least one",
			"handoff: empty; name the first sales-owned stage",
		}},
		{"many", Funnel{
			Stages: []Stage{
				{Name: "a", Team: lead.TeamMarketing},
				{Name: "", Team: "ops"},
				{Name: "s", Team: lead.TeamSales},
				{Name: "a", Team: lead.TeamSales},
			},
			Handoff: "x",
			Exits: []Exit{
				{Stage: "gone", Reasons: []string{"budget", "", "budget"}},
				{Stage: "gone"},
				{Stage: "s"},
				{},
			},
		}, []string{
			`stages[1].name: empty`,
			`stages[1].team: "ops" is not a team; use "marketing" or "sales"`,
			`stages[3].name: "a" already used by stages[0]`,
			`handoff: "x" is not one of the stages`,
			`exits[0].reasons[1]: empty`,
			`exits[0].reasons[2]: "budget" already listed as reasons[0]`,
			`exits[1].stage: "gone" already used by exits[0]`,
			`exits[2].stage: "s" is also stages[2]; an exit cannot be a funnel stage`,
			`exits[3].stage: empty`,
		}},
		{"handoff owned by marketing", Funnel{
			Stages:  []Stage{{Name: "a", Team: lead.TeamMarketing}, {Name: "b", Team: lead.TeamSales}},
			Handoff: "a",
		}, []string{`handoff: "a" is owned by "marketing"; the handoff must be the first sales-owned stage`}},
		{"sales before handoff", Funnel{
			Stages: []Stage{
				{Name: "a", Team: lead.TeamSales},
				{Name: "b", Team: lead.TeamMarketing},
				{Name: "c", Team: lead.TeamSales},
			},
			Handoff: "c",
		}, []string{`stages[0].team: "a" is owned by sales but comes before the handoff "c"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want errors")
			}
			got := strings.Split(err.Error(), "\n")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			var fe *leadkit.Error
			if !errors.As(err, &fe) {
				t.Errorf("errors.As(*leadkit.Error) failed for %v", err)
			}
		})
	}
}

func TestValidateStageLimit(t *testing.T) {
	f := Funnel{Handoff: "s0"}
	for i := range MaxStages + 1 {
		f.Stages = append(f.Stages, Stage{Name: lead.Stage(fmt.Sprint("s", i)), Team: lead.TeamSales})
	}
	// 65 stages, one over the limit of 64.
	if err := f.Validate(); err == nil || err.Error() != "stages: 65 stages; a funnel has at most 64" {
		t.Errorf("Validate = %v", err)
	}
	f.Stages = f.Stages[:MaxStages]
	if err := f.Validate(); err != nil {
		t.Errorf("64 stages: %v", err)
	}
	// A lead through all 64 stages, one an hour: every stage reached,
	// in both modes, and 63 gaps of one hour each.
	l := mk("all")
	for i, s := range f.Stages {
		l.History = append(l.History, tr(s.Name, float64(i)))
	}
	for _, strict := range []bool{false, true} {
		r := analyze(t, f, []lead.Lead{l}, opts{Strict: strict})
		for i, s := range r.Overall.Stages {
			if s.Reached != 1 || (i < MaxStages-1 && (s.TimeToNext.Count != 1 || s.TimeToNext.Median.Std() != time.Hour)) {
				t.Fatalf("strict %v, stage %d: %+v", strict, i, s)
			}
		}
	}
}

func TestIndex(t *testing.T) {
	f := Standard()
	// Standard order: lead 0, mql 1, sal 2, sql 3, opportunity 4, customer 5.
	for _, tc := range []struct {
		s          lead.Stage
		idx, exitI int
	}{
		{lead.StageLead, 0, -1},
		{lead.StageSQL, 3, -1},
		{lead.StageCustomer, 5, -1},
		{lead.StageRecycled, -1, 0},
		{lead.StageDisqualified, -1, 1},
		{"nope", -1, -1},
	} {
		t.Run(string(tc.s), func(t *testing.T) {
			if got := f.Index(tc.s); got != tc.idx {
				t.Errorf("Index = %d, want %d", got, tc.idx)
			}
			if got := f.ExitIndex(tc.s); got != tc.exitI {
				t.Errorf("ExitIndex = %d, want %d", got, tc.exitI)
			}
		})
	}
}

func TestFunnelJSONRoundTrip(t *testing.T) {
	f := HubSpot()
	f.Exits[1].Reasons = []string{"no budget", "competitor"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"stages":`, `"handoff":"sql"`, `"team":"marketing"`, `"reasons":["no budget","competitor"]`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	var g Funnel
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, g); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
