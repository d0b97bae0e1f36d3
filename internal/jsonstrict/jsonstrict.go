// Package jsonstrict decodes leadkit's definitions (scoring models, KPI
// configs, funnels, SLA agreements, CRM mappings) from JSON strictly and
// says where every problem is: one loader for every ParseX function.
//
// It walks the document token by token against the Go type, so that an
// unknown field (with a "did you mean" hint), a field given twice, a
// field in another letter case or a value of the wrong type is reported
// with its JSON path, line and column, all at once, before encoding/json
// decodes the value.
package jsonstrict

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leadkit/leadkit"
)

// Decode decodes data, which must hold one JSON object, into v, a
// non-nil pointer to a struct. what names the object in messages
// ("model", "agreement"). Every problem is a *leadkit.Error with the document as its
// Source; several are joined with errors.Join. On error v may be
// partly written.
func Decode(data []byte, v any, what string) error {
	w := &walker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	article := "a"
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		article = "an"
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &leadkit.Error{Msg: fmt.Sprintf("empty input: %s %s is a JSON object", article, what)}
	}
	if first := bytes.TrimLeft(data, " \t\r\n"); first[0] != '{' {
		return w.errorAt("", len(data)-len(first), "%s %s is a JSON object, not %s", article, what, describe(first))
	}
	if err := w.value(reflect.TypeOf(v).Elem(), ""); err != nil {
		return err // a syntax error: nothing after it can be trusted
	}
	off := w.next()
	if _, err := w.dec.Token(); err != io.EOF {
		if err == nil {
			return w.errorAt("", off, "data after the %s's closing brace", what)
		}
		return w.syntax(err)
	}
	if len(w.errs) > 0 {
		return errors.Join(w.errs...)
	}
	// The walker has checked every field and type; this is the decoding.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return w.syntax(err)
	}
	return nil
}

// walker checks a JSON document against a Go type token by token, so
// that every problem gets its path and position.
type walker struct {
	data []byte
	src  string // data as a string, the Source of every error; made once
	dec  *json.Decoder
	errs []error
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value reads one JSON value of Go type t at path. It returns an error
// only for malformed JSON; other problems are collected in w.errs.
func (w *walker) value(t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer && !decodesItself(t) {
		t = t.Elem() // null or the target's value
	}
	start := w.next()
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(err)
	}
	if tok == nil { // null leaves the field as it is, as encoding/json does
		return nil
	}
	if decodesItself(t) || decodesItself(reflect.PointerTo(t)) {
		// The type decodes itself (a duration, a zone, a decimal): let it
		// try this value now, so its error gets the path and position.
		if err := w.skip(tok); err != nil {
			return err
		}
		raw := bytes.TrimSpace(w.data[start:w.dec.InputOffset()])
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			e := w.errorAt(path, start, "%s", strings.TrimPrefix(err.Error(), "json: "))
			e.Err = err
			w.errs = append(w.errs, e)
		}
		return nil
	}
	mismatch := func(want string) error {
		w.errs = append(w.errs, w.errorAt(path, start, "want %s, got %s", want, describeToken(tok)))
		return w.skip(tok)
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return mismatch("an object")
		}
		return w.object(t, path)
	case reflect.Slice, reflect.Array:
		if tok != json.Delim('[') {
			return mismatch("an array")
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // ]
		return w.syntaxOrNil(err)
	case reflect.Map:
		if tok != json.Delim('{') {
			return mismatch("an object")
		}
		for w.dec.More() {
			k, err := w.dec.Token()
			if err != nil {
				return w.syntax(err)
			}
			if err := w.value(t.Elem(), join(path, k.(string))); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // }
		return w.syntaxOrNil(err)
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return mismatch("a string")
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return mismatch("true or false")
		}
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch("a number")
		}
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			w.errs = append(w.errs, w.errorAt(path, start, "%s is out of range", n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			w.errs = append(w.errs, w.errorAt(path, start, "%s is not an integer in range", n))
		}
	default:
		return w.skip(tok)
	}
	return nil
}

