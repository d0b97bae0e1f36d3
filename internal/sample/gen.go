package sample

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// The fixed constants of the distributions. doc.go states the rates they
// produce; the tests check those rates.
const (
	// Random streams: one PCG per part, so that a change in one part
	// does not shift the random numbers of another.
	streamLeads     = 0x6c65616473 // "leads"
	streamCompanies = 0x636f6d70   // "comp"
	streamMarket    = 0x6d6b74     // "mkt"

	leadsPerCompany = 3 // companies = ⌈leads/3⌉

	employeesMedian = 120 // lognormal head count: median and
	employeesSigma  = 1.6 // sigma of its logarithm
	employeesMax    = 250_000
	revenueSigma    = 0.4  // lognormal noise on revenue per employee
	revenueUnknown  = 0.04 // share of companies with zero (unknown) revenue

	freeMailShare   = 0.12   // of non-student leads; students always use free mail
	competitorShare = 0.004  // leads from a competitor
	dqEarlyShare    = 0.001  // data quality: first transition before CreatedAt
	dqEmailShare    = 0.0005 // data quality: email without "@"

	activityGapDays = 21.0 // mean days between creation and a later prospect activity
	budgetShare     = 0.6  // leads with a "budget" field
	weekendFactor   = 0.35 // relative lead creation rate on Saturday and Sunday

	mqlBadFitFactor = 0.6  // a bad-fit lead's MQL probability, relative
	demoTrigger     = 0.35 // MQLs whose trigger activity is a demo request
	fastTrackShare  = 0.03 // of well-fitting, engaged leads: lead -> SQL directly
	fastTrackRefEvt = 0.08 // the same for referral and events leads

	marketingDQStudent    = 0.6  // non-MQL students disqualified by marketing
	marketingDQCompetitor = 0.8  // non-MQL competitors disqualified by marketing
	marketingDQSpam       = 0.02 // other non-MQL leads disqualified as spam

	comebackShare = 0.25 // recycled leads that come back to MQL (once)
	evangelists   = 0.08 // customers that become evangelists

	churnMeanDays    = 900.0 // exponential time from Since to churn
	expansionShare   = 0.30  // customers offered an expansion deal
	expansionWinRate = 0.65
)

// Engagement tiers: the hidden variable that drives both activity counts
// and conversion, so that engagement predicts outcomes.
var (
	tierWeights = []float64{35, 35, 20, 10}
	tierExtra   = []float64{2, 7, 14, 26}           // Poisson mean of activities after the first
	tierMQL     = []float64{0.12, 0.33, 0.60, 0.80} // P(lead -> MQL)
	tierSQL     = []float64{0.40, 0.46, 0.53, 0.60} // P(SAL -> SQL)
	tierOpp     = []float64{0.50, 0.56, 0.62, 0.68} // P(SQL -> opportunity)
	tierWin     = []float64{0.20, 0.26, 0.32, 0.38} // P(opportunity -> customer)
	fitAccept   = []float64{0.20, 0.72, 0.84}       // P(MQL -> SAL) by fit class
)

// hourWeight is the relative lead creation rate per hour of the day (UTC).
var hourWeight = [24]float64{
	0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.5, 0.5,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0.6, 0.6, 0.6, 0.6, 0.35,
}

// prospect activity types and their relative shares (after the first).
var prospectTypes = []struct {
	typ    lead.ActivityType
	weight float64
}{
	{lead.ActivityPageView, 52},
	{lead.ActivityEmailOpen, 20},
	{lead.ActivityEmailClick, 7},
	{lead.ActivityContentDownload, 7},
	{lead.ActivityFormSubmit, 4},
	{lead.ActivityWebinarAttended, 4},
	{lead.ActivityEventAttended, 2},
	{lead.ActivityDemoRequest, 0.4},
}

// act is an activity under construction.
type act struct {
	at       int64
	typ      lead.ActivityType
	actor    string
	campaign string
	url      string
}

// company is a generated company.
type company struct {
	c lead.Company
}

// state is one lead's life under construction.
type state struct {
	tier    int
	fit     int    // fitBad, fitOK, fitGreat
	badWhy  string // the rejection reason of a bad fit
	student bool
	comp    int // index into companies, -1 for none
	rep     int // index of the owner, -1 while unassigned
	owner   string
	deal    int // index into deals of the open deal, -1 for none
}

