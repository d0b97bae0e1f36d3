package lead

import (
	"time"

	"github.com/shopspring/decimal"
)

// Lead is a snapshot of one prospect plus its history: who the person is,
// which company they work for, how marketing acquired them, the stage
// changes they went through and everything that happened with them.
//
// The zero Lead is usable (every method accepts it) but not valid: it has
// no ID and no creation time. History and Activities may be in any order;
// no package in leadkit assumes they are sorted.
type Lead struct {
	// ID identifies the lead in the host's system. Required.
	ID string `json:"id"`
	// CreatedAt is when the lead entered the host's system. Required.
	CreatedAt time.Time `json:"created_at"`
	// Owner is the id of the sales rep who owns the lead; empty means
	// unassigned.
	Owner string `json:"owner,omitempty"`
	// Assignments, when the host records them, say who owned the lead
	// from when: a handoff between reps. See [Lead.OwnerAt]. In any
	// order.
	Assignments []Assignment `json:"assignments,omitempty"`
	// Stage is the lead's current lifecycle stage; empty means the host
	// has not placed it in the lifecycle yet.
	Stage Stage `json:"stage,omitempty"`
	// Person holds the demographic data of the prospect.
	Person Person `json:"person"`
	// Company holds the firmographic data of the prospect's company.
	Company Company `json:"company"`
	// Source says how marketing acquired the lead.
	Source Source `json:"source"`
	// History lists the lead's stage changes, in any order.
	History []Transition `json:"history,omitempty"`
	// Activities lists everything that happened with the lead, in any
	// order.
	Activities []Activity `json:"activities,omitempty"`
	// Fields holds the host's custom attributes. See [Lead.Validate] for
	// the value types allowed.
	Fields map[string]any `json:"fields,omitempty"`
}

// Assignment is a change of the lead's owner: from At on, Owner (empty:
// nobody) owns it.
type Assignment struct {
	Owner string    `json:"owner"`
	At    time.Time `json:"at"`
}

// Person is the demographic part of a lead: the human being marketing
// reached.
type Person struct {
	// Name is the person's full name.
	Name string `json:"name,omitempty"`
	// Email is the person's email address. When set it must contain
	// exactly one "@" with text on both sides.
	Email string `json:"email,omitempty"`
	// Title is the job title as the person wrote it ("VP Marketing").
	Title string `json:"title,omitempty"`
	// Role is the person's function in a normalised form (for example
	// "marketing", "engineering", "finance").
	Role string `json:"role,omitempty"`
	// Department is the department the person works in.
	Department string `json:"department,omitempty"`
	// Seniority is the person's level; see the Seniority constants.
	Seniority Seniority `json:"seniority,omitempty"`
}

// Seniority is a person's level in their organisation. Hosts may use their
// own values; the constants are the common ones.
type Seniority string

// Common seniority levels, from junior to senior.
const (
	SeniorityEntry     Seniority = "entry"
	SeniorityManager   Seniority = "manager"
	SeniorityDirector  Seniority = "director"
	SeniorityVP        Seniority = "vp"
	SeniorityExecutive Seniority = "executive" // C-level
	SeniorityOwner     Seniority = "owner"     // founder or owner
)

// String returns the seniority's name.
func (s Seniority) String() string { return string(s) }

// Company is the firmographic part of a lead: the organisation the person
// works for.
type Company struct {
	// Name is the company's name.
	Name string `json:"name,omitempty"`
	// Domain is the company's web domain ("example.com").
	Domain string `json:"domain,omitempty"`
	// Industry is the company's industry in the host's taxonomy.
	Industry string `json:"industry,omitempty"`
	// Employees is the head count; 0 means unknown. Never negative.
	Employees int `json:"employees,omitempty"`
	// AnnualRevenue is the company's yearly revenue in the host's
	// currency; zero means unknown. Never negative. Encoded in JSON as a
	// decimal string so it round-trips exactly.
	AnnualRevenue decimal.Decimal `json:"annual_revenue"`
	// Country is the country, preferably as an ISO 3166-1 alpha-2 code.
	Country string `json:"country,omitempty"`
	// Region is a state, province or sales region.
	Region string `json:"region,omitempty"`
	// City is the city.
	City string `json:"city,omitempty"`
}