func decodesItself(t reflect.Type) bool {
	return t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler)
}

// object reads the members of an object of struct type t, after its '{'.
func (w *walker) object(t reflect.Type, path string) error {
	fields := jsonFields(t)
	seen := map[string]bool{}
	for w.dec.More() {
		start := w.next()
		k, err := w.dec.Token()
		if err != nil {
			return w.syntax(err)
		}
		key := k.(string)
		p := join(path, key)
		f, known := fields[key]
		switch {
		case !known:
			msg := "unknown field"
			if s := suggest(key, fields); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			w.errs = append(w.errs, w.errorAt(p, start, "%s", msg))
			if err := w.skipValue(); err != nil {
				return err
			}
			continue
		case seen[key]:
			w.errs = append(w.errs, w.errorAt(p, start, "field given twice"))
		}
		seen[key] = true
		if err := w.value(f, p); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // }
	return w.syntaxOrNil(err)
}

// skipValue reads and discards one value.
func (w *walker) skipValue() error {
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(err)
	}
	return w.skip(tok)
}

// skip discards the rest of a value whose first token is tok.
func (w *walker) skip(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// next returns the offset of the next token: past white space, commas
// and colons, which the decoder consumes with the token.
func (w *walker) next() int {
	off := int(w.dec.InputOffset())
	for off < len(w.data) {
		switch w.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (w *walker) syntaxOrNil(err error) error {
	if err != nil {
		return w.syntax(err)
	}
	return nil
}

// syntax turns a decoding error into a positioned *leadkit.Error.
func (w *walker) syntax(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return w.errorAt("", int(se.Offset), "%s", strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		return w.errorAt(te.Field, int(te.Offset), "%s", strings.TrimPrefix(te.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return w.errorAt("", len(w.data), "unexpected end of input")
	}
	return &leadkit.Error{Msg: strings.TrimPrefix(err.Error(), "json: "), Err: err}
}

// errorAt returns an error at path and byte offset off of the document.
func (w *walker) errorAt(path string, off int, format string, args ...any) *leadkit.Error {
	if w.src == "" {
		w.src = string(w.data)
	}
	off = min(max(off, 0), len(w.data))
	before := w.data[:off]
	line := 1 + bytes.Count(before, []byte{'\n'})
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return &leadkit.Error{Path: path, Source: w.src, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// jsonFields maps the JSON names of struct type t's fields to their types,
// as encoding/json names them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" && tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// suggest returns the known field closest to key: the same name but for
// case, '_' and '-', or else one within two edits; "" when none is.
func suggest(key string, fields map[string]reflect.Type) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	}
	best, bestD := "", 3
	for f := range fields {
		d := editDistance(norm(key), norm(f))
		if d < bestD || d == bestD && f < best {
			best, bestD = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes;
// it gives up (returning a large value) for long names.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(c, prev[j], cur[j-1])
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// join appends a member name to a JSON path: "rules[2]" + "when" is
// "rules[2].when"; a name that is not a plain identifier is quoted in
// brackets.
func join(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return "the number " + string(v)
	}
	return "null"
}

func describe(b []byte) string {
	switch b[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number or invalid JSON"
}

// DecodeState decodes an accumulator's saved state, data, into v, a
// pointer to a struct, more strictly than [Decode] reads a definition:
// an unknown field, data after the value, and a missing field (one whose
// JSON tag has neither omitempty nor omitzero) are all errors. A coder
// that drops fields must make decoding fail, not yield an empty
// accumulator. Errors are plain (state is written by programs, not
// people): the first problem found.
func DecodeState(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the state")
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(data, &present); err != nil {
		return err
	}
	t := reflect.TypeOf(v).Elem()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" || strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := present[name]; !ok {
			return fmt.Errorf("field %q missing from the state", name)
		}
	}
	return nil
}
