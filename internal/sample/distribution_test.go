package sample

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// rank orders the standard lifecycle for "reached or passed" counting.
var rank = map[lead.Stage]int{
	lead.StageLead: 1, lead.StageMQL: 2, lead.StageSAL: 3, lead.StageSQL: 4,
	lead.StageOpportunity: 5, lead.StageCustomer: 6, lead.StageEvangelist: 7,
}

// furthest returns the rank of the furthest lifecycle stage l entered.
func furthest(l *lead.Lead) int {
	r := 0
	for _, t := range l.History {
		r = max(r, rank[t.To])
	}
	return r
}

var freeDomains = []string{"@gmail.com", "@yahoo.com", "@hotmail.com", "@outlook.com", "@icloud.com"}

func isFreeMail(email string) bool {
	for _, d := range freeDomains {
		if strings.HasSuffix(email, d) {
			return true
		}
	}
	return false
}

// lateFirstTouch reports whether the first sales touch after the lead's
// first MQL entry came more than 8 working hours (Mon-Fri 09:00-17:00
// UTC) after it, computed with the minute-stepping oracle; ok is false
// when the lead has no MQL entry or no touch after it.
func lateFirstTouch(l *lead.Lead) (late, ok bool) {
	mql, found := l.EnteredAt(lead.StageMQL)
	if !found {
		return false, false
	}
	var first time.Time
	for _, a := range l.Activities {
		if a.Actor != "" && !a.At.Before(mql) && (first.IsZero() || a.At.Before(first)) {
			first = a.At
		}
	}
	if first.IsZero() {
		return false, false
	}
	return first.After(slowAddWorking(mql, 8*60)), true
}

type rate struct {
	name    string
	num     int
	den     int
	lo, hi  float64
	working string
}

func checkRates(t *testing.T, rates []rate) {
	t.Helper()
	for _, r := range rates {
		t.Run(r.name, func(t *testing.T) {
			if r.den == 0 {
				t.Fatalf("%s: no cases", r.name)
			}
			v := float64(r.num) / float64(r.den)
			t.Logf("%s = %d/%d = %.4f", r.name, r.num, r.den, v)
			if v < r.lo || v > r.hi {
				t.Errorf("%s = %d/%d = %.4f, want %.3f..%.3f (%s)", r.name, r.num, r.den, v, r.lo, r.hi, r.working)
			}
		})
	}
}

