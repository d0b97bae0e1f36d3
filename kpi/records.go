package kpi

import (
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/shopspring/decimal"
)

// DealStatus is where a deal stands: open, won or lost.
type DealStatus string

// The deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// String returns the status's name.
func (s DealStatus) String() string { return string(s) }

// IsValid reports whether s is one of [DealOpen], [DealWon], [DealLost].
func (s DealStatus) IsValid() bool { return s == DealOpen || s == DealWon || s == DealLost }

// Deal is an opportunity that sales works: the revenue side of the
// funnel.
type Deal struct {
	// ID identifies the deal. Required.
	ID string `json:"id"`
	// LeadID is the lead the deal came from, if known.
	LeadID string `json:"lead_id,omitempty"`
	// Account is the customer account.
	Account string `json:"account,omitempty"`
	// Owner is the id of the sales rep who owns the deal.
	Owner string `json:"owner,omitempty"`
	// Product is what is sold.
	Product string `json:"product,omitempty"`
	// Amount is the deal's value: the expected value while open, the
	// booked value once won. It must not be negative.
	Amount decimal.Decimal `json:"amount"`
	// CreatedAt is when the opportunity was opened.
	CreatedAt time.Time `json:"created_at"`
	// ClosedAt is when it was won or lost; zero while open.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Status is open, won or lost.
	Status DealStatus `json:"status"`
	// NewCustomer reports whether the deal is with a new customer (new
	// business) rather than an existing one (expansion, renewal).
	NewCustomer bool `json:"new_customer"`
	// MarketingSourced reports whether marketing sourced the deal
	// (created its lead) and MarketingInfluenced whether it touched it
	// before it closed; the host sets them, typically from the deal's
	// lead. The scorecard reports both pipelines side by side, never
	// summed ([MarketingSourcedPipeline]).
	MarketingSourced    bool `json:"marketing_sourced,omitempty"`
	MarketingInfluenced bool `json:"marketing_influenced,omitempty"`
	// Keys are the deal's segment keys by dimension name, typically its
	// lead's, set by the host when it joins deals to leads:
	// deal.Keys = meter.KeysOf(lead) ([Meter.KeysOf]). See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Spend is marketing money spent on one channel and campaign at one time
// (typically one day).
type Spend struct {
	// At is when the money was spent. Required.
	At time.Time `json:"at"`
	// Channel and Campaign are the spend's segments for the keys
	// "source.channel" and "source.campaign".
	Channel  string `json:"channel,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	// Amount is the money spent; it must not be negative.
	Amount decimal.Decimal `json:"amount"`
	// Keys are segment keys by dimension name, which take precedence
	// over Channel and Campaign. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Visits is one row of a web analytics export: the sessions of one
// period (typically one day) and segment (channel, traffic medium,
// landing page), never one row per visitor, so that a host can feed it
// from any analytics tool (GA4, Matomo, Plausible, a server log roll-up).
type Visits struct {
	// At is when the sessions happened (the start of the row's day, say).
	// Required.
	At time.Time `json:"at"`
	// Channel is the row's segment for the key "source.channel".
	Channel string `json:"channel,omitempty"`
	// Medium is the traffic medium of the sessions: organic, paid,
	// referral, email, social or direct ([Medium]); empty when the
	// export does not say (the sessions then count as [Traffic].Other).
	Medium Medium `json:"medium,omitempty"`
	// LandingPage is the page the sessions started on, the row's segment
	// for the key "source.landing_page" ([ByLandingPage]); empty when the
	// export has no landing page. Normalize it as the leads' landing
	// pages are (path only, no query string), or the two will not meet.
	LandingPage string `json:"landing_page,omitempty"`
	// Count is the number of sessions (visits); it must not be negative.
	Count int64 `json:"count"`
	// Engagement is how engaged the sessions were; nil when the export
	// does not measure it, in which case the sessions count in Count but
	// in no engagement figure (bounce rate, engagement rate, engaged
	// time), which are computed over measured sessions only.
	Engagement *Engagement `json:"engagement,omitempty"`
	// Keys are segment keys by dimension name, which take precedence
	// over Channel and LandingPage. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Engagement is the engagement of a [Visits] row's sessions, as GA4
// measures it.
type Engagement struct {
	// Sessions counts the engaged sessions, GA4's definition: a session
	// that lasted 10 seconds or more, had a key event (conversion) or had
	// two or more page or screen views. From 0 to the row's Count. For
	// Universal Analytics data, where a bounce is a single-page session,
	// give Count − bounces: the bounce rate is then UA's (see
	// [BounceRate]).
	Sessions int64 `json:"sessions"`
	// Time is the total engagement time of all the row's sessions
	// (GA4's userEngagementDuration: time with the page in the
	// foreground), not negative; zero for a row without sessions.
	Time leadkit.Duration `json:"time"`
}

// Medium is the traffic medium of website sessions, the classes of GA4's
// default channel grouping that marketing reports organic versus paid
// traffic with. A host maps its UTM mediums ("cpc", "paid_social",
// "newsletter", "(none)") to them.
type Medium string

// The traffic media.
const (
	// MediumOrganic is unpaid search traffic (GA4 "Organic Search").
	MediumOrganic Medium = "organic"
	// MediumPaid is every paid medium: paid search (cpc, ppc), paid
	// social, display and other ads.
	MediumPaid Medium = "paid"
	// MediumReferral is traffic from links on other sites.
	MediumReferral Medium = "referral"
	// MediumEmail is traffic from email links.
	MediumEmail Medium = "email"
	// MediumSocial is unpaid (organic) social traffic; paid social is
	// [MediumPaid].
	MediumSocial Medium = "social"
	// MediumDirect is traffic with no known source (GA4 "(direct) /
	// (none)").
	MediumDirect Medium = "direct"
)

// media lists the media in their fixed order (that of [Traffic]'s fields).
var media = [...]Medium{MediumOrganic, MediumPaid, MediumReferral, MediumEmail, MediumSocial, MediumDirect}

// String returns the medium's name.
func (m Medium) String() string { return string(m) }

// IsValid reports whether m is one of the six media.
func (m Medium) IsValid() bool { return m.index() >= 0 }

// index returns the position of m in media, -1 when it is none of them.
func (m Medium) index() int {
	for i, x := range media {
		if x == m {
			return i
		}
	}
	return -1
}

// Customer is a paying account, for retention, churn and lifetime value.
type Customer struct {
	// ID identifies the customer. Required.
	ID string `json:"id"`
	// Since is when the account became a customer.
	Since time.Time `json:"since"`
	// ChurnedAt is when it stopped being one; zero while active.
	ChurnedAt time.Time `json:"churned_at,omitzero"`
	// Keys are the customer's segment keys by dimension name; a customer
	// has no other segments. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// MediumOf classifies a UTM medium (utm_medium, GA4's session medium)
// into a [Medium] with the medium rules of GA4's default channel
// grouping, case-insensitively: "organic" is organic; "cpc", "ppc",
// "retargeting", any medium containing "cp" (cpm, cpv, cpa, cpp) or
// starting with "paid" (paid_social, paidsearch), and the display media
// "display", "banner", "expandable", "interstitial" are paid; "referral",
// "app" and "link" are referral; "email", "e-mail", "e_mail" and "e mail"
// are email; "social", "social-network", "social-media", "sm", "social
// network" and "social media" are social; "(none)", "none" and "(not
// set)" are direct. Anything else, the empty medium included, gives ""
// (unknown): GA4 needs the source too to classify those.
func MediumOf(utm string) Medium {
	m := strings.ToLower(strings.TrimSpace(utm))
	switch m {
	case "organic":
		return MediumOrganic
	case "ppc", "retargeting", "display", "banner", "expandable", "interstitial":
		return MediumPaid
	case "referral", "app", "link":
		return MediumReferral
	case "email", "e-mail", "e_mail", "e mail":
		return MediumEmail
	case "social", "social-network", "social-media", "sm", "social network", "social media":
		return MediumSocial
	case "(none)", "none", "(not set)":
		return MediumDirect
	}
	if strings.Contains(m, "cp") || strings.HasPrefix(m, "paid") {
		return MediumPaid
	}
	return ""
}
