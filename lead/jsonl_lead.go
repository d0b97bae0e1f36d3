package lead

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// leadDecoder decodes one JSON line into a Lead without reflection. It
// understands the canonical shape (the exact snake_case keys, each at
// most once, no null) and gives up, returning false, on anything else, so
// that encoding/json decodes that line and produces its result and its
// error. It must never accept a line that encoding/json would decode
// differently; FuzzDecodeLines checks that.
//
// The strings of a decoded lead are substrings of one string copy of the
// line, so a line costs one allocation for all of its plain strings.
type leadDecoder struct {
	b    []byte // the line
	s    string // the line, as one string
	i    int
	hist []Transition // scratch, reused across lines
	acts []Activity
}

// maxSkipDepth bounds the nesting the decoder walks through in a custom
// field; deeper values are left to encoding/json.
const maxSkipDepth = 500

func (d *leadDecoder) decode(line []byte, l *Lead) bool {
	d.b, d.s, d.i = line, string(line), 0
	ok := d.lead(l)
	if ok {
		d.ws()
		ok = d.i == len(d.s)
	}
	d.b = nil
	return ok
}

func (d *leadDecoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *leadDecoder) eat(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object walks the object at d.i, calling field for each key with d.i at
// the value. Keys must be plain (no escapes); field decodes the value.
func (d *leadDecoder) object(field func(key string) bool) bool {
	d.ws()
	if !d.eat('{') {
		return false
	}
	d.ws()
	if d.eat('}') {
		return true
	}
	for {
		d.ws()
		if !d.eat('"') {
			return false
		}
		start := d.i
		for d.i < len(d.s) && d.s[d.i] != '"' && d.s[d.i] != '\\' && d.s[d.i] >= 0x20 && d.s[d.i] < 0x80 {
			d.i++
		}
		if !d.eat('"') {
			return false
		}
		key := d.s[start : d.i-1]
		d.ws()
		if !d.eat(':') {
			return false
		}
		d.ws()
		if !field(key) {
			return false
		}
		d.ws()
		if d.eat(',') {
			continue
		}
		return d.eat('}')
	}
}

// array walks the array at d.i, calling elem with d.i at each element,
// and returns the number of elements.
func (d *leadDecoder) array(elem func() bool) (int, bool) {
	d.ws()
	if !d.eat('[') {
		return 0, false
	}
	d.ws()
	if d.eat(']') {
		return 0, true
	}
	n := 0
	for {
		d.ws()
		if !elem() {
			return n, false
		}
		n++
		d.ws()
		if d.eat(',') {
			continue
		}
		return n, d.eat(']')
	}
}

// str decodes a JSON string. Escapes and invalid UTF-8 go through
// encoding/json, which replaces bad bytes and lone surrogates as it
// always does.
func (d *leadDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			v := d.s[start:d.i]
			d.i++
			if !ascii && !utf8.ValidString(v) {
				return d.slowString(start - 1)
			}
			return v, true
		case c == '\\':
			return d.slowString(start - 1)
		case c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// slowString decodes the string whose opening quote is at q with
// encoding/json.
func (d *leadDecoder) slowString(q int) (string, bool) {
	end, ok := d.stringEnd(q)
	if !ok {
		return "", false
	}
	var v string
	if json.Unmarshal(d.b[q:end], &v) != nil {
		return "", false
	}
	d.i = end
	return v, true
}

// stringEnd returns the offset just past the closing quote of the string
// whose opening quote is at q.
func (d *leadDecoder) stringEnd(q int) (int, bool) {
	for i := q + 1; i < len(d.s); i++ {
		switch d.s[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
		}
	}
	return 0, false
}

// number returns the end of the JSON number at d.i, checking its
// grammar, and whether it is a plain integer (no fraction or exponent).
func (d *leadDecoder) number() (end int, integer bool, ok bool) {
	i := d.i
	if i < len(d.s) && d.s[i] == '-' {
		i++
	}
	switch {
	case i < len(d.s) && d.s[i] == '0':
		i++
	case i < len(d.s) && d.s[i] >= '1' && d.s[i] <= '9':
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
		}
	default:
		return 0, false, false
	}
	integer = true
	if i < len(d.s) && d.s[i] == '.' {
		integer = false
		i++
		j := i
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
		}
		if i == j {
			return 0, false, false
		}
	}
	if i < len(d.s) && (d.s[i] == 'e' || d.s[i] == 'E') {
		integer = false
		i++
		if i < len(d.s) && (d.s[i] == '+' || d.s[i] == '-') {
			i++
		}
		j := i
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
		}
		if i == j {
			return 0, false, false
		}
	}
	return i, integer, true
}

