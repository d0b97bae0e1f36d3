package lead

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/jsonstrict"
)

// MappingVersion is the version of the [Mapping] format this package
// reads.
const MappingVersion = 1

// Mapping says how the rows of a CRM export become leads: which column
// holds which lead field, how the export writes its values, and which
// columns hold the date a lead entered each stage. It is plain data with
// JSON tags that a host stores next to its export job; [ParseMapping]
// reads it strictly, [Mapping.Validate] reports every problem and
// [Mapping.Mapper] returns the [Mapper] that maps rows.
//
// The zero Mapping is not valid: a mapping names at least the id and
// created_at columns.
type Mapping struct {
	// Version is the format version, [MappingVersion]; 0 means the
	// current version.
	Version int `json:"version,omitempty"`
	// Format says how the export writes placeholders, decimals and
	// times.
	Format Format `json:"format"`
	// Columns maps lead fields, by their JSON path, to the columns that
	// hold them. The paths are "id" and "created_at" (both required),
	// "owner", "stage", "person.name", "person.email", "person.title",
	// "person.role", "person.department", "person.seniority",
	// "company.name", "company.domain", "company.industry",
	// "company.employees" (a whole number), "company.annual_revenue" (a
	// decimal), "company.country", "company.region", "company.city",
	// "source.channel", "source.campaign", "source.medium" and
	// "source.landing_page".
	Columns map[string]string `json:"columns"`
	// Values translates the export's values of a text field into the
	// lead's, by the field's path: {"stage": {"marketingqualifiedlead":
	// "mql"}, "source.channel": {"Organic Search": "organic_search"}}.
	// A value (after trimming white space) that is not listed is kept as
	// it is.
	Values map[string]map[string]string `json:"values,omitempty"`
	// Fields maps the lead's custom fields to columns, with their type.
	Fields []FieldColumn `json:"fields,omitempty"`
	// Stages lists the stage-date columns in lifecycle order: the
	// lead's history is built from them by [HistoryFromDates]. When
	// "stage" has no column, the lead's current stage is the stage of
	// the last dated column.
	Stages []StageColumn `json:"stages,omitempty"`
	// AllowSkippedStages accepts a stage without a date between two
	// stages with one; by default that is a problem of the row.
	AllowSkippedStages bool `json:"allow_skipped_stages,omitempty"`
	// Activities lists the columns that each hold the time of one
	// activity ("First Conversion Date", "Date of first engagement"): a
	// row with a time in one gets that activity, in this order.
	Activities []ActivityColumn `json:"activities,omitempty"`
	// ClassifyTitles fills person.seniority and person.department from
	// person.title with the title table, where their own columns are
	// not mapped or are empty.
	ClassifyTitles bool `json:"classify_titles,omitempty"`
	// Titles holds the host's title rules, which take precedence over
	// [DefaultTitleTable].
	Titles TitleTable `json:"titles,omitzero"`
	// NormalizeCountry rewrites company.country as an ISO 3166-1 alpha-2
	// code with [CountryCode]; a value it does not know is a problem of
	// the row.
	NormalizeCountry bool `json:"normalize_country,omitempty"`
	// Countries adds the host's country names (matched as CountryCode
	// matches names) and their alpha-2 codes; they take precedence.
	Countries map[string]string `json:"countries,omitempty"`
}

// FieldColumn maps one custom field of the lead to a column.
type FieldColumn struct {
	// Field is the key in [Lead.Fields]. Required.
	Field string `json:"field"`
	// Column is the column's name. Required.
	Column string `json:"column"`
	// Type is how the value is read: "string" (the default when
	// empty), "decimal" (a decimal.Decimal), "int", "bool" or "time" (a
	// time.Time). A missing value leaves the field out.
	Type string `json:"type,omitempty"`
}

// StageColumn names the column that holds the date a lead entered a
// stage.
type StageColumn struct {
	// Column is the column's name. Required.
	Column string `json:"column"`
	// Stage is the stage. Required.
	Stage Stage `json:"stage"`
}

