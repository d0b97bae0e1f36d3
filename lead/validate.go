package lead

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/shopspring/decimal"
)

// Validate reports every problem with the lead at once, joined with
// [errors.Join]. Each problem is a *[leadkit.Error] whose path names the field,
// for example "activities[3].at: zero time". It returns nil for a valid
// lead.
//
// The rules: id is not empty; created_at is not the zero time;
// person.email, when set, has one "@" with text on both sides;
// company.employees and company.annual_revenue are not negative; every
// transition has a non-empty to and a non-zero at; every activity has a
// non-empty type and a non-zero at; custom field keys are not empty and
// their values are nil, bool, string, a Go integer or float type,
// decimal.Decimal, time.Time, or []any and map[string]any holding those.
//
// Validate does not judge the history's plausibility (a transition before
// the lead was created, a backward move): analyses count those as data
// quality findings instead of refusing the lead.
//
// A nil lead is invalid: Validate returns an error for it.
func (l *Lead) Validate() error {
	if l == nil {
		return &leadkit.Error{Msg: "nil lead"}
	}
	var errs []error
	add := func(path, msg string) { errs = append(errs, &leadkit.Error{Path: path, Msg: msg}) }
	if l.ID == "" {
		add("id", "empty")
	}
	if l.CreatedAt.IsZero() {
		add("created_at", "zero time")
	}
	if e := l.Person.Email; e != "" {
		at := strings.IndexByte(e, '@')
		if at <= 0 || at == len(e)-1 || strings.Count(e, "@") != 1 {
			add("person.email", fmt.Sprintf("%q is not an address of the form name@domain", e))
		}
	}
	if l.Company.Employees < 0 {
		add("company.employees", "negative")
	}
	if l.Company.AnnualRevenue.IsNegative() {
		add("company.annual_revenue", "negative")
	}
	for i, tr := range l.History {
		if tr.To == "" {
			add(fmt.Sprintf("history[%d].to", i), "empty stage")
		}
		if tr.At.IsZero() {
			add(fmt.Sprintf("history[%d].at", i), "zero time")
		}
	}
	for i, a := range l.Assignments {
		if a.At.IsZero() {
			add(fmt.Sprintf("assignments[%d].at", i), "zero time")
		}
	}
	for i, a := range l.Activities {
		if a.Type == "" {
			add(fmt.Sprintf("activities[%d].type", i), "empty")
		}
		if a.At.IsZero() {
			add(fmt.Sprintf("activities[%d].at", i), "zero time")
		}
		if !fieldsValid(a.Fields) { // the path is built only when there is something to report
			validateFields(fmt.Sprintf("activities[%d].fields", i), a.Fields, add)
		}
	}
	if !fieldsValid(l.Fields) {
		validateFields("fields", l.Fields, add)
	}
	return errors.Join(errs...)
}

// fieldsValid reports whether validateFields would find nothing in m. It
// builds no paths and sorts no keys: the common case, a valid lead,
// costs one walk.
func fieldsValid(m map[string]any) bool {
	for k, v := range m {
		if k == "" || !valueValid(v, 0) {
			return false
		}
	}
	return true
}

// valueValid reports whether validateValue would find nothing in v.
func valueValid(v any, depth int) bool {
	if depth > maxFieldDepth {
		return false
	}
	switch v := v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		decimal.Decimal, time.Time:
		return true
	case float64:
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	case float32:
		f := float64(v)
		return !math.IsNaN(f) && !math.IsInf(f, 0)
	case []any:
		for _, e := range v {
			if !valueValid(e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range v {
			if !valueValid(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// validateFields reports every problem of the custom fields m, whose
// path is path, in the order of their sorted keys.
func validateFields(path string, m map[string]any, add func(path, msg string)) {
	// Walk keys in sorted order so the error list is deterministic.
	for _, k := range sortedKeys(m) {
		p := path + "." + k
		if k == "" {
			p = path + `[""]`
			add(p, "empty key")
		}
		validateValue(p, m[k], add, 0)
	}
}

// maxFieldDepth bounds the nesting of custom field values, so a hostile
// or cyclic structure cannot make Validate recurse without end.
const maxFieldDepth = 32

func validateValue(path string, v any, add func(path, msg string), depth int) {
	if depth > maxFieldDepth {
		add(path, fmt.Sprintf("nested deeper than %d levels", maxFieldDepth))
		return
	}
	switch v := v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		decimal.Decimal, time.Time:
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			add(path, fmt.Sprintf("%v is not a finite number", v))
		}
	case float32:
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			add(path, fmt.Sprintf("%v is not a finite number", v))
		}
	case []any:
		for i, e := range v {
			validateValue(fmt.Sprintf("%s[%d]", path, i), e, add, depth+1)
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			validateValue(path+"."+k, v[k], add, depth+1)
		}
	default:
		add(path, fmt.Sprintf("unsupported type %T", v))
	}
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}

// CheckUnique returns an error naming the ids that more than one lead of
// leads carries (the first ten, in order of their second appearance) and
// counting the extra copies, or nil when every id is unique. Batch helpers call
// it so that a duplicated record is refused, not counted twice. A nil or
// empty slice has no duplicates.
func CheckUnique(leads []Lead) error {
	return CheckUniqueIDs(len(leads), func(i int) string { return leads[i].ID })
}

// CheckUniqueIDs is [CheckUnique] for any records: id returns the id of
// record i of n. kpi's deals and other record kinds use it.
func CheckUniqueIDs(n int, id func(i int) string) error {
	seen := make(map[string]int, n) // id -> copies seen
	var ids []string                // the duplicated ids, in order of their second copy
	extra := 0
	for i := range n {
		k := id(i)
		seen[k]++
		switch seen[k] {
		case 1:
			continue
		case 2:
			ids = append(ids, strconv.Quote(k))
		}
		extra++
	}
	if extra == 0 {
		return nil
	}
	named := ids[:min(len(ids), 10)]
	more := ""
	if len(ids) > len(named) {
		more = fmt.Sprintf(" and %d more", len(ids)-len(named))
	}
	noun := "records"
	if extra == 1 {
		noun = "record"
	}
	return &leadkit.Error{Msg: fmt.Sprintf("%d duplicate %s, ids %s%s; each record must appear once",
		extra, noun, strings.Join(named, ", "), more)}
}
