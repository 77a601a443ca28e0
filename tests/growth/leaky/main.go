// leaky: a Go program for heapflame's growth tests. It serves
// net/http/pprof on 127.0.0.1 (a free port, printed on stdout as
// "127.0.0.1:PORT") and, from the start, does three things to its heap:
//   - leak: keeps 4 KiB every 10 ms for ever (a steady leak);
//   - fillCache: fills a bounded cache for -warmup (1 s) from the first
//     HTTP request (so a series started with the program sees it grow and
//     then level off, however slow the machine), then only replaces
//     entries, so its in-use size stays put (a plateau);
//   - churn: allocates short-lived buffers that die at once.
//
// /flaky-heap answers every other request with 503 (the rest: the heap
// profile), for the retry test.
//
// runtime.MemProfileRate is 1 (every allocation recorded) and a ticker
// runs runtime.GC() every 50 ms, so each heap profile is up to date.
// The program exits by itself after -lifetime.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

var (
	mu     sync.Mutex
	leaked [][]byte
	// The cache is a ring allocated once: replacing an entry allocates
	// only the entry (a map would grow its buckets now and then).
	cache [200][]byte
	sink  []byte
)

//go:noinline
func leak() {
	b := make([]byte, 4096)
	mu.Lock()
	leaked = append(leaked, b)
	mu.Unlock()
}

//go:noinline
func fillCache(key, limit int) {
	b := make([]byte, 16384)
	mu.Lock()
	cache[key%limit] = b
	mu.Unlock()
}

//go:noinline
func churn() {
	for i := 0; i < 64; i++ {
		sink = make([]byte, 1024+i*64)
	}
	sink = nil
}

func main() {
	runtime.MemProfileRate = 1
	warmup := flag.Duration("warmup", time.Second, "how long the cache grows")
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("127.0.0.1:%d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()

	// /flaky-heap fails every other request (503), for the retry test.
	var requests int64
	http.HandleFunc("/flaky-heap", func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt64(&requests, 1)%2 == 0 {
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
		pprof.Lookup("heap").WriteTo(w, 0)
	})

	// The cache's warm-up starts with the first request.
	var started int32
	firstRequest := make(chan time.Time, 1)
	handler := http.DefaultServeMux
	serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if atomic.CompareAndSwapInt32(&started, 0, 1) {
			firstRequest <- time.Now()
		}
		handler.ServeHTTP(w, r)
	})
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		key, limit := 0, 0
		var start time.Time
		for range tick.C {
			leak()
			churn()
			if start.IsZero() {
				select {
				case start = <-firstRequest:
				default:
					continue
				}
			}
			// The cache grows by one entry a tick during the warm-up,
			// then keeps its size: entries are replaced, not added.
			if time.Since(start) < *warmup && limit < len(cache) {
				limit++
			}
			fillCache(key, limit)
			key++
		}
	}()
	go func() {
		for range time.NewTicker(50 * time.Millisecond).C {
			runtime.GC()
		}
	}()
	go func() {
		time.Sleep(*lifetime)
		os.Exit(0)
	}()
	log.Fatal(http.Serve(ln, serve))
}