// ActivityColumn names a column that holds the time of one activity of
// a lead, as CRM exports keep the first or last of a kind.
type ActivityColumn struct {
	// Column holds the activity's time, read with the mapping's format;
	// a missing value gives no activity. Required.
	Column string `json:"column"`
	// Type is the activity's type. Required.
	Type ActivityType `json:"type"`
	// ByOwner says the lead's owner acted (a sales touch): the
	// activity's actor is the lead's owner, or UnknownOwner for a lead
	// without one. Otherwise the prospect acted (an empty actor).
	ByOwner bool `json:"by_owner,omitempty"`
	// UnknownOwner is the actor of a ByOwner activity on a lead without
	// an owner: the export says someone in sales acted, not who. Empty
	// means [UnknownOwner].
	UnknownOwner string `json:"unknown_owner,omitempty"`
}

// UnknownOwner is the actor the mapper gives a sales activity
// ([ActivityColumn.ByOwner]) of a lead without an owner, unless the
// mapping names another.
const UnknownOwner = "(unknown owner)"

// text fields a column may fill, by path.
var textFields = map[string]func(*Lead, string){
	"owner":               func(l *Lead, s string) { l.Owner = s },
	"stage":               func(l *Lead, s string) { l.Stage = Stage(s) },
	"person.name":         func(l *Lead, s string) { l.Person.Name = s },
	"person.email":        func(l *Lead, s string) { l.Person.Email = s },
	"person.title":        func(l *Lead, s string) { l.Person.Title = s },
	"person.role":         func(l *Lead, s string) { l.Person.Role = s },
	"person.department":   func(l *Lead, s string) { l.Person.Department = s },
	"person.seniority":    func(l *Lead, s string) { l.Person.Seniority = Seniority(s) },
	"company.name":        func(l *Lead, s string) { l.Company.Name = s },
	"company.domain":      func(l *Lead, s string) { l.Company.Domain = s },
	"company.industry":    func(l *Lead, s string) { l.Company.Industry = s },
	"company.country":     func(l *Lead, s string) { l.Company.Country = s },
	"company.region":      func(l *Lead, s string) { l.Company.Region = s },
	"company.city":        func(l *Lead, s string) { l.Company.City = s },
	"source.channel":      func(l *Lead, s string) { l.Source.Channel = Channel(s) },
	"source.campaign":     func(l *Lead, s string) { l.Source.Campaign = s },
	"source.medium":       func(l *Lead, s string) { l.Source.Medium = s },
	"source.landing_page": func(l *Lead, s string) { l.Source.LandingPage = s },
}

// Typed fields, read by the field reader; "id" is text but required.
const (
	pathID        = "id"
	pathCreatedAt = "created_at"
	pathEmployees = "company.employees"
	pathRevenue   = "company.annual_revenue"
)

var fieldTypes = []string{"string", "decimal", "int", "bool", "time"}

