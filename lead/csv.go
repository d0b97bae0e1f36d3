package lead

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"

	"github.com/leadkit/leadkit"
)

// CSVOption configures [CSVRows].
type CSVOption func(*csvConfig)

type csvConfig struct {
	comma   rune
	require []string
}

// CSVComma sets the field separator; the default is ','. Exports written
// with a decimal comma usually separate fields with ';'. A separator that
// encoding/csv refuses ('"', '\r', '\n', an invalid rune) makes CSVRows
// yield one error.
func CSVComma(r rune) CSVOption { return func(c *csvConfig) { c.comma = r } }

// CSVRequire names columns the header must have, such as
// [Mapper.Columns]: a header that lacks any of them is an error, naming
// each one, and no record is read.
func CSVRequire(columns ...string) CSVOption {
	return func(c *csvConfig) { c.require = append(c.require, columns...) }
}

// CSVRow is one record of a CSV export: where it starts and its values
// by column name.
type CSVRow struct {
	// Line is the line the record starts on, counting from 1: the row
	// number to hand to [Mapper.Map], so that its errors point into the
	// file.
	Line int
	// Values maps each column name of the header to the record's value,
	// as it is in the file (untrimmed).
	Values map[string]string
}

// CSVRows returns the records of a CSV export whose first record is its
// header, as the rows [Mapper.Map] takes. The file is read by
// encoding/csv: fields may be quoted, quoted fields may hold the
// separator and line breaks, "\r\n" ends lines like "\n", and blank lines
// are skipped. A UTF-8 byte order mark before the header is ignored.
//
// Errors are *[leadkit.Error] values whose Path is "line N" (and the
// column where it is known). A record with more or fewer fields than the
// header yields an error for its line, and the sequence goes on. These
// end it, after one error: an empty input, a header that names a column
// twice or lacks a column of [CSVRequire], a quote that encoding/csv
// cannot read (everything after it is in doubt), and an error reading r.
//
// CSVRows reads r lazily and does not close it. Each row has its own
// Values map, which the caller may keep.
func CSVRows(r io.Reader, opts ...CSVOption) iter.Seq2[CSVRow, error] {
	cfg := csvConfig{comma: ','}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return func(yield func(CSVRow, error) bool) {
		if r == nil {
			yield(CSVRow{}, &leadkit.Error{Msg: "nil reader"})
			return
		}
		br := bufio.NewReader(r)
		if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
			_, _ = br.Discard(3)
		}
		cr := csv.NewReader(br)
		cr.Comma = cfg.comma
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			if err == io.EOF {
				err = &leadkit.Error{Msg: "empty input: a CSV export starts with its header"}
			}
			yield(CSVRow{}, csvError(err))
			return
		}
		line, _ := cr.FieldPos(0)
		col := make(map[string]int, len(header))
		var errs []error
		for i, h := range header {
			if j, dup := col[h]; dup {
				errs = append(errs, &leadkit.Error{Path: csvPath(line, h),
					Msg: fmt.Sprintf("the header names the column twice (fields %d and %d)", j+1, i+1)})
				continue
			}
			col[h] = i
		}
		for _, c := range cfg.require {
			if _, ok := col[c]; !ok {
				errs = append(errs, &leadkit.Error{Path: csvPath(line, c), Msg: "not in the header"})
			}
		}
		if err := errors.Join(errs...); err != nil {
			yield(CSVRow{}, err)
			return
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(CSVRow{}, csvError(err))
				return
			}
			line, _ := cr.FieldPos(0)
			if len(rec) != len(header) {
				e := &leadkit.Error{Path: "line " + strconv.Itoa(line)}
				if len(rec) < len(header) {
					e.Msg = fmt.Sprintf("the record has %d fields, the header %d: no value for column %q",
						len(rec), len(header), header[len(rec)])
				} else {
					e.Msg = fmt.Sprintf("the record has %d fields, the header %d: field %d has no column",
						len(rec), len(header), len(header)+1)
				}
				if !yield(CSVRow{}, e) {
					return
				}
				continue
			}
			values := make(map[string]string, len(header))
			for i, h := range header {
				values[h] = rec[i]
			}
			if !yield(CSVRow{Line: line, Values: values}, nil) {
				return
			}
		}
	}
}

func csvPath(line int, column string) string {
	return "line " + strconv.Itoa(line) + ", column " + strconv.Quote(column)
}

// csvError positions an error of encoding/csv.
func csvError(err error) error {
	var le *leadkit.Error
	if errors.As(err, &le) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &leadkit.Error{Path: fmt.Sprintf("line %d, byte %d", pe.Line, pe.Column), Msg: pe.Err.Error(), Err: err}
	}
	return &leadkit.Error{Msg: "read: " + err.Error(), Err: err}
}
