package account

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// resolution is the number of state units per engagement point: scores
// are kept as integers of a millionth of a point, so that sums do not
// depend on the order leads are added and merged in.
const resolution = 1e6

// maxUnits is the largest engagement a lead may have, in units.
const maxUnits = int64(scoring.MaxPoints * resolution)

// line is one lead named in an account's explanation.
type line struct {
	ID    string `json:"id"`
	Units int64  `json:"units"`           // engagement in millionths of a point
	Roles []int  `json:"roles,omitempty"` // buying-group roles it matches, increasing
}

// before orders lines most engaged first, then by lead ID.
func (a line) before(b line) int {
	if a.Units != b.Units {
		return cmp.Compare(b.Units, a.Units)
	}
	return strings.Compare(a.ID, b.ID)
}

// roleCount counts an account's leads of one buying-group role.
type roleCount struct{ leads, engaged int64 }

// acct is the state of one account.
type acct struct {
	company lead.Company // of the earliest lead (CreatedAt, then ID)
	first   time.Time
	firstID string
	leads   int64
	engaged int64 // leads with engagement > 0
	sum     int64 // units
	top     []line
	roles   []roleCount
}

// Accounts is an account scoring accumulator: it adds leads, keyed by
// account, and reports account scores as of one instant. Make one with
// Scorer.NewAccounts. It is not safe for concurrent use: give each
// goroutine its own and Merge them. Its memory grows with the number of
// accounts (each keeps its company, counts and at most
// max(LeadsPerAccount, Engagement.N) leads), never with the leads per
// account.
//
// The zero Accounts is not ready: its methods return an error, except
// UnmarshalJSON, which makes it ready.
type Accounts struct {
	s        *Scorer
	asOf     time.Time
	skipped  int64 // leads created after the as-of
	unkeyed  int64 // leads without an account key
	accounts map[string]*acct
	res      scoring.Result // reused by Add
}

// NewAccounts returns an empty accumulator as of asOf: leads created
// after it are skipped (and counted), and every lead is scored as of it,
// so activities after it are invisible. Account scoring needs an as-of
// (engagement windows and decay are measured from it): with a zero asOf
// every Add returns an error saying so. A nil Scorer gives an accumulator
// whose methods return an error.
func (s *Scorer) NewAccounts(asOf time.Time) *Accounts {
	return &Accounts{s: s, asOf: asOf.UTC(), accounts: map[string]*acct{}}
}

func (a *Accounts) ready() error {
	switch {
	case a == nil:
		return errors.New("account: nil *Accounts")
	case a.s == nil:
		return errors.New("account: the Accounts is not initialized; make it with Scorer.NewAccounts or decode a saved state into it")
	}
	return nil
}

// AsOf returns the as-of instant in UTC; zero for a nil or zero Accounts.
func (a *Accounts) AsOf() time.Time {
	if a == nil {
		return time.Time{}
	}
	return a.asOf
}

// Fingerprint returns the definition's fingerprint; "" for a nil or zero
// Accounts.
func (a *Accounts) Fingerprint() string {
	if a == nil {
		return ""
	}
	return a.s.Fingerprint()
}

// Add scores the lead as of the as-of and adds it to its account. A lead
// created after the as-of is counted as skipped; a lead without an
// account key is counted as unkeyed; neither is an error. A nil lead, a
// lead without an ID, a zero as-of and a rule that fails for the lead are
// errors, and add nothing. Adding one lead twice counts it twice.
func (a *Accounts) Add(l *lead.Lead) error { return a.add(l, nil) }

// AddScored is [Accounts.Add] for a lead the host has already scored
// with the definition's lead model as of the accumulator's as-of (a
// report that scores every lead anyway): r must carry that model's
// fingerprint, the lead's id and the as-of, or AddScored returns an error
// and adds nothing. The lead is not scored again.
func (a *Accounts) AddScored(l *lead.Lead, r *scoring.Result) error {
	if r == nil {
		return errors.New("account: AddScored with a nil result")
	}
	return a.add(l, r)
}