// gen holds the generator's state for one Generate call.
type gen struct {
	r                   *rand.Rand
	n                   int
	start, end, horizon int64
	seed                uint64

	companies []company

	cumTier, cumTitle, cumChannel, cumIndustry, cumCountry []float64
	cumFreeMail, cumPage, cumPageHigh, cumType, cumRep     []float64
	cumCampaign                                            [][]float64
	cumRejectMQL, cumRejectSAL, cumRejectSQL, cumLost      []float64

	repIDs    [Reps]string
	repBreach [Reps]float64

	boxedBudget  []any
	boxedUseCase []any
	lowerFirst   []string
	lowerLast    []string

	pa, sa   []act
	tr       []lead.Transition
	actChunk []lead.Activity
	trChunk  []lead.Transition
	buf      []byte

	deals    []kpi.Deal
	dealComp []int32
	leadChan []uint8
}

func cumulative(w []float64) []float64 {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

func cumulativeOf[T any](xs []T, w func(T) float64) []float64 {
	ws := make([]float64, len(xs))
	for i, x := range xs {
		ws[i] = w(x)
	}
	return cumulative(ws)
}

func newGen(seed uint64, n int, start, end int64) *gen {
	g := &gen{
		r: rand.New(rand.NewPCG(seed, streamLeads)), n: n, seed: seed,
		start: start, end: end, horizon: end + int64(FollowOn/time.Second),
	}
	g.cumTier = cumulative(tierWeights)
	g.cumTitle = cumulativeOf(titles, func(t title) float64 { return t.weight })
	g.cumChannel = cumulativeOf(channels, func(c channelInfo) float64 { return c.weight })
	g.cumIndustry = cumulative(industryWeights)
	g.cumCountry = cumulativeOf(countries, func(c country) float64 { return c.weight })
	g.cumFreeMail = cumulativeOf(freeMail, func(f struct {
		domain string
		weight float64
	}) float64 {
		return f.weight
	})
	g.cumPage = make([]float64, len(pageURLs))
	g.cumPageHigh = make([]float64, len(pageURLs))
	s, h := 0.0, 0.0
	for i, p := range pageURLs {
		s += p.weight
		h += p.wHigh
		g.cumPage[i], g.cumPageHigh[i] = s, h
	}
	g.cumType = cumulativeOf(prospectTypes, func(p struct {
		typ    lead.ActivityType
		weight float64
	}) float64 {
		return p.weight
	})
	for _, c := range channels {
		g.cumCampaign = append(g.cumCampaign, cumulativeOf(c.campaigns, func(c campaign) float64 { return c.weight }))
	}
	reason := func(e exitReason) float64 { return e.weight }
	g.cumRejectMQL = cumulativeOf(rejectMQL, reason)
	g.cumRejectSAL = cumulativeOf(rejectSAL, reason)
	g.cumRejectSQL = cumulativeOf(rejectSQL, reason)
	g.cumLost = cumulativeOf(lostOpportunity, reason)

	// Reps get uneven shares of the leads (weights 0.7 to 1.3) and
	// answer late with probabilities from 0.08 to 0.32; the sequence
	// (7i mod 20) visits 0..19 once, so the unweighted mean is 0.20.
	repW := make([]float64, Reps)
	for i := range Reps {
		g.repIDs[i] = "rep-" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		repW[i] = 0.7 + 0.6*float64((i*3)%Reps)/float64(Reps-1)
		g.repBreach[i] = 0.08 + 0.24*float64((i*7)%Reps)/float64(Reps-1)
	}
	g.cumRep = cumulative(repW)

	g.boxedBudget = []any{5000.0, 10000.0, 25000.0, 50000.0, 100000.0, 250000.0}
	for _, u := range useCases {
		g.boxedUseCase = append(g.boxedUseCase, u)
	}
	for _, f := range firstNames {
		g.lowerFirst = append(g.lowerFirst, strings.ToLower(f))
	}
	for _, l := range lastNames {
		g.lowerLast = append(g.lowerLast, strings.ToLower(l))
	}
	return g
}

// pick returns an index drawn with the weights whose running sums cum holds.
func (g *gen) pick(cum []float64) int {
	x := g.r.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// uniform returns a uniform integer in [lo, hi).
func (g *gen) uniform(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo) }

// lognormal returns a lognormal number with the given median and sigma.
func (g *gen) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*g.r.NormFloat64())
}

