package lead

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leadkit/leadkit"
	"github.com/shopspring/decimal"
)

// Format says how a CRM export writes its values: which placeholders
// stand for "no value", which decimal mark its numbers use, and the zone
// and layouts of its times. It is plain data with JSON tags (part of a
// [Mapping]); [Format.Reader] checks it and returns the [FieldReader]
// that reads values with it.
//
// The zero Format is valid: the default placeholders, a decimal point,
// UTC and the default time layouts.
type Format struct {
	// Missing lists the placeholders that mean "no value", compared
	// with a value after trimming white space and ignoring case. The
	// empty value is always missing. A nil list means
	// [DefaultMissing]; an empty, non-nil list means that only the
	// empty value is missing.
	Missing []string `json:"missing"`
	// DecimalMark is the character between the whole and the fractional
	// part of a number: "." (the default, when empty) as in "1,234.56",
	// or "," as in "1.234,56". The other mark, a space, a no-break space
	// and an apostrophe may group thousands, in groups of three digits.
	DecimalMark string `json:"decimal_mark,omitempty"`
	// Zone is the zone of times that carry no offset of their own; the
	// zero Zone is UTC.
	Zone leadkit.Zone `json:"zone,omitempty"`
	// TimeLayouts are the time layouts, in Go's reference-time form
	// ("2006-01-02 15:04"), tried in order; the first that parses a
	// value wins. Each must hold a date. Empty means
	// [DefaultTimeLayouts].
	TimeLayouts []string `json:"time_layouts,omitempty"`
}

// DefaultMissing returns the placeholders a nil [Format.Missing] stands
// for: "Select" (a web form's unfilled default), "N/A" and "-". Each
// call returns a fresh slice.
func DefaultMissing() []string { return []string{"Select", "N/A", "-"} }

// DefaultTimeLayouts returns the layouts an empty [Format.TimeLayouts]
// stands for: RFC 3339 ("2006-01-02T15:04:05Z07:00", with optional
// fractional seconds), "2006-01-02 15:04:05", "2006-01-02 15:04" and
// "2006-01-02". They are unambiguous; a layout such as "01/02/2006"
// must be stated, since 03/04 means March 4 in one country and April 3
// in another. Each call returns a fresh slice.
func DefaultTimeLayouts() []string {
	return []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}
}

// Validate reports every problem with the format at once, each a
// *[leadkit.Error] with the JSON path of its field.
func (f Format) Validate() error {
	_, err := f.Reader()
	return err
}

// FieldReader reads the text values of a CRM export as Go values: it
// tells placeholders from values and parses decimals and times the way a
// [Format] says. Every parse error is a *[leadkit.Error] whose Path
// names the cell, as [CellPath] does.
//
// The zero FieldReader, and a nil one, read with the zero [Format]. A
// FieldReader is immutable and safe for concurrent use.
type FieldReader struct {
	missing []string       // trimmed placeholders; nil: the defaults
	mark    byte           // 0 or '.': decimal point; ',': decimal comma
	loc     *time.Location // nil: UTC
	layouts []layout       // nil: the defaults
}

// layout is a time layout and whether the values it reads carry their
// own offset, so that the reader's zone does not apply.
type layout struct {
	s       string
	hasZone bool
}

// Reader checks the format and returns the FieldReader for it, or every
// problem with the format, each a *[leadkit.Error] with its path.
func (f Format) Reader() (*FieldReader, error) {
	r := &FieldReader{}
	var errs []error
	if f.Missing != nil {
		r.missing = make([]string, 0, len(f.Missing))
		for _, m := range f.Missing {
			if m = strings.TrimSpace(m); m != "" {
				r.missing = append(r.missing, m)
			}
		}
	}
	switch f.DecimalMark {
	case "", ".":
		r.mark = '.'
	case ",":
		r.mark = ','
	default:
		errs = append(errs, leadkit.Errorf("decimal_mark", "%q is not a decimal mark; use \".\" or \",\"", f.DecimalMark))
	}
	loc, err := f.Zone.Location()
	if err != nil {
		errs = append(errs, leadkit.Errorf("zone", "%v", err))
	}
	r.loc = loc
	for i, l := range f.TimeLayouts {
		info, err := checkLayout(l)
		if err != nil {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("time_layouts[%d]", i), "%v", err))
			continue
		}
		r.layouts = append(r.layouts, info)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// checkLayout reports whether a layout writes a whole date, and whether