// ParseMapping decodes a [Mapping] from JSON strictly and validates it:
// an unknown field, a value of the wrong type and trailing data are
// errors, as is every problem [Mapping.Validate] finds. Decoding errors
// are *[leadkit.Error] values with the JSON path, the document as Source
// and the line and column, all reported at once.
func ParseMapping(data []byte) (Mapping, error) {
	var m Mapping
	if err := jsonstrict.Decode(data, &m, "mapping"); err != nil {
		return Mapping{}, err
	}
	if err := m.Validate(); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

// Validate reports every problem with the mapping at once, joined with
// [errors.Join], each a *[leadkit.Error] with its JSON path
// (`columns["person.titel"]`, "stages[2].stage").
func (m Mapping) Validate() error {
	_, err := m.Mapper()
	return err
}

// Mapper maps the rows of a CRM export to leads as a [Mapping] says. It
// is immutable and safe for concurrent use.
type Mapper struct {
	m       Mapping // with its maps and slices copied
	reader  *FieldReader
	titles  *TitleClassifier
	text    []textColumn // text fields, in path order
	columns []string     // every column read, sorted, unique
	country map[string]string
}

type textColumn struct {
	path, column string
	set          func(*Lead, string)
	values       map[string]string
}

// Mapper checks the mapping and returns the Mapper for it, or every
// problem with the mapping.
func (m Mapping) Mapper() (*Mapper, error) {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, leadkit.Errorf(path, format, args...))
	}
	if m.Version != 0 && m.Version != MappingVersion {
		add("version", "%d is not a version this package reads; use %d", m.Version, MappingVersion)
	}
	reader, err := m.Format.Reader()
	if err != nil {
		errs = append(errs, leadkit.Prefix("format", err))
	}
	mp := &Mapper{reader: reader}
	cols := map[string]bool{}
	colPath := func(p string) string { return "columns[" + strconv.Quote(p) + "]" }
	for _, p := range []string{pathID, pathCreatedAt} {
		if strings.TrimSpace(m.Columns[p]) == "" {
			add(colPath(p), "required: name the column that holds the lead's %s", p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(m.Columns)) {
		c := m.Columns[p]
		if strings.TrimSpace(c) == "" {
			if p != pathID && p != pathCreatedAt {
				add(colPath(p), "empty column name")
			}
			continue
		}
		cols[c] = true
		if set, ok := textFields[p]; ok {
			mp.text = append(mp.text, textColumn{path: p, column: c, set: set, values: m.Values[p]})
			continue
		}
		switch p {
		case pathID, pathCreatedAt, pathEmployees, pathRevenue:
		default:
			add(colPath(p), "unknown lead field; use id, created_at, owner, stage, person.(name|email|title|role|department|seniority), "+
				"company.(name|domain|industry|employees|annual_revenue|country|region|city) or source.(channel|campaign|medium|landing_page); "+
				"custom fields go in \"fields\"")
		}
	}
	for _, p := range slices.Sorted(maps.Keys(m.Values)) {
		if _, ok := textFields[p]; !ok {
			add("values["+strconv.Quote(p)+"]", "not a text field; values translates owner, stage, person.*, company.* (but employees and annual_revenue) and source.*")
			continue
		}
		if _, ok := m.Columns[p]; !ok {
			add("values["+strconv.Quote(p)+"]", "the field has no column")
		}
		for _, from := range slices.Sorted(maps.Keys(m.Values[p])) {
			if strings.TrimSpace(m.Values[p][from]) == "" {
				add("values["+strconv.Quote(p)+"]["+strconv.Quote(from)+"]", "empty value; map the export's value to a lead value")
			}
		}
	}
	names := map[string]bool{}
	for i, f := range m.Fields {
		path := fmt.Sprintf("fields[%d]", i)
		switch {
		case f.Field == "":
			add(path+".field", "empty")
		case names[f.Field]:
			add(path+".field", "%q is mapped twice", f.Field)
		}
		names[f.Field] = true
		if strings.TrimSpace(f.Column) == "" {
			add(path+".column", "empty")
		}
		cols[f.Column] = true
		if f.Type != "" && !slices.Contains(fieldTypes, f.Type) {
			add(path+".type", "unknown type %q; use %s", f.Type, strings.Join(fieldTypes, ", "))
		}
	}
	stages := map[Stage]bool{}
	stageCols := map[string]bool{}
	for i, s := range m.Stages {
		path := fmt.Sprintf("stages[%d]", i)
		switch {
		case strings.TrimSpace(s.Column) == "":
			add(path+".column", "empty")
		case stageCols[s.Column]:
			add(path+".column", "column %q is listed twice", s.Column)
		}
		stageCols[s.Column] = true
		cols[s.Column] = true
		switch {
		case s.Stage == "":
			add(path+".stage", "empty")
		case stages[s.Stage]:
			add(path+".stage", "stage %q is listed twice", string(s.Stage))
		}
		stages[s.Stage] = true
	}
	for i, a := range m.Activities {
		path := fmt.Sprintf("activities[%d]", i)
		if strings.TrimSpace(a.Column) == "" {
			add(path+".column", "empty")
		}
		cols[a.Column] = true
		if strings.TrimSpace(string(a.Type)) == "" {
			add(path+".type", "empty: name the activity's type")
		}
		if a.UnknownOwner != "" && !a.ByOwner {
			add(path+".unknown_owner", "set without by_owner: a prospect's activity has no owner")
		}
	}
	if m.ClassifyTitles && m.Columns["person.title"] == "" {
		add("classify_titles", "person.title has no column to classify")
	}
	titles, err := m.Titles.Before(DefaultTitleTable()).Classifier()
	if err != nil {
		errs = append(errs, leadkit.Prefix("titles", err))
	}
	if m.ClassifyTitles {
		mp.titles = titles
	}
	mp.country = map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(m.Countries)) {
		code := m.Countries[name]
		path := "countries[" + strconv.Quote(name) + "]"
		if countryKey(name) == "" {
			add(path, "empty name")
		}
		if c, ok := countryFromCode(code); !ok || c != code || len(code) != 2 {
			add(path, "%q is not an ISO 3166-1 alpha-2 code", code)
		}
		mp.country[countryKey(name)] = code
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	mp.columns = slices.Sorted(maps.Keys(cols))
	mp.m = m
	mp.m.Columns = maps.Clone(m.Columns)
	mp.m.Fields = slices.Clone(m.Fields)
	mp.m.Stages = slices.Clone(m.Stages)
	mp.m.Activities = slices.Clone(m.Activities)
	for i := range mp.text {
		mp.text[i].values = maps.Clone(mp.text[i].values)
	}
	return mp, nil
}

// Columns returns the names of the columns the mapper reads, sorted.
// Each call returns a fresh slice.
func (mp *Mapper) Columns() []string {
	if mp == nil {
		return nil
	}
	return slices.Clone(mp.columns)
}

// CheckHeader reports, all at once, the columns the mapper reads that
// header lacks, each a *[leadkit.Error] at the column: the check a host
// runs on an export's header row before it maps the rows.
func (mp *Mapper) CheckHeader(header []string) error {
	if mp == nil {
		return &leadkit.Error{Msg: "nil mapper"}
	}
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[h] = true
	}
	var errs []error
	for _, c := range mp.columns {
		if !have[c] {
			errs = append(errs, cellError(0, c, "not in the header"))
		}
	}
	return errors.Join(errs...)
}

