package sample

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// The web figures: each channel's daily sessions split over its landing
// pages, with a traffic medium and GA4-style engagement. doc.go states
// what they promise; web_test.go checks it.
const (
	streamWeb = 0x776562 // "web": the engagement noise, apart from every other stream

	// formLift and contentLift are the relative traffic→lead of a page
	// built around a form and of a content page, within one channel:
	// form pages convert formLift/contentLift = 4 times better.
	formLift    = 2.0
	contentLift = 0.5

	// bounceSeconds is the engagement time of a bounced (not engaged)
	// session, in seconds.
	bounceSeconds = 4
)

// channelMedium is the traffic medium of each channel's sessions (all of
// the generated social campaigns are paid; event pages are reached from
// the organizers' sites).
var channelMedium = map[lead.Channel]kpi.Medium{
	lead.ChannelOrganicSearch: kpi.MediumOrganic,
	lead.ChannelPaidSearch:    kpi.MediumPaid,
	lead.ChannelSocial:        kpi.MediumPaid,
	lead.ChannelEmail:         kpi.MediumEmail,
	lead.ChannelReferral:      kpi.MediumReferral,
	lead.ChannelEvents:        kpi.MediumReferral,
	lead.ChannelDirect:        kpi.MediumDirect,
}

// mediumEngagement is each medium's share of engaged sessions and mean
// engagement time of an engaged session: paid traffic bounces most and
// stays least.
var mediumEngagement = map[kpi.Medium]struct{ rate, seconds float64 }{
	kpi.MediumOrganic:  {0.64, 95},
	kpi.MediumPaid:     {0.42, 50},
	kpi.MediumReferral: {0.60, 85},
	kpi.MediumEmail:    {0.70, 80},
	kpi.MediumDirect:   {0.58, 70},
}

// FormPage reports whether a generated landing page is built around a
// form (a demo, trial, e-book or event sign-up, a contact or partner
// form: paths under /lp/, /resources/, /events/ and /webinars/, and
// /contact and /partners); the other pages are content (blog, product,
// home and pricing pages). Within a channel, form pages convert their
// sessions into leads four times better.
func FormPage(url string) bool {
	for _, p := range []string{"/lp/", "/resources/", "/events/", "/webinars/"} {
		if strings.HasPrefix(url, p) {
			return true
		}
	}
	return url == "/contact" || url == "/partners"
}

// landingPage is one landing page of a channel with its share of the
// channel's sessions.
type landingPage struct {
	url    string
	weight float64
}

// landingPages returns each channel's landing pages in order of first
// appearance in its campaigns, with their shares of its sessions: a
// page's share of the channel's leads (its campaigns' weights, each split
// evenly over the campaign's pages, as leads pick their page) divided by
// its lift, normalized.
func landingPages() [][]landingPage {
	out := make([][]landingPage, len(channels))
	for ci, ch := range channels {
		var pages []landingPage
		for _, c := range ch.campaigns {
			for _, u := range c.landing {
				k := slices.IndexFunc(pages, func(p landingPage) bool { return p.url == u })
				if k < 0 {
					pages = append(pages, landingPage{url: u})
					k = len(pages) - 1
				}
				pages[k].weight += c.weight / float64(len(c.landing))
			}
		}
		total := 0.0
		for k := range pages {
			if FormPage(pages[k].url) {
				pages[k].weight /= formLift
			} else {
				pages[k].weight /= contentLift
			}
			total += pages[k].weight
		}
		for k := range pages {
			pages[k].weight /= total
		}
		out[ci] = pages
	}
	return out
}

// webVisits fills ds.Visits from the sessions of each day and channel
// (totals[day*len(channels)+channel], at least the leads the channel
// created that day): one row per day, channel and landing page. Each
// page gets at least the leads created on it that day and the rest of
// the channel's sessions by its share (largest remainders, ties to the
// earlier page), so the rows add up to the channel's sessions exactly.
func (g *gen) webVisits(ds *Dataset, firstDay int64, days int, totals []int64) {
	pages := landingPages()
	offset := make([]int, len(channels)+1) // of each channel's pages in a day's block
	for ci := range channels {
		offset[ci+1] = offset[ci] + len(pages[ci])
	}
	perDay := offset[len(channels)]
	created := make([]int64, days*perDay)
	for i := range ds.Leads {
		l := &ds.Leads[i]
		ci := int(g.leadChan[i])
		k := slices.IndexFunc(pages[ci], func(p landingPage) bool { return p.url == l.Source.LandingPage })
		if k >= 0 {
			d := floorDiv(l.CreatedAt.Unix(), secDay) - firstDay
			created[int(d)*perDay+offset[ci]+k]++
		}
	}
	r := rand.New(rand.NewPCG(g.seed, streamWeb))
	ds.Visits = make([]kpi.Visits, 0, days*perDay)
	engagements := make([]kpi.Engagement, days*perDay) // one allocation for every row's

	type share struct {
		k    int
		frac float64
	}
	var counts []int64
	var shares []share
	for i := range days {
		at := unix(max((firstDay+int64(i))*secDay, g.start))
		for ci, ch := range channels {
			ps := pages[ci]
			block := created[i*perDay+offset[ci] : i*perDay+offset[ci+1]]
			rest := totals[i*len(channels)+ci]
			counts, shares = counts[:0], shares[:0]
			for _, n := range block {
				rest -= n
				counts = append(counts, n)
			}
			left := rest
			for k, p := range ps {
				x := float64(rest) * p.weight
				f := math.Floor(x)
				counts[k] += int64(f)
				left -= int64(f)
				shares = append(shares, share{k, x - f})
			}
			slices.SortStableFunc(shares, func(a, b share) int { return cmp.Compare(b.frac, a.frac) })
			for j := 0; left > 0 && len(shares) > 0; j, left = (j+1)%len(shares), left-1 {
				counts[shares[j].k]++
			}
			medium := channelMedium[ch.channel]
			e := mediumEngagement[medium]
			for k, p := range ps {
				n := counts[k]
				engaged := min(n, int64(math.Round(float64(n)*e.rate*(0.9+0.2*r.Float64()))))
				secs := math.Round(float64(engaged)*e.seconds*(0.8+0.4*r.Float64())) + float64((n-engaged)*bounceSeconds)
				e := &engagements[len(ds.Visits)]
				*e = kpi.Engagement{Sessions: engaged, Time: leadkit.Duration(time.Duration(secs) * time.Second)}
				ds.Visits = append(ds.Visits, kpi.Visits{
					At: at, Channel: string(ch.channel), Medium: medium, LandingPage: p.url, Count: n, Engagement: e,
				})
			}
		}
	}
}