// integer decodes a JSON number into an int as encoding/json does for
// the values it surely accepts: at most 18 digits, no fraction.
func (d *leadDecoder) integer() (int, bool) {
	end, integer, ok := d.number()
	if !ok || !integer {
		return 0, false
	}
	s := d.s[d.i:end]
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) > 18 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	if neg {
		v = -v
	}
	d.i = end
	return v, true
}

// rawString returns the bytes of the string at d.i, quotes included,
// without escapes (a string with escapes is left to encoding/json).
func (d *leadDecoder) rawString() ([]byte, bool) {
	if d.i >= len(d.s) || d.s[d.i] != '"' {
		return nil, false
	}
	for i := d.i + 1; i < len(d.s); i++ {
		switch d.s[i] {
		case '"':
			raw := d.b[d.i : i+1]
			d.i = i + 1
			return raw, true
		case '\\':
			return nil, false
		}
	}
	return nil, false
}

func (d *leadDecoder) timeValue(t interface{ UnmarshalJSON([]byte) error }) bool {
	raw, ok := d.rawString()
	return ok && t.UnmarshalJSON(raw) == nil
}

// seen marks bit in mask and reports whether it was clear: a key given
// twice makes the decoder give up (encoding/json merges some of them).
func seen(mask *uint32, bit uint) bool {
	if *mask&(1<<bit) != 0 {
		return false
	}
	*mask |= 1 << bit
	return true
}

func (d *leadDecoder) lead(l *Lead) bool {
	var m uint32
	return d.object(func(key string) bool {
		var ok bool
		switch key {
		case "id":
			l.ID, ok = d.str()
			return ok && seen(&m, 0)
		case "created_at":
			return d.timeValue(&l.CreatedAt) && seen(&m, 1)
		case "owner":
			l.Owner, ok = d.str()
			return ok && seen(&m, 2)
		case "stage":
			var s string
			s, ok = d.str()
			l.Stage = Stage(s)
			return ok && seen(&m, 3)
		case "person":
			return d.person(&l.Person) && seen(&m, 4)
		case "company":
			return d.company(&l.Company) && seen(&m, 5)
		case "source":
			return d.source(&l.Source) && seen(&m, 6)
		case "history":
			return d.history(l) && seen(&m, 7)
		case "activities":
			return d.activities(l) && seen(&m, 8)
		case "fields":
			l.Fields, ok = d.fields()
			return ok && seen(&m, 9)
		}
		return false
	})
}

func (d *leadDecoder) person(p *Person) bool {
	var m uint32
	return d.object(func(key string) bool {
		var ok bool
		switch key {
		case "name":
			p.Name, ok = d.str()
			return ok && seen(&m, 0)
		case "email":
			p.Email, ok = d.str()
			return ok && seen(&m, 1)
		case "title":
			p.Title, ok = d.str()
			return ok && seen(&m, 2)
		case "role":
			p.Role, ok = d.str()
			return ok && seen(&m, 3)
		case "department":
			p.Department, ok = d.str()
			return ok && seen(&m, 4)
		case "seniority":
			var s string
			s, ok = d.str()
			p.Seniority = Seniority(s)
			return ok && seen(&m, 5)
		}
		return false
	})
}

func (d *leadDecoder) company(c *Company) bool {
	var m uint32
	return d.object(func(key string) bool {
		var ok bool
		switch key {
		case "name":
			c.Name, ok = d.str()
			return ok && seen(&m, 0)
		case "domain":
			c.Domain, ok = d.str()
			return ok && seen(&m, 1)
		case "industry":
			c.Industry, ok = d.str()
			return ok && seen(&m, 2)
		case "employees":
			c.Employees, ok = d.integer()
			return ok && seen(&m, 3)
		case "annual_revenue":
			var raw []byte
			if d.i < len(d.s) && d.s[d.i] == '"' {
				raw, ok = d.rawString()
			} else if end, _, okn := d.number(); okn {
				raw, ok = d.b[d.i:end], true
				d.i = end
			}
			return ok && c.AnnualRevenue.UnmarshalJSON(raw) == nil && seen(&m, 4)
		case "country":
			c.Country, ok = d.str()
			return ok && seen(&m, 5)
		case "region":
			c.Region, ok = d.str()
			return ok && seen(&m, 6)
		case "city":
			c.City, ok = d.str()
			return ok && seen(&m, 7)
		}
		return false
	})
}

func (d *leadDecoder) source(s *Source) bool {
	var m uint32
	return d.object(func(key string) bool {
		var ok bool
		switch key {
		case "channel":
			var v string
			v, ok = d.str()
			s.Channel = Channel(v)
			return ok && seen(&m, 0)
		case "campaign":
			s.Campaign, ok = d.str()
			return ok && seen(&m, 1)
		case "medium":
			s.Medium, ok = d.str()
			return ok && seen(&m, 2)
		case "landing_page":
			s.LandingPage, ok = d.str()
			return ok && seen(&m, 3)
		}
		return false
	})
}

