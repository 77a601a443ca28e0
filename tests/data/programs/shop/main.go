// Command shop writes the profiles of tests/data (see ../../README.md): a
// small order service whose handlers decode JSON, build carts through
// small helpers the compiler inlines, render receipts, and keep some of
// them forever in a session cache (a leak, so in-use memory grows).
//
//	-mode=heap   -out F         one heap profile (protobuf, gzipped)
//	-mode=pair   -base B -later L
//	                            a snapshot, more requests (the leak grows),
//	                            another snapshot of the same process
//	-mode=legacy -out F         the legacy text heap profile (debug=1, with
//	                            "#" lines); build with -gcflags=all=-l
//	-mode=cpu    -out F         a CPU profile of about one second
//
// Standard library only.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The heap modes record every allocation (rate 1) unless SHOP_MEMRATE
// says otherwise; set before main so that the whole run has one rate.
var _ = func() int {
	runtime.MemProfileRate = 1
	if v, err := strconv.Atoi(os.Getenv("SHOP_MEMRATE")); err == nil && v > 0 {
		runtime.MemProfileRate = v
	}
	return 0
}()

type Order struct {
	ID    int      `json:"id"`
	User  string   `json:"user"`
	Items []string `json:"items"`
}

type Item struct {
	SKU   string
	Price int
}

type Cart struct {
	User  string
	Items []*Item
}

// Small helpers: inlined into their callers (locations with several lines).
func newItem(sku string, price int) *Item { return &Item{SKU: sku, Price: price} }

func (c *Cart) add(sku string, price int) { c.Items = append(c.Items, newItem(sku, price)) }

func key(prefix string, id int) string { return prefix + ":" + strconv.Itoa(id) }

// sessionCache keeps every tenth receipt forever: the leak.
type sessionCache struct {
	mu       sync.Mutex
	receipts map[string][]byte
}

func (s *sessionCache) remember(k string, receipt []byte) {
	kept := make([]byte, len(receipt))
	copy(kept, receipt)
	s.mu.Lock()
	s.receipts[k] = kept
	s.mu.Unlock()
}

var cache = &sessionCache{receipts: map[string][]byte{}}

func price(sku string) int {
	n := 0
	for _, c := range sku {
		n += int(c)
	}
	return n % 97
}

//go:noinline
func buildCart(o *Order) *Cart {
	c := &Cart{User: o.User}
	for _, sku := range o.Items {
		c.add(strings.ToUpper(sku), price(sku))
	}
	return c
}

//go:noinline
func render(c *Cart) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "receipt for %s\n", c.User)
	total := 0
	for _, it := range c.Items {
		fmt.Fprintf(&b, "%-12s %4d\n", it.SKU, it.Price)
		total += it.Price
	}
	fmt.Fprintf(&b, "total %d\n", total)
	return b.Bytes()
}

// categories walks a small category tree recursively (recursion in the
// stacks: a function counted once in cum).
//
//go:noinline
func categories(depth int, path []string) []string {
	if depth == 0 {
		return []string{strings.Join(path, "/")}
	}
	var out []string
	for i := 0; i < 2; i++ {
		out = append(out, categories(depth-1, append(path, key("c", i)))...)
	}
	return out
}

//go:noinline
func handle(body []byte) {
	var o Order
	if err := json.Unmarshal(body, &o); err != nil {
		log.Fatal(err)
	}
	c := buildCart(&o)
	receipt := render(c)
	if o.ID%10 == 0 {
		cache.remember(key(o.User, o.ID), receipt)
	}
	if o.ID%25 == 0 {
		categories(3, nil)
	}
}

//go:noinline
func serve(from, to int) {
	for id := from; id < to; id++ {
		o := Order{ID: id, User: key("user", id%7)}
		for i := 0; i < 1+id%5; i++ {
			o.Items = append(o.Items, key("sku", (id+i)%13))
		}
		body, err := json.Marshal(&o)
		if err != nil {
			log.Fatal(err)
		}
		handle(body)
	}
}

// run serves requests [from, to) on two goroutines.
func run(from, to int) {
	var wg sync.WaitGroup
	mid := from + (to-from)/2
	wg.Add(2)
	go func() { defer wg.Done(); serve(from, mid) }()
	go func() { defer wg.Done(); serve(mid, to) }()
	wg.Wait()
}

func writeHeap(path string, debug int) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

var sink int

//go:noinline
func hashLoop(deadline time.Time) {
	data := make([]byte, 4096)
	for time.Now().Before(deadline) {
		sum := sha256.Sum256(data)
		data[0] = sum[0]
	}
}

//go:noinline
func sortLoop(deadline time.Time) {
	xs := make([]int, 2000)
	for time.Now().Before(deadline) {
		for i := range xs {
			xs[i] = (i * 7919) % 2003
		}
		sort.Ints(xs)
	}
}

//go:noinline
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

//go:noinline
func fibLoop(deadline time.Time) {
	for time.Now().Before(deadline) {
		sink += fib(20)
	}
}

func writeCPU(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); hashLoop(deadline); fibLoop(deadline.Add(200 * time.Millisecond)) }()
	go func() { defer wg.Done(); sortLoop(deadline) }()
	wg.Wait()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	mode := flag.String("mode", "heap", "heap, pair, legacy or cpu")
	out := flag.String("out", "", "output file (heap, legacy, cpu)")
	base := flag.String("base", "heap-base.pb.gz", "first snapshot (pair)")
	later := flag.String("later", "heap-later.pb.gz", "second snapshot (pair)")
	requests := flag.Int("requests", 300, "requests before a snapshot")
	flag.Parse()
	switch *mode {
	case "heap":
		run(0, *requests)
		writeHeap(*out, 0)
	case "pair":
		run(0, *requests)
		writeHeap(*base, 0)
		run(*requests, 2**requests)
		writeHeap(*later, 0)
	case "legacy":
		run(0, *requests)
		writeHeap(*out, 1)
	case "cpu":
		writeCPU(*out)
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
}