// it writes an offset: a reference instant formatted with it must parse
// back to the same date (and, for an offset, the same instant).
func checkLayout(s string) (layout, error) {
	if strings.TrimSpace(s) == "" {
		return layout{}, errors.New("empty layout")
	}
	ref := time.Date(2031, 11, 27, 19, 48, 37, 0, time.FixedZone("IST", 5*3600+30*60))
	back, err := time.Parse(s, ref.Format(s))
	if err != nil || back.Year() != ref.Year() || back.Month() != ref.Month() || back.Day() != ref.Day() {
		return layout{}, fmt.Errorf("layout %q does not hold a whole date (year, month and day); write it with Go's reference time 2006-01-02 15:04:05", s)
	}
	return layout{s: s, hasZone: back.Equal(ref)}, nil
}

// defaultLayouts are DefaultTimeLayouts with their offsets marked.
var defaultLayouts = [...]layout{
	{time.RFC3339, true}, {"2006-01-02 15:04:05", false}, {"2006-01-02 15:04", false}, {"2006-01-02", false},
}

// CellPath returns the path of a cell, as the errors of [FieldReader]
// and [Mapper] name it: `row 12, column "Created"`, or `column
// "Created"` when row is 0 or less. The row is the host's number for the
// row, typically its line in the file.
func CellPath(row int, column string) string {
	if row <= 0 {
		return "column " + strconv.Quote(column)
	}
	return "row " + strconv.Itoa(row) + ", column " + strconv.Quote(column)
}

func cellError(row int, column, format string, args ...any) *leadkit.Error {
	return leadkit.Errorf(CellPath(row, column), format, args...)
}

