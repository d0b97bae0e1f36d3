package rules

import (
	"time"

	"github.com/leadkit/leadkit/lead"
)

// PersonEnv is the person as rule expressions see it (person.*).
type PersonEnv struct {
	Name       string `expr:"name"`
	Email      string `expr:"email"`
	Title      string `expr:"title"`
	Role       string `expr:"role"`
	Department string `expr:"department"`
	Seniority  string `expr:"seniority"`
}

// CompanyEnv is the company as rule expressions see it (company.*).
// AnnualRevenue is a float64 so that rules compare it with plain numbers;
// the conversion is exact for whole amounts below 2^53.
type CompanyEnv struct {
	Name          string  `expr:"name"`
	Domain        string  `expr:"domain"`
	Industry      string  `expr:"industry"`
	Employees     int     `expr:"employees"`
	AnnualRevenue float64 `expr:"annual_revenue"`
	Country       string  `expr:"country"`
	Region        string  `expr:"region"`
	City          string  `expr:"city"`
}

// SourceEnv is the lead's source as rule expressions see it (source.*).
type SourceEnv struct {
	Channel     string `expr:"channel"`
	Campaign    string `expr:"campaign"`
	Medium      string `expr:"medium"`
	LandingPage string `expr:"landing_page"`
}

// ActivityEnv is one activity as expressions see it: the element type of
// `activities` in the lead scope, and the whole environment of the
// activity scope (with Now set).
type ActivityEnv struct {
	Type     string         `expr:"type"`
	At       time.Time      `expr:"at"`
	Actor    string         `expr:"actor"`
	Campaign string         `expr:"campaign"`
	URL      string         `expr:"url"`
	Fields   map[string]any `expr:"fields"`
	Now      time.Time      `expr:"now"`

	// Ctx is the evaluation context, for the metering helpers; rule
	// text cannot name it.
	Ctx *Ctx `expr:"_ctx"`
}

// LeadEnv is the environment of the lead and qualification scopes. It is
// passed to the VM by value (boxed once per lead), which lets expr read
// string and time fields without allocating.
type LeadEnv struct {
	ID         string         `expr:"id"`
	Person     PersonEnv      `expr:"person"`
	Company    CompanyEnv     `expr:"company"`
	Source     SourceEnv      `expr:"source"`
	Stage      string         `expr:"stage"`
	Owner      string         `expr:"owner"`
	CreatedAt  time.Time      `expr:"created_at"`
	Fields     map[string]any `expr:"fields"`
	Activities []ActivityEnv  `expr:"activities"`
	Now        time.Time      `expr:"now"`

	// Qualification scope only.
	Fit        float64 `expr:"fit"`
	Engagement float64 `expr:"engagement"`
	Total      float64 `expr:"total"`
	Grade      string  `expr:"grade"`

	// Ctx gives the patched helpers (activity_count, days_since) their
	// per-lead data. Rule text cannot name it: names starting with "_"
	// are refused before compilation.
	Ctx *Ctx `expr:"_ctx"`
}

func activityEnv(a *lead.Activity, c *Ctx) ActivityEnv {
	return ActivityEnv{
		Type: string(a.Type), At: a.At, Actor: a.Actor, Campaign: a.Campaign,
		URL: a.URL, Fields: a.Fields, Now: c.now, Ctx: c,
	}
}
