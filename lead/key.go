package lead

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Key is a segment key as data: the path of a lead field whose value
// names the lead's segment, such as "source.channel", "owner",
// "company.country" or "fields.region". Analyses take keys instead of Go
// functions for their dimensions, segments and filters, so a definition
// and the state built from it carry their segmentation with them.
//
// The paths are the lead's JSON names: "owner"; "person.title",
// "person.role", "person.department", "person.seniority";
// "company.name", "company.domain", "company.industry",
// "company.country", "company.region", "company.city"; "source.channel",
// "source.campaign", "source.medium", "source.landing_page"; and
// "fields.NAME" for a custom field. The current stage is not a key: it is
// the stage now, not at an analysis's as-of time.
//
// The zero Key is not valid; [Key.Check] says why.
type Key string

var keyGetters = map[Key]func(*Lead) string{
	"owner":               func(l *Lead) string { return l.Owner },
	"person.title":        func(l *Lead) string { return l.Person.Title },
	"person.role":         func(l *Lead) string { return l.Person.Role },
	"person.department":   func(l *Lead) string { return l.Person.Department },
	"person.seniority":    func(l *Lead) string { return string(l.Person.Seniority) },
	"company.name":        func(l *Lead) string { return l.Company.Name },
	"company.domain":      func(l *Lead) string { return l.Company.Domain },
	"company.industry":    func(l *Lead) string { return l.Company.Industry },
	"company.country":     func(l *Lead) string { return l.Company.Country },
	"company.region":      func(l *Lead) string { return l.Company.Region },
	"company.city":        func(l *Lead) string { return l.Company.City },
	"source.channel":      func(l *Lead) string { return string(l.Source.Channel) },
	"source.campaign":     func(l *Lead) string { return l.Source.Campaign },
	"source.medium":       func(l *Lead) string { return l.Source.Medium },
	"source.landing_page": func(l *Lead) string { return l.Source.LandingPage },
}

// Check returns nil for a valid key and otherwise an error that says
// which paths exist.
func (k Key) Check() error {
	if _, ok := keyGetters[k]; ok {
		return nil
	}
	if name, ok := strings.CutPrefix(string(k), "fields."); ok && name != "" {
		return nil
	}
	return fmt.Errorf("unknown key %q; use owner, person.(title|role|department|seniority), "+
		"company.(name|domain|industry|country|region|city), source.(channel|campaign|medium|landing_page) or fields.NAME", string(k))
}

// Func returns a function that reads the key's value from a lead, as
// [Key.Of] does, with the lookup of the key done once: analyses call it
// once per definition and the result once per lead. It returns nil for
// an invalid key. The function returns "" for a nil lead.
func (k Key) Func() func(*Lead) string {
	if get, ok := keyGetters[k]; ok {
		return func(l *Lead) string {
			if l == nil {
				return ""
			}
			return get(l)
		}
	}
	name, ok := strings.CutPrefix(string(k), "fields.")
	if !ok || name == "" {
		return nil
	}
	return func(l *Lead) string {
		if l == nil {
			return ""
		}
		return fieldString(l.Fields[name])
	}
}

// Of returns the lead's value for the key, "" for a nil lead, an invalid
// key or an empty or missing value. A custom field's value is its string,
// a bool as "true" or "false", a number in Go's shortest form, a decimal
// in its exact form and a time in RFC 3339 (UTC); other kinds of value
// (lists, maps) give "".
func (k Key) Of(l *Lead) string {
	if l == nil {
		return ""
	}
	if get, ok := keyGetters[k]; ok {
		return get(l)
	}
	name, ok := strings.CutPrefix(string(k), "fields.")
	if !ok {
		return ""
	}
	return fieldString(l.Fields[name])
}

// fieldString is the string form of a custom field's value as keys see
// it (see [Key.Of]).
func fieldString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case decimal.Decimal:
		return v.String()
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	}
	return ""
}