func (g *gen) poisson(mean float64) int {
	if mean >= 40 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*g.r.NormFloat64())))
	}
	limit, p, k := math.Exp(-mean), 1.0, 0
	for {
		p *= g.r.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}

func unix(s int64) time.Time { return time.Unix(s, 0).UTC() }

// run generates the whole data set.
func (g *gen) run() *Dataset {
	g.makeCompanies()
	ds := &Dataset{Leads: make([]lead.Lead, g.n)}
	times := make([]int64, g.n)
	for i := range times {
		times[i] = g.createdAt()
	}
	slices.Sort(times)
	g.leadChan = make([]uint8, g.n)
	g.deals = make([]kpi.Deal, 0, g.n/25+16)
	width := max(7, len(strconv.Itoa(g.n)))
	for i := range ds.Leads {
		g.makeLead(&ds.Leads[i], i, times[i], width)
	}
	g.market(ds, width)
	return ds
}

// createdAt draws a creation time in [start, end), fewer at night and at
// weekends.
func (g *gen) createdAt() int64 {
	var s int64
	for range 32 {
		s = g.uniform(g.start, g.end)
		d := floorDiv(s, secDay)
		w := hourWeight[(s-d*secDay)/secHour]
		if !isWorkday(d) {
			w *= weekendFactor
		}
		if g.r.Float64() < w {
			break
		}
	}
	return s
}

func (g *gen) makeCompanies() {
	n := (g.n + leadsPerCompany - 1) / leadsPerCompany
	r := rand.New(rand.NewPCG(g.seed, streamCompanies))
	save := g.r
	g.r = r
	defer func() { g.r = save }()
	g.companies = make([]company, n)
	maxKinds := 0
	for _, in := range industries {
		maxKinds = max(maxKinds, len(in.kinds))
	}
	combos := len(namePrefixes) * len(nameRoots)
	used := make([]uint32, len(industries)*maxKinds*combos)
	var buf []byte
	for i := range g.companies {
		ind := g.pick(g.cumIndustry)
		ct := &countries[g.pick(g.cumCountry)]
		pl := ct.places[r.IntN(len(ct.places))]
		p, ro := r.IntN(len(namePrefixes)), r.IntN(len(nameRoots))
		k := r.IntN(len(industries[ind].kinds))
		key := (ind*maxKinds+k)*combos + p*len(nameRoots) + ro
		dup := used[key]
		used[key]++
		kind := industries[ind].kinds[k]

		// dup 0: "Oakforge Capital"; 1..10: with a suffix word; then a number.
		var suffix string
		var num uint64
		switch {
		case dup == 0:
		case int(dup) <= len(nameSuffixes):
			suffix = nameSuffixes[dup-1]
		default:
			num = uint64(dup) - uint64(len(nameSuffixes)) + 1
		}
		buf = append(buf[:0], namePrefixes[p]...)
		buf = append(buf, nameRoots[ro]...)
		buf = append(buf, ' ')
		buf = append(buf, kind...)
		if suffix != "" {
			buf = append(buf, ' ')
			buf = append(buf, suffix...)
		}
		if num > 0 {
			buf = append(buf, ' ')
			buf = strconv.AppendUint(buf, num, 10)
		}
		nameLen := len(buf)
		buf = appendLower(buf, namePrefixes[p])
		buf = append(buf, nameRoots[ro]...)
		buf = appendLower(buf, kind)
		buf = appendLower(buf, suffix)
		if num > 0 {
			buf = strconv.AppendUint(buf, num, 10)
		}
		buf = append(buf, ct.tld...)
		s := string(buf)

		emp := int(math.Round(g.lognormal(employeesMedian, employeesSigma)))
		emp = min(max(emp, 1), employeesMax)
		var rev decimal.Decimal
		if !g.chance(revenueUnknown) {
			v := float64(emp) * float64(industries[ind].revPerEmploy) * math.Exp(revenueSigma*r.NormFloat64())
			rev = decimal.New(max(1, int64(math.Round(v/1000))), 3) // whole thousands
		}
		g.companies[i].c = lead.Company{
			Name: s[:nameLen], Domain: s[nameLen:], Industry: industries[ind].name,
			Employees: emp, AnnualRevenue: rev, Country: ct.code, Region: pl.region, City: pl.city,
		}
	}
}

