// A small Go program for heapflame's URL tests: it serves net/http/pprof on
// 127.0.0.1 (a free port, written to the file given by -portfile), keeps
// allocating and burning CPU so heap and CPU profiles have stacks, and
// exits by itself after -lifetime.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sort"
	"time"
)

var kept [][]byte

func allocate(n int) {
	for i := 0; i < n; i++ {
		b := make([]byte, 512+i%4096)
		if i%16 == 0 {
			kept = append(kept, b)
		}
	}
	if len(kept) > 20000 {
		kept = kept[len(kept)/2:]
	}
}

func burn() {
	data := make([]byte, 1<<16)
	for {
		sum := sha256.Sum256(data)
		data[0] = sum[0]
		xs := make([]int, 1000)
		for i := range xs {
			xs[i] = (i * 7919) % 1000
		}
		sort.Ints(xs)
		allocate(100)
	}
}

func main() {
	portfile := flag.String("portfile", "", "write the listening port here")
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	flag.Parse()
	runtime.MemProfileRate = 4096

	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Second)
		fmt.Fprintln(w, "late")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go burn()
	go func() {
		time.Sleep(*lifetime)
		os.Exit(0)
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	tmp := *portfile + ".tmp"
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, *portfile); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, nil))
}