// Source says how marketing acquired a lead.
type Source struct {
	// Channel is the acquisition channel; see the Channel constants.
	Channel Channel `json:"channel,omitempty"`
	// Campaign is the campaign that produced the lead.
	Campaign string `json:"campaign,omitempty"`
	// Medium is the UTM medium or an equivalent ("cpc", "newsletter").
	Medium string `json:"medium,omitempty"`
	// LandingPage is the page on which the lead converted.
	LandingPage string `json:"landing_page,omitempty"`
}

// Channel is a marketing acquisition channel. Hosts may use their own
// values; the constants are the common ones.
type Channel string

// Common acquisition channels.
const (
	ChannelOrganicSearch Channel = "organic_search"
	ChannelPaidSearch    Channel = "paid_search"
	ChannelSocial        Channel = "social"
	ChannelEmail         Channel = "email"
	ChannelReferral      Channel = "referral"
	ChannelEvents        Channel = "events"
	ChannelDirect        Channel = "direct"
)

// String returns the channel's name.
func (c Channel) String() string { return string(c) }

// Transition is one stage change in a lead's history.
type Transition struct {
	// From is the stage the lead left; empty for the first entry.
	From Stage `json:"from,omitempty"`
	// To is the stage the lead entered. Required.
	To Stage `json:"to"`
	// At is when the change happened. Required.
	At time.Time `json:"at"`
	// By is the id of the user or system that made the change.
	By string `json:"by,omitempty"`
	// Reason explains the change. A rejection or disqualification
	// carries its reason: the feedback sales owes marketing.
	Reason string `json:"reason,omitempty"`
}

// Activity is one thing that happened with a lead: a page view, an email
// click, a call from a rep.
type Activity struct {
	// Type says what happened; see the ActivityType constants. Required.
	Type ActivityType `json:"type"`
	// At is when it happened. Required.
	At time.Time `json:"at"`
	// Actor is empty when the prospect acted, and otherwise the id of the
	// rep or user who did. Sales touches are activities with an actor.
	Actor string `json:"actor,omitempty"`
	// Campaign is the campaign the activity belongs to, if any.
	Campaign string `json:"campaign,omitempty"`
	// URL is the page or asset concerned (for example "/pricing" for a
	// page view), if any.
	URL string `json:"url,omitempty"`
	// Fields holds the host's custom attributes of the activity, with the
	// same value types as [Lead.Fields].
	Fields map[string]any `json:"fields,omitempty"`
}

// IsSalesTouch reports whether the activity was done by a rep or user
// rather than by the prospect, that is whether Actor is set.
func (a Activity) IsSalesTouch() bool { return a.Actor != "" }

// ActivityType names a kind of activity. Any non-empty string is allowed;
// the constants are the common ones.
type ActivityType string

// Common activity types. The first group is done by prospects, the second
// by reps (with [Activity.Actor] set).
const (
	ActivityPageView        ActivityType = "page_view"
	ActivityFormSubmit      ActivityType = "form_submit"
	ActivityEmailOpen       ActivityType = "email_open"
	ActivityEmailClick      ActivityType = "email_click"
	ActivityContentDownload ActivityType = "content_download"
	ActivityWebinarAttended ActivityType = "webinar_attended"
	ActivityDemoRequest     ActivityType = "demo_request"
	ActivityEventAttended   ActivityType = "event_attended"

	ActivityCall      ActivityType = "call"
	ActivityEmailSent ActivityType = "email_sent"
	ActivityMeeting   ActivityType = "meeting"
)

// String returns the activity type's name.
func (t ActivityType) String() string { return string(t) }

// Persona is a named, described segment of leads, such as "economic buyer
// at a mid-market SaaS company". Criteria is an expression over the lead in
// the scoring rule language; package scoring compiles and evaluates it.
type Persona struct {
	// Name identifies the persona. Required.
	Name string `json:"name"`
	// Description tells people what the persona is for.
	Description string `json:"description,omitempty"`
	// Criteria is a boolean expression over the lead.
	Criteria string `json:"criteria"`
}