func (d *leadDecoder) history(l *Lead) bool {
	d.hist = d.hist[:0]
	n, ok := d.array(func() bool {
		d.hist = append(d.hist, Transition{})
		t := &d.hist[len(d.hist)-1]
		var m uint32
		return d.object(func(key string) bool {
			var ok bool
			switch key {
			case "from":
				var s string
				s, ok = d.str()
				t.From = Stage(s)
				return ok && seen(&m, 0)
			case "to":
				var s string
				s, ok = d.str()
				t.To = Stage(s)
				return ok && seen(&m, 1)
			case "at":
				return d.timeValue(&t.At) && seen(&m, 2)
			case "by":
				t.By, ok = d.str()
				return ok && seen(&m, 3)
			case "reason":
				t.Reason, ok = d.str()
				return ok && seen(&m, 4)
			}
			return false
		})
	})
	if !ok {
		return false
	}
	l.History = slices.Clone(d.hist[:n])
	if l.History == nil {
		l.History = []Transition{} // as encoding/json decodes []
	}
	clear(d.hist)
	return true
}

func (d *leadDecoder) activities(l *Lead) bool {
	d.acts = d.acts[:0]
	n, ok := d.array(func() bool {
		d.acts = append(d.acts, Activity{})
		a := &d.acts[len(d.acts)-1]
		var m uint32
		return d.object(func(key string) bool {
			var ok bool
			switch key {
			case "type":
				var s string
				s, ok = d.str()
				a.Type = ActivityType(s)
				return ok && seen(&m, 0)
			case "at":
				return d.timeValue(&a.At) && seen(&m, 1)
			case "actor":
				a.Actor, ok = d.str()
				return ok && seen(&m, 2)
			case "campaign":
				a.Campaign, ok = d.str()
				return ok && seen(&m, 3)
			case "url":
				a.URL, ok = d.str()
				return ok && seen(&m, 4)
			case "fields":
				a.Fields, ok = d.fields()
				return ok && seen(&m, 5)
			}
			return false
		})
	})
	if !ok {
		return false
	}
	l.Activities = slices.Clone(d.acts[:n])
	if l.Activities == nil {
		l.Activities = []Activity{}
	}
	clear(d.acts)
	return true
}

// fields decodes a map[string]any as encoding/json does: strings,
// float64 numbers, bools and nulls directly, nested lists and objects
// through encoding/json.
func (d *leadDecoder) fields() (map[string]any, bool) {
	m := map[string]any{}
	ok := d.mapObject(func(key string) bool {
		v, ok := d.anyValue()
		m[key] = v
		return ok
	})
	return m, ok
}

// mapObject is object for map keys: any key, escaped ones through
// encoding/json.
func (d *leadDecoder) mapObject(field func(key string) bool) bool {
	d.ws()
	if !d.eat('{') {
		return false
	}
	d.ws()
	if d.eat('}') {
		return true
	}
	for {
		d.ws()
		key, ok := d.str()
		if !ok {
			return false
		}
		d.ws()
		if !d.eat(':') {
			return false
		}
		d.ws()
		if !field(key) {
			return false
		}
		d.ws()
		if d.eat(',') {
			continue
		}
		return d.eat('}')
	}
}

func (d *leadDecoder) literal(lit string) bool {
	if len(d.s)-d.i >= len(lit) && d.s[d.i:d.i+len(lit)] == lit {
		d.i += len(lit)
		return true
	}
	return false
}

func (d *leadDecoder) anyValue() (any, bool) {
	if d.i >= len(d.s) {
		return nil, false
	}
	switch c := d.s[d.i]; {
	case c == '"':
		return d.str()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		end, _, ok := d.number()
		if !ok {
			return nil, false
		}
		f, err := strconv.ParseFloat(d.s[d.i:end], 64)
		if err != nil {
			return nil, false
		}
		d.i = end
		return f, true
	case c == '[' || c == '{':
		start := d.i
		if !d.skip() {
			return nil, false
		}
		var v any
		if json.Unmarshal(d.b[start:d.i], &v) != nil {
			return nil, false
		}
		return v, true
	}
	return nil, false
}

// skip moves d.i past the array or object at d.i, tracking strings and
// nesting; encoding/json checks the grammar of what it skipped.
func (d *leadDecoder) skip() bool {
	depth := 0
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case '[', '{':
			depth++
			if depth > maxSkipDepth {
				return false
			}
		case ']', '}':
			depth--
			if depth == 0 {
				d.i++
				return true
			}
		case '"':
			end, ok := d.stringEnd(d.i)
			if !ok {
				return false
			}
			d.i = end
			continue
		}
		d.i++
	}
	return false
}
