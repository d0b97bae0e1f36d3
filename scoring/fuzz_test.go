package scoring_test

import (
	"encoding/json"
	"errors"
	"github.com/leadkit/leadkit"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// fuzzModel uses every kind of rule, a custom field, caps, grades,
// qualification and personas.
func fuzzModel() scoring.Model {
	m := benchModel()
	m.Rules = append(m.Rules,
		scoring.Rule{Name: "field plan", When: `fields.plan == "pro" || fields.seats > 10`, Points: 5},
		scoring.Rule{Name: "activity field", Kind: scoring.Engagement, When: `(fields.score ?? 0) > 3`, Points: 1, HalfLife: leadkit.MustParseDuration("3d"),
			Frequency: &scoring.Frequency{Max: 2, Per: leadkit.Day, Distinct: "fields.score", Zone: "America/New_York"}},
		scoring.Rule{Name: "rolling", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1,
			Frequency: &scoring.Frequency{Max: 3, Window: leadkit.MustParseDuration("1h"), Distinct: "fields.id"}},
		scoring.Rule{Name: "vm rule", When: `any(activities, .campaign == source.campaign) && days_since(created_at) < 90`, Points: 3},
	)
	m.Limits = scoring.Limits{Fit: scoring.Limit{Max: scoring.Float(80)}, Total: scoring.Limit{Min: scoring.Float(-50), Max: scoring.Float(120)}}
	m.Bands = scoring.Bands("1", 20, "2", 5, "3")
	m.Resets = []scoring.Reset{
		{Name: "recycled", Stage: lead.StageRecycled},
		{Name: "lost", Action: scoring.AdjustEngagement, Points: -5, When: `type == "opportunity_lost"`},
		{Name: "new year", Yearly: "01-01", Zone: "Europe/Paris"},
		{Name: "anniversary", Action: scoring.AdjustEngagement, Points: -1, Yearly: "06-30"},
	}
	m.Qualification = qualModel().Qualification
	m.Personas = qualModel().Personas
	return m
}

// FuzzScore scores arbitrary leads (decoded from JSON) at arbitrary times
// with a fixed model: it must never panic, and a failure must be a
// *RuleError naming the lead.
func FuzzScore(f *testing.F) {
	for _, l := range benchLeads(5) {
		b, _ := json.Marshal(l)
		f.Add(b, int64(0))
	}
	f.Add([]byte(`{"id":"x","fields":{"plan":3,"seats":"many","budget":[1]},"activities":[{"type":"page_view","at":"0001-01-01T00:00:00Z","fields":{"score":"x"}}]}`), int64(-1<<62))
	f.Add([]byte(`{"id":"y","company":{"annual_revenue":"1e400"},"activities":[{"type":"email_click","at":"9999-12-31T23:59:59Z"}]}`), int64(1<<62))
	f.Add([]byte(`{}`), int64(0))
	f.Add([]byte(`{"id":"z","created_at":"0001-01-01T00:00:00Z","history":[{"to":"recycled","at":"2025-01-01T00:00:00Z"}],"activities":[{"type":"page_view","at":"2025-12-31T23:00:00Z","fields":{"id":[1,{"a":null}]}},{"type":"opportunity_lost","at":"2025-12-31T23:30:00Z"},{"type":"page_view","at":"2025-12-31T23:10:00Z","fields":{"id":1e300,"score":7}}]}`), int64(0))
	s := scoring.MustCompile(fuzzModel())
	f.Fuzz(func(t *testing.T, data []byte, offset int64) {
		var l lead.Lead
		if json.Unmarshal(data, &l) != nil {
			return
		}
		now := benchNow.Add(time.Duration(offset))
		r, err := s.Score(&l, now)
		if err != nil {
			var re *scoring.RuleError
			if !errors.As(err, &re) || re.LeadID != l.ID {
				t.Fatalf("error %v (%T) is not a RuleError for lead %q", err, err, l.ID)
			}
			return
		}
		if r.Total > 120 || r.Total < -50 || r.Fit > 80 {
			t.Fatalf("limits not applied: %+v", r)
		}
	})
}

// FuzzCompile puts arbitrary text in every expression slot of a model:
// Compile must never panic, and a model that compiles must score.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`company.employees >= 200`, `type == "page_view"`, `fit >= 50 && grade == "A"`,
		`person.titel == "x"`, `len(1..100000000) > 0`, `activity_count("demo_request", "2w") > 0`,
		`any(activities, .type == "webinar_attended")`, `(`, `"\xff"`, `fields["a b"] ?? true`,
	} {
		f.Add(s)
	}
	l := benchLeads(1)[0]
	f.Fuzz(func(t *testing.T, src string) {
		m := scoring.Model{
			Rules: []scoring.Rule{
				{Name: "fit", When: src, Points: 1},
				{Name: "eng", Kind: scoring.Engagement, When: src, Points: 1, HalfLife: leadkit.MustParseDuration("7d")},
			},
			Qualification: []scoring.QualificationStage{{Stage: "mql", Criteria: []scoring.Criterion{{Name: "c", When: src}}}},
			Personas:      []lead.Persona{{Name: "p", Criteria: src}},
			Resets:        []scoring.Reset{{Name: "r", When: src}, {Name: "a", Action: scoring.AdjustEngagement, Points: -1, When: src}},
		}
		s, err := scoring.Compile(m)
		if err != nil {
			return
		}
		_, _ = s.Score(&l, benchNow)
	})
}