// appendLower appends s in lower case (s is ASCII).
func appendLower(b []byte, s string) []byte {
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// appendID appends prefix and n zero-padded to width digits.
func appendID(b []byte, prefix byte, n, width int) []byte {
	b = append(b, prefix)
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// makeLead fills l with lead number i (0-based) created at created.
func (g *gen) makeLead(l *lead.Lead, i int, created int64, width int) {
	r := g.r
	st := state{rep: -1, deal: -1, comp: -1}
	firstDeal := len(g.deals)
	g.sa = g.sa[:0]
	st.tier = g.pick(g.cumTier)
	ti := g.pick(g.cumTitle)
	t := &titles[ti]
	st.student = ti == titleStudent
	if !st.student && len(g.companies) > 0 {
		st.comp = r.IntN(len(g.companies))
	}
	competitor := !st.student && g.chance(competitorShare)
	var comp lead.Company
	if st.comp >= 0 {
		comp = g.companies[st.comp].c
	} else {
		ct := &countries[g.pick(g.cumCountry)]
		pl := ct.places[r.IntN(len(ct.places))]
		comp = lead.Company{Country: ct.code, Region: pl.region, City: pl.city}
	}
	st.fit = t.fit
	switch {
	case st.student:
		st.fit, st.badWhy = fitBad, "student"
	case competitor:
		st.fit, st.badWhy = fitBad, "competitor"
	case t.fit == fitBad:
		st.badWhy = "wrong persona"
	case comp.Employees < 10:
		st.fit, st.badWhy = fitBad, "too small"
	}

	// Source.
	chi := g.pick(g.cumChannel)
	g.leadChan[i] = uint8(chi)
	ch := &channels[chi]
	cp := &ch.campaigns[g.pick(g.cumCampaign[chi])]
	landing := cp.landing[r.IntN(len(cp.landing))]

	// Prospect activities, the first at creation on the landing page.
	g.pa = g.pa[:0]
	first := act{at: created, typ: lead.ActivityFormSubmit, campaign: cp.name, url: landing}
	if ch.channel == lead.ChannelEvents {
		if cp.name == "webinar-series" {
			first.typ = lead.ActivityWebinarAttended
		} else {
			first.typ = lead.ActivityEventAttended
		}
	}
	g.pa = append(g.pa, first)
	wantMQL := g.chance(tierMQL[st.tier] * map2(st.fit == fitBad, mqlBadFitFactor, 1))
	fast := false
	if st.fit != fitBad && st.tier >= 2 {
		p := fastTrackShare
		if ch.channel == lead.ChannelReferral || ch.channel == lead.ChannelEvents {
			p = fastTrackRefEvt
		}
		fast = g.chance(p)
	}
	// The later activities lie an exponential time (mean activityGapDays)
	// after creation. Their order statistics are drawn directly, already
	// sorted (Rényi's representation: the k-th smallest of m exponentials
	// is the sum of k independent exponentials with rates m, m-1, ...), so
	// no sort is needed and the first one past the horizon ends the list.
	extra := g.poisson(tierExtra[st.tier])
	high := wantMQL || fast
	x := 0.0
	for k := range extra {
		x += r.ExpFloat64() / float64(extra-k)
		at := created + 1 + int64(x*activityGapDays*secDay)
		if at > g.horizon {
			break
		}
		g.pa = append(g.pa, g.prospectAct(at, high))
	}

	// Lifecycle.
	g.tr = g.tr[:0]
	g.move("", lead.StageLead, created, "", "")
	switch {
	case fast:
		rep := g.pick(g.cumRep)
		ft := addWorking(created, g.uniform(15*60, 4*secHour))
		at := addWorking(ft, g.uniform(30*60, 8*secHour))
		if at <= g.horizon {
			st.rep, st.owner = rep, g.repIDs[rep]
			g.touch(&st, ft, lead.ActivityCall)
			g.move(lead.StageLead, lead.StageSQL, at, st.owner, "fast-track: demo request")
			g.funnel(&st, lead.StageSQL, at)
		}
	case wantMQL:
		j := min(1+r.IntN(4), len(g.pa)-1)
		var mqlAt int64
		if j == 0 {
			mqlAt = created + g.uniform(10*60, 3*secDay)
		} else {
			mqlAt = g.pa[j].at + g.uniform(60, 30*60)
			if g.chance(demoTrigger) {
				g.pa[j] = act{at: g.pa[j].at, typ: lead.ActivityDemoRequest, url: "/demo"}
			}
		}
		if mqlAt <= g.horizon {
			g.move(lead.StageLead, lead.StageMQL, mqlAt, Automation, "")
			st.rep = g.pick(g.cumRep)
			st.owner = g.repIDs[st.rep]
			g.funnel(&st, lead.StageMQL, mqlAt)
		}
	default:
		var p float64
		switch st.badWhy {
		case "student":
			p = marketingDQStudent
		case "competitor":
			p = marketingDQCompetitor
		default:
			p = marketingDQSpam
		}
		if g.chance(p) {
			why := st.badWhy
			if why != "student" && why != "competitor" {
				why = "spam"
			}
			at := addWorking(created, g.uniform(secHour, 5*workLen))
			if at <= g.horizon {
				g.move(lead.StageLead, lead.StageDisqualified, at, Automation, why)
			}
		}
	}

	// Deliberate data-quality problems.
	if g.chance(dqEarlyShare) {
		g.tr[0].At = unix(created - g.uniform(secHour, 72*secHour))
	}
	badEmail := g.chance(dqEmailShare)

	// Strings: id, name and email share one allocation.
	fi, li := r.IntN(len(firstNames)), r.IntN(len(lastNames))
	b := appendID(g.buf[:0], 'L', i+1, width)
	idEnd := len(b)
	b = append(b, firstNames[fi]...)
	b = append(b, ' ')
	b = append(b, lastNames[li]...)
	nameEnd := len(b)
	b = append(b, g.lowerFirst[fi]...)
	b = append(b, '.')
	b = append(b, g.lowerLast[li]...)
	free := st.student || st.comp < 0 || g.chance(freeMailShare)
	if free {
		b = strconv.AppendInt(b, 10+r.Int64N(90), 10)
	}
	if badEmail {
		b = append(b, "(at)"...)
	} else {
		b = append(b, '@')
	}
	if free {
		b = append(b, freeMail[g.pick(g.cumFreeMail)].domain...)
	} else {
		b = append(b, comp.Domain...)
	}
	g.buf = b
	s := string(b)
	for k := firstDeal; k < len(g.deals); k++ {
		g.deals[k].LeadID = s[:idEnd]
	}

	// Custom fields.
	fields := make(map[string]any, 3)
	fields["use_case"] = g.boxedUseCase[r.IntN(len(g.boxedUseCase))]
	fields["trial"] = g.chance(0.15 + 0.1*float64(st.tier))
	if g.chance(budgetShare) {
		lo := 0
		switch {
		case comp.Employees >= 1000:
			lo = 3
		case comp.Employees >= 50:
			lo = 1
		}
		fields["budget"] = g.boxedBudget[lo+r.IntN(3)]
	}

	*l = lead.Lead{
		ID:        s[:idEnd],
		CreatedAt: unix(created),
		Owner:     st.owner,
		Stage:     g.tr[len(g.tr)-1].To,
		Person: lead.Person{
			Name: s[idEnd:nameEnd], Email: s[nameEnd:], Title: t.title, Role: t.role,
			Department: t.department, Seniority: t.seniority,
		},
		Company: comp,
		Source: lead.Source{
			Channel: ch.channel, Campaign: cp.name, Medium: ch.medium, LandingPage: landing,
		},
		History:    g.takeHistory(),
		Activities: g.takeActivities(),
		Fields:     fields,
	}
}

func map2(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

// prospectAct draws one prospect activity after the first at time at;
// high says whether the lead is on its way to MQL (it views pricing more).
func (g *gen) prospectAct(at int64, high bool) act {
	r := g.r
	a := act{at: at, typ: prospectTypes[g.pick(g.cumType)].typ}
	switch a.typ {
	case lead.ActivityPageView:
		if high {
			a.url = pageURLs[g.pick(g.cumPageHigh)].url
		} else {
			a.url = pageURLs[g.pick(g.cumPage)].url
		}
	case lead.ActivityEmailOpen, lead.ActivityEmailClick:
		em := &channels[3] // email
		a.campaign = em.campaigns[r.IntN(len(em.campaigns))].name
		if a.typ == lead.ActivityEmailClick {
			a.url = em.campaigns[r.IntN(len(em.campaigns))].landing[0]
		}
	case lead.ActivityContentDownload:
		a.url = downloads[r.IntN(len(downloads))]
	case lead.ActivityFormSubmit:
		a.url = "/contact"
	case lead.ActivityWebinarAttended:
		a.campaign = "webinar-series"
		a.url = "/webinars/aligning-sales-and-marketing"
	case lead.ActivityEventAttended:
		if g.chance(0.6) {
			a.campaign = "saas-summit"
		} else {
			a.campaign = "roadshow"
		}
	case lead.ActivityDemoRequest:
		a.url = "/demo"
	}
	return a
}

// move records a stage change.
func (g *gen) move(from, to lead.Stage, at int64, by, reason string) {
	g.tr = append(g.tr, lead.Transition{From: from, To: to, At: unix(at), By: by, Reason: reason})
}

// touch records a sales touch by the owner, if it is not past the horizon.
func (g *gen) touch(st *state, at int64, typ lead.ActivityType) {
	if at <= g.horizon {
		g.sa = append(g.sa, act{at: at, typ: typ, actor: st.owner})
	}
}

// touches records k sales touches between from and the instant w working
// seconds later, in time order; meeting is the probability of a meeting.
func (g *gen) touches(st *state, from, w int64, k int, meeting float64) {
	var offs [8]int64
	k = min(k, len(offs))
	for i := range k {
		offs[i] = g.r.Int64N(w + 1)
	}
	slices.Sort(offs[:k])
	for _, o := range offs[:k] {
		typ := lead.ActivityEmailSent
		switch x := g.r.Float64(); {
		case x < meeting:
			typ = lead.ActivityMeeting
		case x < meeting+(1-meeting)/2:
			typ = lead.ActivityCall
		}
		g.touch(st, addWorking(from, o), typ)
	}
}

// firstTouchDelay returns the working seconds from MQL entry to the first
// sales touch of rep: within the 8-hour response SLA, or late.
func (g *gen) firstTouchDelay(rep int) int64 {
	if g.chance(g.repBreach[rep]) {
		return g.uniform(workLen+15*60, 5*workLen) // late: 8h15m to 40h
	}
	return min(int64(g.r.ExpFloat64()*1.5*secHour), workLen-30*60) + 2*60 // 2m to 7h32m
}

// workDelay returns a lognormal number of working seconds with the given
// median in working hours, at least a quarter of an hour.
func (g *gen) workDelay(medianHours, sigma float64) int64 {
	return max(15*60, int64(g.lognormal(medianHours, sigma)*secHour))
}

// funnel runs a lead's sales life from stage (MQL or SQL) entered at t
// until it leaves the funnel, becomes a customer or reaches the horizon.
func (g *gen) funnel(st *state, stage lead.Stage, t int64) {
	cycle := 0
	for {
		var (
			w        int64 // working seconds to the decision
			pass     float64
			next     lead.Stage
			reasons  []exitReason
			cum      []float64
			touchesK int
			meeting  float64
			base     = t
		)
		switch stage {
		case lead.StageMQL:
			ft := addWorking(t, g.firstTouchDelay(st.rep))
			if ft > g.horizon {
				return
			}
			g.touch(st, ft, pickTouch(g.chance(0.55)))
			base = ft
			w = g.uniform(30*60, 3*workLen)
			pass = fitAccept[st.fit]
			if st.student {
				pass = 0
			}
			next, reasons, cum = lead.StageSAL, rejectMQL, g.cumRejectMQL
			touchesK = g.r.IntN(3)
		case lead.StageSAL:
			w = g.workDelay(32, 0.7)
			pass = tierSQL[st.tier] * map2(st.fit == fitBad, 0.5, 1)
			next, reasons, cum = lead.StageSQL, rejectSAL, g.cumRejectSAL
			touchesK, meeting = 1+g.r.IntN(3), 0.2
		case lead.StageSQL:
			w = g.workDelay(48, 0.7)
			pass = tierOpp[st.tier]
			next, reasons, cum = lead.StageOpportunity, rejectSQL, g.cumRejectSQL
			touchesK, meeting = 1+g.r.IntN(3), 0.4
		case lead.StageOpportunity:
			g.openDeal(st, t)
			w = g.workDelay(240, 0.5)
			pass = tierWin[st.tier] + map2(st.fit == fitGreat, 0.04, 0)
			next, reasons, cum = lead.StageCustomer, lostOpportunity, g.cumLost
			touchesK, meeting = 2+g.r.IntN(4), 0.4
		default:
			return
		}
		dec := addWorking(base, w)
		g.touches(st, base, w, touchesK, meeting)
		if dec > g.horizon {
			return
		}
		if g.chance(pass) {
			g.move(stage, next, dec, st.owner, "")
			if next == lead.StageCustomer {
				g.closeDeal(st, dec, kpi.DealWon)
				if g.chance(evangelists) {
					ev := dec + g.uniform(60*secDay, 240*secDay)
					if ev <= g.horizon {
						g.move(lead.StageCustomer, lead.StageEvangelist, ev, Automation, "nps promoter")
					}
				}
				return
			}
			stage, t = next, dec
			continue
		}
		// The lead leaves the funnel.
		var e exitReason
		if stage == lead.StageMQL && st.fit == fitBad {
			e = exitReason{reason: st.badWhy}
		} else {
			e = reasons[g.pick(cum)]
		}
		exit := lead.StageDisqualified
		if e.recycled {
			exit = lead.StageRecycled
		}
		if stage == lead.StageOpportunity {
			g.closeDeal(st, dec, kpi.DealLost)
		}
		g.move(stage, exit, dec, st.owner, e.reason)
		if exit != lead.StageRecycled || cycle > 0 || !g.chance(comebackShare) {
			return
		}
		cb := dec + g.uniform(30*secDay, 150*secDay)
		if cb > g.horizon {
			return
		}
		g.move(lead.StageRecycled, lead.StageMQL, cb, Automation, "re-engaged")
		stage, t, cycle = lead.StageMQL, cb, 1
	}
}

func pickTouch(call bool) lead.ActivityType {
	if call {
		return lead.ActivityCall
	}
	return lead.ActivityEmailSent
}

// openDeal creates the deal of an opportunity entered at t.
func (g *gen) openDeal(st *state, t int64) {
	c := &g.companies[st.comp].c
	var p int
	x := g.r.Float64()
	switch {
	case c.Employees < 50:
		p = map3(x < 0.7, prodStarter, prodGrowth)
	case c.Employees < 1000:
		p = map3(x < 0.15, prodStarter, map3(x < 0.75, prodGrowth, prodEnterprise))
	default:
		p = map3(x < 0.4, prodGrowth, prodEnterprise)
	}
	cents := int64(math.Round(float64(products[p].price) * math.Exp(0.3*g.r.NormFloat64())))
	st.deal = len(g.deals)
	g.deals = append(g.deals, kpi.Deal{
		Account: c.Name, Owner: st.owner, Product: products[p].name,
		Amount: decimal.New(cents, -2), CreatedAt: unix(t), Status: kpi.DealOpen, NewCustomer: true,
	})
	g.dealComp = append(g.dealComp, int32(st.comp))
}

func map3(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

// closeDeal closes the lead's open deal at t.
func (g *gen) closeDeal(st *state, t int64, s kpi.DealStatus) {
	if st.deal < 0 {
		return
	}
	d := &g.deals[st.deal]
	d.Status, d.ClosedAt = s, unix(t)
	st.deal = -1
}

// takeHistory copies the transitions under construction into the shared
// backing array and returns them.
func (g *gen) takeHistory() []lead.Transition {
	n := len(g.tr)
	if len(g.trChunk) < n {
		g.trChunk = make([]lead.Transition, max(n, 1<<14))
	}
	h := g.trChunk[:n:n]
	g.trChunk = g.trChunk[n:]
	copy(h, g.tr)
	return h
}

// takeActivities merges the prospect and sales activities under
// construction, both in time order, into the shared backing array.
func (g *gen) takeActivities() []lead.Activity {
	n := len(g.pa) + len(g.sa)
	if len(g.actChunk) < n {
		g.actChunk = make([]lead.Activity, max(n, 1<<14))
	}
	out := g.actChunk[:n:n]
	g.actChunk = g.actChunk[n:]
	i, j := 0, 0
	for k := range out {
		var a *act
		if j >= len(g.sa) || (i < len(g.pa) && g.pa[i].at <= g.sa[j].at) {
			a = &g.pa[i]
			i++
		} else {
			a = &g.sa[j]
			j++
		}
		out[k] = lead.Activity{Type: a.typ, At: unix(a.at), Actor: a.actor, Campaign: a.campaign, URL: a.url}
	}
	g.sa = g.sa[:0]
	return out
}
