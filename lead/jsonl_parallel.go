package lead

import (
	"io"
	"sync"
)

// Batches of lines travel from the reader to the workers and, in
// order, to the loop. A batch holds at most batchLines lines or, past
// the first line, about batchBytes bytes of them.
const (
	batchLines = 256
	batchBytes = 1 << 20
)

// lineBatch is a run of consecutive lines: the reader fills lines (and
// errs for lines it could not read), a worker decodes them into vals and
// errs, and closes done.
type lineBatch[T any] struct {
	block []byte  // the lines' bytes, copied from the reader's buffer
	ends  []int   // line i is block[ends[i-1]:ends[i]]
	ns    []int   // line numbers
	errs  []error // per line: set by the reader or the worker
	vals  []T     // per line: the decoded record
	done  chan struct{}
}

// parallelLines is Lines with cfg.workers decoders: one goroutine scans
// r into batches, the workers decode them, and the calling goroutine
// yields their records in order. Stopping early (yield false) stops the
// reader and the workers and waits for them, so nothing touches r after
// parallelLines returns.
func parallelLines[T any](r io.Reader, cfg *linesConfig, yield func(T, error) bool) {
	var (
		order = make(chan *lineBatch[T], 2*cfg.workers)   // in line order, to the loop
		work  = make(chan *lineBatch[T])                  // to the workers
		free  = make(chan *lineBatch[T], 2*cfg.workers+2) // yielded batches, for reuse
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	defer func() {
		close(stop)
		wg.Wait()
	}()
	wg.Add(1 + cfg.workers)
	go func() { // the reader
		defer wg.Done()
		defer close(work)
		defer close(order)
		b := newBatch[T](64 << 10)
		send := func() bool {
			select {
			case order <- b:
			case <-stop:
				return false
			}
			select {
			case work <- b:
			case <-stop:
				return false
			}
			select {
			case b = <-free:
				b.block, b.ends, b.ns, b.errs = b.block[:0], b.ends[:0], b.ns[:0], b.errs[:0]
				b.done = make(chan struct{})
			default:
				b = newBatch[T](cap(b.block))
			}
			return true
		}
		ok := true
		scanLines(r, cfg, func(n int, line []byte, err error) bool {
			select {
			case <-stop:
				return false
			default:
			}
			b.block = append(b.block, line...)
			b.ends = append(b.ends, len(b.block))
			b.ns = append(b.ns, n)
			b.errs = append(b.errs, err)
			if len(b.ns) == batchLines || len(b.block) >= batchBytes {
				ok = send()
			}
			return ok
		})
		if ok && len(b.ns) > 0 {
			send()
		}
	}()
	for range cfg.workers {
		go func() { // a worker
			defer wg.Done()
			fast := newFast[T]()
			for b := range work {
				decodeBatch(b, cfg, fast)
			}
		}()
	}
	var zero T
	for b := range order {
		<-b.done
		for i := range b.ns {
			if b.errs[i] != nil {
				if !yield(zero, b.errs[i]) {
					return
				}
			} else if !yield(b.vals[i], nil) {
				return
			}
		}
		// Yielded: the records are the loop's. Drop the batch's
		// references to them and hand it back to the reader.
		clear(b.vals)
		clear(b.errs)
		select {
		case free <- b:
		default:
		}
	}
}

// decodeBatch decodes the lines of b into b.vals and b.errs and closes
// b.done.
func decodeBatch[T any](b *lineBatch[T], cfg *linesConfig, fast *leadDecoder) {
	if cap(b.vals) >= len(b.ns) {
		b.vals = b.vals[:len(b.ns)] // cleared when it was yielded
	} else {
		b.vals = make([]T, len(b.ns))
	}
	start := 0
	for i, end := range b.ends {
		if b.errs[i] == nil {
			if err := decodeLine(b.block[start:end], &b.vals[i], cfg, fast); err != nil {
				var zero T
				b.vals[i], b.errs[i] = zero, lineError(b.ns[i], err)
			}
		}
		start = end
	}
	close(b.done)
}

// newBatch returns an empty batch whose block has room for size bytes.
func newBatch[T any](size int) *lineBatch[T] {
	return &lineBatch[T]{block: make([]byte, 0, size), done: make(chan struct{})}
}