// Map builds the lead that one row describes. The row maps column names
// to their text, as a CSV reader gives them; a column the row lacks is a
// missing value, and columns the mapping does not name are ignored. row is the host's number for the row, used in errors
// (the line in the file, typically).
//
// It returns the lead, or the zero Lead and every problem of the row at
// once: each a *[leadkit.Error] at its cell ([CellPath]): a value that
// does not parse, a missing id or creation time, an unknown country when
// countries are normalised, stage dates out of order or missing (naming
// the lead id, see [HistoryFromDates]), the current stage without its
// date, and what [Lead.Validate] finds, moved to the cell it came from.
func (mp *Mapper) Map(row int, values map[string]string) (Lead, error) {
	if mp == nil {
		return Lead{}, &leadkit.Error{Msg: "nil mapper"}
	}
	var l Lead
	var errs []error
	r := mp.reader
	m := &mp.m
	idCol := m.Columns[pathID]
	id, ok := r.String(values[idCol])
	if !ok {
		errs = append(errs, cellError(row, idCol, "empty: every lead needs an id"))
	}
	l.ID = id
	createdCol := m.Columns[pathCreatedAt]
	if t, ok, err := r.Time(row, createdCol, values[createdCol]); err != nil {
		errs = append(errs, err)
	} else if !ok {
		errs = append(errs, cellError(row, createdCol, "lead %q: empty: every lead needs its creation time", id))
	} else {
		l.CreatedAt = t
	}
	for _, tc := range mp.text {
		s, ok := r.String(values[tc.column])
		if !ok {
			continue
		}
		if v, ok := tc.values[s]; ok {
			s = v
		}
		tc.set(&l, s)
	}
	if c, ok := m.Columns[pathEmployees]; ok {
		if n, ok, err := r.Int(row, c, values[c]); err != nil {
			errs = append(errs, err)
		} else if ok {
			l.Company.Employees = n
		}
	}
	if c, ok := m.Columns[pathRevenue]; ok {
		if d, ok, err := r.Decimal(row, c, values[c]); err != nil {
			errs = append(errs, err)
		} else if ok {
			l.Company.AnnualRevenue = d
		}
	}
	if m.NormalizeCountry && l.Company.Country != "" {
		if code, ok := mp.countryCode(l.Company.Country); ok {
			l.Company.Country = code
		} else {
			errs = append(errs, cellError(row, m.Columns["company.country"],
				"%q is not a country CountryCode knows; add it to the mapping's countries", short(l.Company.Country)))
		}
	}
	if mp.titles != nil && l.Person.Title != "" {
		s, d := mp.titles.Classify(l.Person.Title)
		if l.Person.Seniority == "" {
			l.Person.Seniority = s
		}
		if l.Person.Department == "" {
			l.Person.Department = d
		}
	}
	for _, f := range m.Fields {
		v, ok, err := mp.readField(row, f, values[f.Column])
		if err != nil {
			errs = append(errs, err)
		} else if ok {
			if l.Fields == nil {
				l.Fields = map[string]any{}
			}
			l.Fields[f.Field] = v
		}
	}
	if len(m.Stages) > 0 {
		dates := make([]StageDate, len(m.Stages))
		bad := false
		for i, s := range m.Stages {
			dates[i] = StageDate{Stage: s.Stage, Column: s.Column}
			t, _, err := r.Time(row, s.Column, values[s.Column])
			if err != nil {
				errs = append(errs, err)
				bad = true
			}
			dates[i].At = t
		}
		if !bad {
			hist, err := HistoryFromDates(id, row, dates, m.AllowSkippedStages)
			if err != nil {
				errs = append(errs, err)
			}
			l.History = hist
			if _, mapped := m.Columns["stage"]; !mapped && len(hist) > 0 {
				l.Stage = hist[len(hist)-1].To
			}
			for _, d := range dates {
				if d.Stage == l.Stage && l.Stage != "" && d.At.IsZero() {
					errs = append(errs, stageProblem(row, d.Column, id, l.Stage))
				}
			}
		}
	}
	for _, a := range m.Activities {
		t, ok, err := r.Time(row, a.Column, values[a.Column])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		act := Activity{Type: a.Type, At: t}
		if a.ByOwner {
			act.Actor = cmp.Or(l.Owner, a.UnknownOwner, UnknownOwner)
		}
		l.Activities = append(l.Activities, act)
	}
	if len(errs) == 0 {
		if err := l.Validate(); err != nil {
			errs = append(errs, mp.cellErrors(row, err))
		}
	}
	if err := errors.Join(uniqueErrors(errs)...); err != nil {
		return Lead{}, err
	}
	return l, nil
}

