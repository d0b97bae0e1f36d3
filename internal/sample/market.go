package sample

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/kpi"
)

// market derives everything that is not a lead: which deals are new
// business, the customers with their churn and expansion deals, the deal
// IDs, and the daily spend and visits.
func (g *gen) market(ds *Dataset, width int) {
	g.r = rand.New(rand.NewPCG(g.seed, streamMarket))

	// An account becomes a customer when its first deal is won.
	firstWin := make([]int32, len(g.companies)) // deal index + 1; 0: never won
	for k := range g.deals {
		d := &g.deals[k]
		if d.Status != kpi.DealWon {
			continue
		}
		c := g.dealComp[k]
		if f := firstWin[c]; f == 0 || d.ClosedAt.Before(g.deals[f-1].ClosedAt) {
			firstWin[c] = int32(k + 1)
		}
	}
	// A deal is new business unless its account was a customer already
	// when the deal was opened.
	for k := range g.deals {
		d := &g.deals[k]
		if f := firstWin[g.dealComp[k]]; f != 0 && !d.CreatedAt.Before(g.deals[f-1].ClosedAt) {
			d.NewCustomer = false
		}
	}
	var wins []int32 // deal index of each account's first win
	for _, f := range firstWin {
		if f != 0 {
			wins = append(wins, f-1)
		}
	}
	slices.SortFunc(wins, func(a, b int32) int {
		return cmp.Or(g.deals[a].ClosedAt.Compare(g.deals[b].ClosedAt), cmp.Compare(a, b))
	})
	ds.Customers = make([]kpi.Customer, len(wins))
	for i, k := range wins {
		first := g.deals[k]
		since := first.ClosedAt.Unix()
		cu := kpi.Customer{ID: first.Account, Since: first.ClosedAt}
		churn := since + int64(g.r.ExpFloat64()*churnMeanDays*secDay)
		if churn <= g.horizon {
			cu.ChurnedAt = unix(churn)
		} else {
			churn = math.MaxInt64
		}
		ds.Customers[i] = cu
		if !g.chance(expansionShare) {
			continue
		}
		at := addWorking(since+g.uniform(90*secDay, 300*secDay), 0)
		if at >= churn || at > g.horizon {
			continue
		}
		p := prodAnalytics
		if g.chance(0.4) {
			p = prodSupport
		}
		cents := int64(math.Round(float64(products[p].price) * math.Exp(0.3*g.r.NormFloat64())))
		d := kpi.Deal{
			LeadID: first.LeadID, Account: first.Account, Owner: first.Owner, Product: products[p].name,
			Amount: decimal.New(cents, -2), CreatedAt: unix(at), Status: kpi.DealOpen,
		}
		closeAt := addWorking(at, g.workDelay(120, 0.5))
		if closeAt <= g.horizon && closeAt < churn {
			d.ClosedAt = unix(closeAt)
			d.Status = kpi.DealLost
			if g.chance(expansionWinRate) {
				d.Status = kpi.DealWon
			}
		}
		g.deals = append(g.deals, d)
	}
	var buf []byte
	for k := range g.deals {
		buf = appendID(buf[:0], 'D', k+1, width)
		g.deals[k].ID = string(buf)
	}
	ds.Deals = g.deals

	g.spendAndVisits(ds)
}

// spendAndVisits fills the daily spend per campaign and visits per
// channel for the days of [start, end). Both follow the expected number
// of leads of the day; visits are never fewer than the leads created.
// webVisits splits each day's visits of a channel over its landing pages.
func (g *gen) spendAndVisits(ds *Dataset) {
	if g.n == 0 {
		return
	}
	firstDay := floorDiv(g.start, secDay)
	lastDay := floorDiv(g.end-1, secDay)
	days := int(lastDay - firstDay + 1)
	weight := make([]float64, days)
	total := 0.0
	for i := range weight {
		d := firstDay + int64(i)
		lo, hi := max(d*secDay, g.start), min((d+1)*secDay, g.end)
		w := float64(hi-lo) / secDay
		if !isWorkday(d) {
			w *= weekendFactor
		}
		weight[i] = w
		total += w
	}
	created := make([]int32, days*len(channels))
	for i := range ds.Leads {
		d := floorDiv(ds.Leads[i].CreatedAt.Unix(), secDay) - firstDay
		created[int(d)*len(channels)+int(g.leadChan[i])]++
	}
	paid := 0
	for _, ch := range channels {
		for _, c := range ch.campaigns {
			if c.cpl > 0 {
				paid++
			}
		}
	}
	ds.Spend = make([]kpi.Spend, 0, days*paid)
	totals := make([]int64, days*len(channels)) // sessions per day and channel
	for i := range days {
		d := firstDay + int64(i)
		at := unix(max(d*secDay, g.start))
		for ci, ch := range channels {
			expected := float64(g.n) * ch.weight / 100 * weight[i] / total
			for _, c := range ch.campaigns {
				if c.cpl == 0 {
					continue
				}
				cents := int64(math.Round(expected * c.weight * float64(c.cpl) * (0.8 + 0.4*g.r.Float64())))
				if cents > 0 {
					ds.Spend = append(ds.Spend, kpi.Spend{
						At: at, Channel: string(ch.channel), Campaign: c.name, Amount: decimal.New(cents, -2),
					})
				}
			}
			v := int64(math.Round(expected / ch.visitRate * (0.85 + 0.3*g.r.Float64())))
			v = max(v, int64(created[i*len(channels)+ci]))
			totals[i*len(channels)+ci] = v
		}
	}
	g.webVisits(ds, firstDay, days, totals)
}
