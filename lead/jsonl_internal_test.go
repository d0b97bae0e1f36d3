package lead

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadLine reads lines through a 16-byte buffer, so that lines longer
// than the buffer are gathered from several chunks.
func TestReadLine(t *testing.T) {
	type line struct {
		Text    string
		TooLong bool
	}
	tests := []struct {
		name string
		in   string
		max  int
		want []line
	}{
		{"short lines", "a\nbb\r\n\nccc", 100, []line{{"a", false}, {"bb", false}, {"", false}, {"ccc", false}}},
		{"gathered", strings.Repeat("x", 40) + "\n" + strings.Repeat("y", 17), 100,
			[]line{{strings.Repeat("x", 40), false}, {strings.Repeat("y", 17), false}}},
		{"at the limit", strings.Repeat("x", 40) + "\r\n" + "z", 40, []line{{strings.Repeat("x", 40), false}, {"z", false}}},
		{"over the limit, in one chunk", strings.Repeat("x", 11) + "\nok", 10, []line{{"", true}, {"ok", false}}},
		{"over the limit, gathered", strings.Repeat("x", 50) + "\nok\n" + strings.Repeat("w", 35), 30,
			[]line{{"", true}, {"ok", false}, {"", true}}},
		{"ends with a newline", "a\n", 10, []line{{"a", false}, {"", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tt.in), 16)
			var long []byte
			var got []line
			for {
				b, tooLong, err := readLine(br, &long, tt.max)
				if err != nil && err != io.EOF {
					t.Fatal(err)
				}
				got = append(got, line{string(b), tooLong})
				if err == io.EOF {
					break
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}