// Missing reports whether the value is a placeholder for "no value":
// empty or blank, or one of the format's placeholders, ignoring case and
// surrounding white space.
func (r *FieldReader) Missing(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	if r == nil || r.missing == nil {
		return strings.EqualFold(s, "Select") || strings.EqualFold(s, "N/A") || s == "-"
	}
	for _, m := range r.missing {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}

// String returns the value with surrounding white space trimmed, and
// false when it is missing.
func (r *FieldReader) String(s string) (string, bool) {
	if r.Missing(s) {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// maxNumberLen bounds the text of a number, so a hostile cell cannot make
// the decimal parser work on a million digits.
const maxNumberLen = 100

// Decimal parses a number written with the reader's decimal mark, with
// an optional sign and optional thousands grouping ("1,234.56" or
// "1.234,56"; "-0.5"; "1 234"). It returns false without an error for a
// missing value. Exponents, currency symbols and percent signs are
// errors: strip them before, or map the column as text. So is a value
// longer than 100 characters.
func (r *FieldReader) Decimal(row int, column, s string) (decimal.Decimal, bool, error) {
	if r.Missing(s) {
		return decimal.Decimal{}, false, nil
	}
	mark := byte('.')
	if r != nil && r.mark == ',' {
		mark = ','
	}
	if len(s) > maxNumberLen {
		return decimal.Decimal{}, false, cellError(row, column, "%q is longer than %d characters, too long for a number", short(s), maxNumberLen)
	}
	norm, ok := normaliseNumber(strings.TrimSpace(s), mark)
	if !ok {
		return decimal.Decimal{}, false, cellError(row, column, "%q is not a number with decimal mark %q", short(s), string(mark))
	}
	d, err := decimal.NewFromString(norm)
	if err != nil {
		return decimal.Decimal{}, false, cellError(row, column, "%q is not a number with decimal mark %q", short(s), string(mark))
	}
	return d, true, nil
}

// Int parses a whole number the way [FieldReader.Decimal] parses
// numbers ("1,200" with a decimal point is 1200). A fraction other than
// zeros, or a value outside the int64 range, is an error.
func (r *FieldReader) Int(row int, column, s string) (int, bool, error) {
	if r.Missing(s) {
		return 0, false, nil
	}
	if t := strings.TrimSpace(s); len(t) <= 18 && allDigits(t) {
		n, err := strconv.Atoi(t) // the common case: plain digits that fit
		if err == nil {
			return n, true, nil
		}
	}
	d, ok, err := r.Decimal(row, column, s)
	if !ok || err != nil {
		return 0, false, err
	}
	if !d.IsInteger() {
		return 0, false, cellError(row, column, "%q is not a whole number", short(s))
	}
	if d.Cmp(decimal.NewFromInt(int64(^uint(0)>>1))) > 0 || d.Cmp(decimal.NewFromInt(-int64(^uint(0)>>1)-1)) < 0 {
		return 0, false, cellError(row, column, "%q is out of range", short(s))
	}
	return int(d.IntPart()), true, nil
}

// Bool parses "true", "false", "yes", "no", "y", "n", "1" and "0",
// ignoring case.
func (r *FieldReader) Bool(row int, column, s string) (bool, bool, error) {
	if r.Missing(s) {
		return false, false, nil
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1":
		return true, true, nil
	case "false", "no", "n", "0":
		return false, true, nil
	}
	return false, false, cellError(row, column, "%q is not a yes/no value (true, false, yes, no, y, n, 1, 0)", short(s))
}

// Time parses a time with the first of the reader's layouts that fits.
// A value without its own offset is read in the reader's zone; a local
// time that the zone skips (when clocks go forward) is an error, and one
// that occurs twice (when they go back) is read as the earlier instant.
func (r *FieldReader) Time(row int, column, s string) (time.Time, bool, error) {
	if r.Missing(s) {
		return time.Time{}, false, nil
	}
	s = strings.TrimSpace(s)
	loc, layouts := time.UTC, defaultLayouts[:]
	if r != nil {
		if r.loc != nil {
			loc = r.loc
		}
		if r.layouts != nil {
			layouts = r.layouts
		}
	}
	for _, l := range layouts {
		if l.hasZone || loc == time.UTC {
			if t, err := time.ParseInLocation(l.s, s, loc); err == nil {
				return t, true, nil
			}
			continue
		}
		wall, err := time.Parse(l.s, s) // the written wall clock, as UTC
		if err != nil {
			continue
		}
		t, ok := resolveWall(wall, loc)
		if !ok {
			return time.Time{}, false, cellError(row, column, "%q does not exist in %s: the clocks skip it", short(s), loc)
		}
		return t, true, nil
	}
	names := make([]string, len(layouts))
	for i, l := range layouts {
		names[i] = strconv.Quote(l.s)
	}
	return time.Time{}, false, cellError(row, column, "%q is not a time in the layouts %s", short(s), strings.Join(names, ", "))
}

// resolveWall returns the earliest instant whose wall clock in loc is
// the wall clock of w (read as UTC), and false when there is none. The
// candidates use the zone's offsets a day either side.
func resolveWall(w time.Time, loc *time.Location) (time.Time, bool) {
	var best time.Time
	found := false
	for _, probe := range [...]time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := w.Add(probe).In(loc).Zone()
		c := w.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(c, w) && (!found || c.Before(best)) {
			best, found = c, true
		}
	}
	return best, found
}

func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() &&
		a.Second() == b.Second() && a.Nanosecond() == b.Nanosecond()
}

// normaliseNumber rewrites a number written with decimal mark mark
// into the form decimal.NewFromString reads, checking its grouping.
func normaliseNumber(s string, mark byte) (string, bool) {
	var b strings.Builder
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			b.WriteByte('-')
		}
		s = s[1:]
	}
	whole, frac, hasFrac := s, "", false
	if i := strings.IndexByte(s, mark); i >= 0 {
		whole, frac, hasFrac = s[:i], s[i+1:], true
		if frac == "" || !allDigits(frac) {
			return "", false
		}
	}
	if whole == "" {
		return "", false
	}
	// Grouping: one separator throughout, groups of three after the first.
	var sep rune
	group := 0 // digits in the current group
	first := true
	for _, c := range whole {
		switch {
		case c >= '0' && c <= '9':
			group++
			b.WriteRune(c)
		case isGroupSep(c, mark):
			if sep != 0 && c != sep {
				return "", false
			}
			sep = c
			if group == 0 || group > 3 || (!first && group != 3) {
				return "", false
			}
			first = false
			group = 0
		default:
			return "", false
		}
	}
	if group == 0 || (sep != 0 && group != 3) {
		return "", false
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String(), true
}

func isGroupSep(c rune, mark byte) bool {
	switch c {
	case ' ', '\u00a0', '\u202f', '\'', '\u2019':
		return true
	case '.':
		return mark == ','
	case ',':
		return mark == '.'
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// short cuts a value quoted in an error to 60 runes.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:57]) + "..."
}
