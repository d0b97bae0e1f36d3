package account

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"github.com/leadkit/leadkit/lead"
)

// stateFormat is the format version of an Accounts' JSON state.
const stateFormat = "leadkit.account/1"

type state struct {
	Format      string          `json:"format"`
	Definition  json.RawMessage `json:"definition"`
	Fingerprint string          `json:"fingerprint"`
	AsOf        string          `json:"as_of"`
	Skipped     int64           `json:"skipped"`
	Unkeyed     int64           `json:"unkeyed"`
	Accounts    []acctState     `json:"accounts"`
}

type acctState struct {
	Key     string       `json:"key"`
	Company lead.Company `json:"company"`
	First   time.Time    `json:"first"`
	FirstID string       `json:"first_id"`
	Leads   int64        `json:"leads"`
	Engaged int64        `json:"engaged"`
	Sum     int64        `json:"sum"`
	Top     []line       `json:"top"`
	Roles   [][2]int64   `json:"roles"`
}

// MarshalJSON encodes the accumulator as self-describing state:
// {"format":"leadkit.account/1", "definition": ..., "fingerprint": ...,
// "as_of": ..., "skipped", "unkeyed", "accounts": [...]}, accounts
// sorted by key.
func (a *Accounts) MarshalJSON() ([]byte, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	st := state{Format: stateFormat, Definition: a.s.def, Fingerprint: a.s.fp,
		AsOf: a.asOf.Format(time.RFC3339Nano), Skipped: a.skipped, Unkeyed: a.unkeyed,
		Accounts: make([]acctState, 0, len(a.accounts))}
	for _, k := range slicesSortedKeys(a.accounts) {
		c := a.accounts[k]
		as := acctState{Key: k, Company: c.company, First: c.first, FirstID: c.firstID,
			Leads: c.leads, Engaged: c.engaged, Sum: c.sum, Top: c.top, Roles: make([][2]int64, len(c.roles))}
		for i, r := range c.roles {
			as.Roles[i] = [2]int64{r.leads, r.engaged}
		}
		st.Accounts = append(st.Accounts, as)
	}
	return json.Marshal(st)
}

func slicesSortedKeys(m map[string]*acct) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// UnmarshalJSON decodes the state MarshalJSON writes into a, which may be
// a zero Accounts: it compiles the definition and checks the
// fingerprint, so the result can Add, Merge and Report. Decoding is
// strict and checks everything: an unknown or missing field, another
// format, a definition that does not compile or does not match the
// fingerprint, a negative or inconsistent count, accounts out of order or
// repeated, leads out of order, an unknown role, an engagement out of
// range, a first lead after the as-of are all errors. On error a is
// unchanged.
func (a *Accounts) UnmarshalJSON(data []byte) error {
	if a == nil {
		return errors.New("account: UnmarshalJSON on a nil *Accounts")
	}
	d, err := decodeAccounts(data)
	if err != nil {
		return fmt.Errorf("account: decode state: %w", err)
	}
	*a = *d
	return nil
}

func decodeAccounts(data []byte) (*Accounts, error) {
	var st state
	if err := jsonstrict.DecodeState(data, &st); err != nil {
		return nil, err
	}
	if st.Format != stateFormat {
		return nil, fmt.Errorf("format %q; want %q", st.Format, stateFormat)
	}
	if len(st.Definition) == 0 || string(st.Definition) == "null" {
		return nil, errors.New("definition: missing")
	}
	var def Definition
	dec := json.NewDecoder(bytes.NewReader(st.Definition))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&def); err != nil {
		return nil, leadkit.Prefix("definition", err)
	}
	s, err := Compile(def)
	if err != nil {
		return nil, leadkit.Prefix("definition", err)
	}
	if s.fp != st.Fingerprint {
		return nil, fmt.Errorf("fingerprint %q does not match the definition's %q", st.Fingerprint, s.fp)
	}
	asOf, err := time.Parse(time.RFC3339Nano, st.AsOf)
	if err != nil {
		return nil, fmt.Errorf("as_of: %w", err)
	}
	if st.Skipped < 0 || st.Unkeyed < 0 {
		return nil, fmt.Errorf("skipped %d or unkeyed %d is negative", st.Skipped, st.Unkeyed)
	}
	a := &Accounts{s: s, asOf: asOf.UTC(), skipped: st.Skipped, unkeyed: st.Unkeyed, accounts: make(map[string]*acct, len(st.Accounts))}
	var total int64
	for i, as := range st.Accounts {
		c, err := s.checkAccount(as, asOf)
		if err != nil {
			return nil, fmt.Errorf("accounts[%d]: %w", i, err)
		}
		if i > 0 && st.Accounts[i-1].Key >= as.Key {
			return nil, fmt.Errorf("accounts[%d]: key %q is not after %q", i, as.Key, st.Accounts[i-1].Key)
		}
		if total > math.MaxInt64-c.leads {
			return nil, errors.New("accounts: the lead count overflows")
		}
		total += c.leads
		a.accounts[as.Key] = c
	}
	return a, nil
}

