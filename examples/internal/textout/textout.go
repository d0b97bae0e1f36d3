// Package textout writes the examples' plain-text reports: lines,
// underlined section titles and tables in aligned columns. A Printer
// keeps the first write error and writes nothing after it, so a report
// is written without an error check per line and checked once with Err.
package textout

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Printer writes to w and keeps the first error.
type Printer struct {
	w   io.Writer
	err error
}

// New returns a Printer writing to w.
func New(w io.Writer) *Printer { return &Printer{w: w} }

// Err returns the first write error, or nil.
func (p *Printer) Err() error { return p.err }

// F writes like fmt.Fprintf.
func (p *Printer) F(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// Section writes a blank line and title underlined with "=".
func (p *Printer) Section(title string) {
	p.F("\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
}

// Table lays out tab-separated rows in columns two spaces apart, each
// row starting with indent.
type Table struct {
	p      *Printer
	tw     *tabwriter.Writer
	indent string
}

// Table starts a table with its header row; Flush ends it.
func (p *Printer) Table(indent, header string) *Table {
	t := &Table{p: p, tw: tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0), indent: indent}
	t.Row("%s", header)
	return t
}

// Row adds a row: format's cells are separated by tabs.
func (t *Table) Row(format string, args ...any) {
	if t.p.err == nil {
		_, t.p.err = fmt.Fprintf(t.tw, t.indent+format+"\n", args...)
	}
}

// Flush writes the table's rows, aligned.
func (t *Table) Flush() {
	if t.p.err == nil {
		t.p.err = t.tw.Flush()
	}
}