// add adds l, scored as r, or scored here when r is nil.
func (a *Accounts) add(l *lead.Lead, r *scoring.Result) error {
	if err := a.ready(); err != nil {
		return err
	}
	switch {
	case l == nil:
		return errors.New("account: add a nil lead")
	case a.asOf.IsZero():
		return errors.New("account: the accumulator has a zero as-of; account scoring needs one (NewAccounts(asOf))")
	case l.ID == "":
		return errors.New("account: add a lead without an ID")
	case l.CreatedAt.After(a.asOf):
		if a.skipped == math.MaxInt64 {
			return errors.New("account: skipped count would overflow")
		}
		a.skipped++
		return nil
	}
	key := a.s.keyOf(l)
	if key == "" {
		if a.unkeyed == math.MaxInt64 {
			return errors.New("account: unkeyed count would overflow")
		}
		a.unkeyed++
		return nil
	}
	if r == nil {
		if err := a.s.leads.ScoreInto(&a.res, l, a.asOf); err != nil {
			return fmt.Errorf("account: score lead %q: %w", l.ID, err)
		}
		r = &a.res
	} else if r.Model != a.s.leads.Fingerprint() || r.LeadID != l.ID || !r.At.Equal(a.asOf) {
		return fmt.Errorf("account: lead %q: the result is of model %q for lead %q as of %v; want model %q as of %v",
			l.ID, r.Model, r.LeadID, r.At, a.s.leads.Fingerprint(), a.asOf)
	}
	if math.IsNaN(r.Engagement) || math.IsInf(r.Engagement, 0) {
		return fmt.Errorf("account: lead %q has engagement %v", l.ID, r.Engagement)
	}
	u := int64(math.Round(r.Engagement * resolution))
	u = min(max(u, -maxUnits), maxUnits)
	ln := line{ID: l.ID, Units: u}
	for _, p := range r.Personas {
		if i, ok := a.s.roleIdx[p]; ok {
			ln.Roles = append(ln.Roles, i)
		}
	}
	slices.Sort(ln.Roles)
	cur, ok := a.accounts[key]
	if !ok {
		cur = &acct{company: cloneCompany(l.Company), first: l.CreatedAt.UTC(), firstID: strings.Clone(l.ID),
			top: make([]line, 0, 1), roles: make([]roleCount, len(a.s.canon.BuyingGroup))}
		a.accounts[strings.Clone(key)] = cur
	} else {
		switch {
		case cur.leads == math.MaxInt64:
			return errors.New("account: lead count would overflow")
		case u > 0 && cur.sum > math.MaxInt64-u || u < 0 && cur.sum < math.MinInt64-u:
			return errors.New("account: engagement sum would overflow")
		}
		if at := l.CreatedAt.UTC(); at.Before(cur.first) || at.Equal(cur.first) && l.ID < cur.firstID {
			cur.company, cur.first, cur.firstID = cloneCompany(l.Company), at, strings.Clone(l.ID)
		}
	}
	cur.leads++
	cur.sum += u
	if u > 0 {
		cur.engaged++
	}
	for _, i := range ln.Roles {
		cur.roles[i].leads++
		if a.s.engagedIn(i, u) {
			cur.roles[i].engaged++
		}
	}
	// Insert ln in the top lines, keeping at most keep.
	pos, _ := slices.BinarySearchFunc(cur.top, ln, line.before)
	if pos < a.s.keep {
		if len(cur.top) == a.s.keep {
			cur.top = cur.top[:len(cur.top)-1]
		}
		ln.ID = strings.Clone(ln.ID)
		cur.top = slices.Insert(cur.top, pos, ln)
	}
	return nil
}

// cloneCompany copies c's strings, so that the state does not keep a
// decoded lead's line in memory (lead.Lines shares one copy of it).
func cloneCompany(c lead.Company) lead.Company {
	c.Name, c.Domain, c.Industry = strings.Clone(c.Name), strings.Clone(c.Domain), strings.Clone(c.Industry)
	c.Country, c.Region, c.City = strings.Clone(c.Country), strings.Clone(c.Region), strings.Clone(c.City)
	return c
}