// uniqueErrors drops the errors that repeat an earlier one word for word:
// a column mapped twice (created_at and a stage date, say) is read twice
// and would report the same problem twice.
func uniqueErrors(errs []error) []error {
	seen := make(map[string]bool, len(errs))
	out := errs[:0]
	for _, err := range errs {
		if msg := err.Error(); !seen[msg] {
			seen[msg] = true
			out = append(out, err)
		}
	}
	return out
}

func (mp *Mapper) countryCode(s string) (string, bool) {
	if c, ok := mp.country[countryKey(s)]; ok {
		return c, true
	}
	return CountryCode(s)
}

func (mp *Mapper) readField(row int, f FieldColumn, s string) (any, bool, error) {
	r := mp.reader
	switch f.Type {
	case "decimal":
		return r.Decimal(row, f.Column, s)
	case "int":
		return r.Int(row, f.Column, s)
	case "bool":
		return r.Bool(row, f.Column, s)
	case "time":
		return r.Time(row, f.Column, s)
	}
	v, ok := r.String(s)
	return v, ok, nil
}

// cellErrors moves the errors of Lead.Validate, whose paths are lead
// fields, to the cells they came from.
func (mp *Mapper) cellErrors(row int, err error) error {
	var out []error
	for _, e := range flatten(err) {
		le, ok := e.(*leadkit.Error)
		if !ok {
			out = append(out, e)
			continue
		}
		c := *le
		if col, ok := mp.m.Columns[le.Path]; ok {
			c.Path = CellPath(row, col)
		} else if col, ok := mp.fieldColumn(le.Path); ok {
			c.Path = CellPath(row, col)
		} else if row > 0 {
			c.Path = "row " + strconv.Itoa(row) + ", " + le.Path
		}
		out = append(out, &c)
	}
	return errors.Join(out...)
}

func (mp *Mapper) fieldColumn(path string) (string, bool) {
	name, ok := strings.CutPrefix(path, "fields.")
	if !ok {
		return "", false
	}
	for _, f := range mp.m.Fields {
		if f.Field == name {
			return f.Column, true
		}
	}
	return "", false
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