// TestDistributions checks the rates doc.go promises on 20,000 leads for
// several seeds. Each range is wide compared with the sampling error of
// its denominator (worked out per line), so a correct generator passes
// for any seed, and a changed constant fails.
func TestDistributions(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		ds := mustGenerate(t, Config{Seed: seed, Leads: 20000})
		n := len(ds.Leads)
		var reached [8]int
		free, acts, late, touched := 0, 0, 0, 0
		budget, fast, students, organic, recycled, comeback := 0, 0, 0, 0, 0, 0
		custActs, custN, otherActs, otherN := 0, 0, 0, 0
		for i := range ds.Leads {
			l := &ds.Leads[i]
			f := furthest(l)
			for s := 1; s <= f; s++ {
				reached[s]++
			}
			if isFreeMail(l.Person.Email) {
				free++
			}
			if _, ok := l.Fields["budget"]; ok {
				budget++
			}
			if l.Person.Title == "Student" {
				students++
			}
			if l.Source.Channel == lead.ChannelOrganicSearch {
				organic++
			}
			wasRecycled, cameBack := false, false
			for _, tr := range l.History {
				fast += btoi(tr.From == lead.StageLead && tr.To == lead.StageSQL)
				wasRecycled = wasRecycled || tr.To == lead.StageRecycled
				cameBack = cameBack || tr.From == lead.StageRecycled
			}
			recycled += btoi(wasRecycled)
			comeback += btoi(cameBack)
			acts += len(l.Activities)
			pa := 0
			for _, a := range l.Activities {
				if a.Actor == "" {
					pa++
				}
			}
			if f >= rank[lead.StageCustomer] {
				custActs += pa
				custN++
			} else {
				otherActs += pa
				otherN++
			}
			if lt, ok := lateFirstTouch(l); ok {
				touched++
				if lt {
					late++
				}
			}
		}
		won, lost := 0, 0
		for _, d := range ds.Deals {
			if !d.NewCustomer || d.LeadID == "" {
				continue
			}
			switch d.Status {
			case kpi.DealWon:
				won++
			case kpi.DealLost:
				lost++
			}
		}
		t.Run(seedName(seed), func(t *testing.T) {
			checkRates(t, []rate{
				// Expected ≈ 0.32 (tier weights · tierMQL, less for bad fits); the
				// sd of a share on 20,000 is √(.32·.68/20000) ≈ 0.0033, so the range
				// 0.29..0.36 is ±9 sd.
				{"lead->MQL", reached[2], n, 0.29, 0.36, "≈0.32 ± 9 sd"},
				// ≈ 0.72 on ~6,400 MQLs: sd ≈ 0.0056; 0.66..0.78 is ±10 sd.
				{"MQL->SAL", reached[3], reached[2], 0.66, 0.78, "≈0.72 ± 10 sd"},
				// ≈ 0.55 on ~4,600: sd ≈ 0.0073; 0.49..0.61 is ±8 sd.
				{"SAL->SQL", reached[4], reached[3], 0.49, 0.61, "≈0.55 ± 8 sd"},
				// ≈ 0.62 on ~2,500: sd ≈ 0.0097; 0.56..0.68 is ±6 sd.
				{"SQL->opportunity", reached[5], reached[4], 0.56, 0.68, "≈0.62 ± 6 sd"},
				// ≈ 0.33 on ~1,600 (open deals count as not won): sd ≈ 0.012; ±4 sd.
				{"opportunity->customer", reached[6], reached[5], 0.28, 0.38, "≈0.33 ± 4 sd"},
				// ≈ 0.345 on ~1,500 closed new-business deals: sd ≈ 0.012; ±4.5 sd.
				{"new-business win rate", won, won + lost, 0.29, 0.40, "≈0.345 ± 4.5 sd"},
				// 0.035 students + 0.965·0.12 ≈ 0.151 (plus a few companyless
				// leads); sd ≈ 0.0025; 0.13..0.17 is ±8 sd.
				{"free-mail share", free, n, 0.13, 0.17, "≈0.151 ± 8 sd"},
				// Rep lateness 0.08..0.32, mean ≈ 0.20 weighted by load; sd on ~6,400
				// first touches ≈ 0.005; 0.15..0.25 is ±10 sd.
				{"first touch later than 1 business day", late, touched, 0.15, 0.25, "≈0.20 ± 10 sd"},
				// budgetShare 0.6; sd ≈ 0.0035; 0.57..0.63 is ±8.5 sd.
				{"budget present", budget, n, 0.57, 0.63, "0.60 ± 8.5 sd"},
				// Student title weight 3 of 86.5 = 0.0347; sd ≈ 0.0013; ±5 sd.
				{"students", students, n, 0.028, 0.042, "≈0.035 ± 5 sd"},
				// Channel weight 24 of 100; sd ≈ 0.003; 0.22..0.26 is ±6.5 sd.
				{"organic search", organic, n, 0.22, 0.26, "0.24 ± 6.5 sd"},
				// Tiers 2-3 (0.30) × fitting titles and sizes (≈0.8) × (0.03 for
				// 82% of channels, 0.08 for referral and events) ≈ 0.0094; sd ≈
				// 0.0007; 0.005..0.015 is about ±6 sd.
				{"fast-tracked (lead -> SQL)", fast, n, 0.005, 0.015, "≈0.0094 ± 6 sd"},
				// comebackShare 0.25, less the comebacks that would fall past
				// End+FollowOn (recycled late in the period): ≈0.24 on ~3,800
				// recycled leads, sd ≈ 0.007; 0.19..0.28 is about ±6 sd.
				{"recycled leads that come back", comeback, recycled, 0.19, 0.28, "≈0.24 ± 6 sd"},
			})
			// Mean activities: 1 + Σ tierWeight·tierExtra = 1 + .35·2 + .35·7 + .2·14
			// + .1·26 = 9.55 prospect activities, less those past the horizon,
			// plus ≈1.8 sales touches; the mean of ~11.3 has sd ≈ 0.07 on 20,000.
			if m := float64(acts) / float64(n); m < 10 || m > 13 {
				t.Errorf("mean activities per lead = %.2f, want 10..13 (≈11.3)", m)
			}
			// Engagement drives conversion: customers come mostly from tiers 2
			// and 3 (15 and 27 activities), other leads mostly from 0 and 1.
			cm, om := float64(custActs)/float64(custN), float64(otherActs)/float64(otherN)
			t.Logf("activities per lead %.2f; prospect activities: customers %.2f, others %.2f", float64(acts)/float64(n), cm, om)
			if cm < 1.5*om {
				t.Errorf("mean prospect activities: customers %.2f, others %.2f; want customers ≥ 1.5× others", cm, om)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func seedName(s uint64) string { return "seed " + string(rune('0'+s)) }

// TestEngagementAUC checks that the number of prospect activities ranks
// customers above other leads: the Mann-Whitney AUC, computed by sorting,
// is well above 0.5.
func TestEngagementAUC(t *testing.T) {
	ds := mustGenerate(t, Config{Seed: 5, Leads: 20000})
	type obs struct {
		acts int
		pos  bool
	}
	var xs []obs
	for i := range ds.Leads {
		l := &ds.Leads[i]
		pa := 0
		for _, a := range l.Activities {
			if a.Actor == "" {
				pa++
			}
		}
		xs = append(xs, obs{pa, furthest(l) >= rank[lead.StageSQL]})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].acts < xs[j].acts })
	// AUC = (sum of positive ranks − P(P+1)/2) / (P·N), ties get mean ranks.
	var sumRank float64
	pos := 0
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && xs[j].acts == xs[i].acts {
			j++
		}
		mean := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if xs[k].pos {
				sumRank += mean
				pos++
			}
		}
		i = j
	}
	neg := len(xs) - pos
	auc := (sumRank - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
	// Tiers 0..3 reach SQL at very different rates (≈2%, 8%, 18%, 28%), so
	// activity counts, which follow the tiers, separate them: AUC ≈ 0.75.
	t.Logf("AUC = %.4f (%d positives, %d negatives)", auc, pos, neg)
	if auc < 0.68 {
		t.Errorf("AUC of activity count for reaching SQL = %.3f, want ≥ 0.68", auc)
	}
}