// engagedIn reports whether a lead of role i with engagement u counts
// as engaged.
func (s *Scorer) engagedIn(i int, u int64) bool {
	return u > 0 && float64(u) >= s.canon.BuyingGroup[i].MinEngagement*resolution
}

// check reports whether merging o into c would overflow.
func (c *acct) check(o *acct) error {
	if c.leads > math.MaxInt64-o.leads {
		return errors.New("account: lead count would overflow")
	}
	if o.sum > 0 && c.sum > math.MaxInt64-o.sum || o.sum < 0 && c.sum < math.MinInt64-o.sum {
		return errors.New("account: engagement sum would overflow")
	}
	return nil
}

// merge adds o into c, keeping keep lines; o is not modified.
func (c *acct) merge(o *acct, keep int) {
	if o.first.Before(c.first) || o.first.Equal(c.first) && o.firstID < c.firstID {
		c.company, c.first, c.firstID = o.company, o.first, o.firstID
	}
	c.leads += o.leads
	c.engaged += o.engaged
	c.sum += o.sum
	for i := range c.roles {
		c.roles[i].leads += o.roles[i].leads
		c.roles[i].engaged += o.roles[i].engaged
	}
	top := make([]line, 0, min(keep, len(c.top)+len(o.top)))
	i, j := 0, 0
	for len(top) < keep && (i < len(c.top) || j < len(o.top)) {
		if j >= len(o.top) || i < len(c.top) && c.top[i].before(o.top[j]) <= 0 {
			top = append(top, c.top[i])
			i++
		} else {
			top = append(top, o.top[j].clone())
			j++
		}
	}
	c.top = top
}

func (l line) clone() line { l.Roles = slices.Clone(l.Roles); return l }

func (c *acct) clone() *acct {
	d := *c
	d.top = make([]line, len(c.top))
	for i, l := range c.top {
		d.top[i] = l.clone()
	}
	d.roles = slices.Clone(c.roles)
	return &d
}

// Merge adds o's leads into a. It refuses a nil o, a itself, an
// accumulator of another definition (fingerprint) or as-of, and counts
// that would overflow; on error a is unchanged. o is not modified and
// shares no memory with a afterwards.
func (a *Accounts) Merge(o *Accounts) error {
	if err := a.ready(); err != nil {
		return err
	}
	switch {
	case o == nil:
		return errors.New("account: merge with a nil *Accounts")
	case o == a:
		return errors.New("account: an Accounts cannot merge with itself")
	case o.s == nil:
		return errors.New("account: merge with an Accounts that is not initialized")
	case o.s.Fingerprint() != a.s.Fingerprint():
		return fmt.Errorf("account: cannot merge accounts of definition %s into one of %s", o.s.Fingerprint(), a.s.Fingerprint())
	case !o.asOf.Equal(a.asOf):
		return fmt.Errorf("account: cannot merge accounts as of %v and %v", o.asOf, a.asOf)
	case a.skipped > math.MaxInt64-o.skipped || a.unkeyed > math.MaxInt64-o.unkeyed:
		return errors.New("account: merge would overflow the skipped or unkeyed count")
	}
	var total int64
	for k, oc := range o.accounts {
		if c, ok := a.accounts[k]; ok {
			if err := c.check(oc); err != nil {
				return err
			}
		}
		if total > math.MaxInt64-oc.leads {
			return errors.New("account: merge would overflow the lead count")
		}
		total += oc.leads
	}
	for k, oc := range o.accounts {
		if c, ok := a.accounts[k]; ok {
			c.merge(oc, a.s.keep)
		} else {
			a.accounts[k] = oc.clone()
		}
	}
	a.skipped += o.skipped
	a.unkeyed += o.unkeyed
	return nil
}

// Scorer returns the compiled definition the accumulator uses, to make
// fresh accumulators for Merge; nil for a nil or zero Accounts.
func (a *Accounts) Scorer() *Scorer {
	if a == nil {
		return nil
	}
	return a.s
}