// checkAccount validates one account's state.
func (s *Scorer) checkAccount(as acctState, asOf time.Time) (*acct, error) {
	roles := len(s.canon.BuyingGroup)
	switch {
	case as.Key == "":
		return nil, errors.New("key: empty")
	case as.FirstID == "":
		return nil, errors.New("first_id: empty")
	case as.First.After(asOf):
		return nil, fmt.Errorf("first %v is after the as-of", as.First)
	case as.Leads < 1:
		return nil, fmt.Errorf("leads %d; want at least 1", as.Leads)
	case as.Engaged < 0 || as.Engaged > as.Leads:
		return nil, fmt.Errorf("engaged %d; want 0 to leads %d", as.Engaged, as.Leads)
	case as.Company.Employees < 0 || as.Company.AnnualRevenue.IsNegative():
		return nil, errors.New("company: negative employees or revenue")
	case int64(len(as.Top)) != min(as.Leads, int64(s.keep)):
		return nil, fmt.Errorf("top: %d leads; want min(leads %d, %d)", len(as.Top), as.Leads, s.keep)
	case len(as.Roles) != roles:
		return nil, fmt.Errorf("roles: %d; the buying group has %d", len(as.Roles), roles)
	case as.Leads <= math.MaxInt64/maxUnits && (as.Sum > maxUnits*as.Leads || as.Sum < -maxUnits*as.Leads):
		return nil, fmt.Errorf("sum %d is beyond %d leads' engagement", as.Sum, as.Leads)
	}
	c := &acct{company: as.Company, first: as.First.UTC(), firstID: as.FirstID, leads: as.Leads,
		engaged: as.Engaged, sum: as.Sum, top: as.Top, roles: make([]roleCount, roles)}
	var topSum, topEngaged int64
	for j, l := range as.Top {
		switch {
		case l.ID == "":
			return nil, fmt.Errorf("top[%d]: empty id", j)
		case l.Units < -maxUnits || l.Units > maxUnits:
			return nil, fmt.Errorf("top[%d]: engagement %d out of range", j, l.Units)
		case j > 0 && as.Top[j-1].before(l) > 0:
			return nil, fmt.Errorf("top[%d]: not after top[%d] (most engaged first, then by id)", j, j-1)
		}
		for k, r := range l.Roles {
			if r < 0 || r >= roles || k > 0 && l.Roles[k-1] >= r {
				return nil, fmt.Errorf("top[%d].roles: %v not increasing roles below %d", j, l.Roles, roles)
			}
		}
		topSum = satAdd(topSum, l.Units)
		if l.Units > 0 {
			topEngaged++
		}
	}
	if int64(len(as.Top)) == as.Leads && (topSum != as.Sum || topEngaged != as.Engaged) {
		return nil, fmt.Errorf("sum %d and engaged %d disagree with the %d leads listed", as.Sum, as.Engaged, as.Leads)
	}
	if as.Engaged < topEngaged {
		return nil, fmt.Errorf("engaged %d is below the %d engaged leads listed", as.Engaged, topEngaged)
	}
	if len(as.Top) > 0 && as.Leads > int64(len(as.Top)) && topEngaged < int64(len(as.Top)) && as.Engaged > topEngaged {
		return nil, fmt.Errorf("engaged %d, but the most engaged leads listed include unengaged ones", as.Engaged)
	}
	for j, r := range as.Roles {
		if r[0] < 0 || r[1] < 0 || r[1] > r[0] || r[0] > as.Leads || r[1] > as.Engaged {
			return nil, fmt.Errorf("roles[%d]: %v; want 0 ≤ engaged ≤ leads ≤ %d", j, r, as.Leads)
		}
		c.roles[j] = roleCount{r[0], r[1]}
	}
	if strings.ContainsRune(as.Key, 0) {
		return nil, errors.New("key: contains NUL")
	}
	return c, nil
}

// satAdd adds without wrapping: the sum saturates at the int64 range.
func satAdd(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}
